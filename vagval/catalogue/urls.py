"""The catalogue's pages: offers and providers (offer_urls), placements (placement_urls), admission
rounds (admission_urls)."""

from vagval.catalogue import admission_urls, offer_urls, placement_urls

app_name = "catalogue"

urlpatterns = offer_urls.urlpatterns + placement_urls.urlpatterns + admission_urls.urlpatterns
