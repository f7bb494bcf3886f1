"""Placement pages (included by catalogue.urls under katalog/)."""

from django.urls import path

from vagval.catalogue import placement_views as views

urlpatterns = [
    path("placeringar/ny/<uuid:person_id>/", views.placement_create, name="placement_create"),
    path("placeringar/<uuid:placement_id>/", views.placement_detail, name="placement_detail"),
    path("placeringar/<uuid:placement_id>/status/", views.placement_status, name="placement_status"),
    path(
        "placeringar/<uuid:placement_id>/bedomning/schema/",
        views.placement_assessment_schedule,
        name="placement_assessment_schedule",
    ),
    path(
        "placeringar/<uuid:placement_id>/bedomning/skicka/",
        views.placement_assessment_send,
        name="placement_assessment_send",
    ),
    path("erbjudanden/<uuid:offer_id>/placeringar/", views.placement_offer_list, name="placement_offer_list"),
    path("traffar/<uuid:session_id>/narvaro/", views.placement_attendance, name="placement_attendance"),
]
