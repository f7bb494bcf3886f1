"""URLs of the pages. They keep the names of the apps whose pages they were (vagval/urls.py
mounts person_urlpatterns in the namespace "people"), so links and tests did not change."""

from django.urls import URLPattern, path

from vagval.pages import views

person_urlpatterns: list[URLPattern] = [
    path("", views.caseload, name="caseload"),
    path("<uuid:person_id>/", views.person_detail, name="detail"),
]
