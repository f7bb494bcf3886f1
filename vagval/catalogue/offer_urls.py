"""The catalogue's offer side: offers, providers and their contacts, employers' needs and interests."""

from django.urls import path

from vagval.catalogue import offer_views as views

urlpatterns = [
    path("erbjudanden/", views.offer_list, name="offer_list"),
    path("erbjudanden/nytt/", views.offer_create, name="offer_create"),
    path("erbjudanden/<uuid:offer_id>/", views.offer_detail, name="offer_detail"),
    path("erbjudanden/<uuid:offer_id>/andra/", views.offer_edit, name="offer_edit"),
    path("erbjudanden/<uuid:offer_id>/status/", views.offer_status, name="offer_status"),
    path("anordnare/", views.provider_list, name="provider_list"),
    path("anordnare/ny/", views.provider_create, name="provider_create"),
    path("anordnare/<uuid:provider_id>/", views.provider_detail, name="provider_detail"),
    path("anordnare/<uuid:provider_id>/andra/", views.provider_edit, name="provider_edit"),
    path("anordnare/<uuid:provider_id>/kontakter/ny/", views.provider_contact_create, name="provider_contact_create"),
    path(
        "anordnare/<uuid:provider_id>/kontakter/<uuid:contact_id>/andra/",
        views.provider_contact_edit,
        name="provider_contact_edit",
    ),
    path("natverk/behov/", views.need_list, name="need_list"),
    path("natverk/behov/nytt/", views.need_create, name="need_create"),
    path("natverk/behov/<uuid:need_id>/andra/", views.need_edit, name="need_edit"),
    path("natverk/intressen/", views.interest_list, name="interest_list"),
    path("natverk/intressen/nytt/", views.interest_create, name="interest_create"),
    path("natverk/intressen/<uuid:interest_id>/andra/", views.interest_edit, name="interest_edit"),
    path("personer/<uuid:person_id>/erbjudandelankar/", views.person_offer_links, name="person_offer_links"),
    path("erbjudandelankar/<uuid:link_id>/stang/", views.offer_link_revoke, name="offer_link_revoke"),
    path("for-dig/<str:token>/", views.offer_link_public, name="offer_link_public"),
]
