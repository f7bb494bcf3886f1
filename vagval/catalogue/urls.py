"""The catalogue's pages: offers and providers (offer_urls), placements (placement_urls)."""

from vagval.catalogue import offer_urls, placement_urls

app_name = "catalogue"

urlpatterns = offer_urls.urlpatterns + placement_urls.urlpatterns
