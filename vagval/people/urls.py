from django.urls import path

from vagval.people import views

# The start page (people:caseload) and the person page (people:detail) are in vagval.pages:
# vagval/urls.py mounts them with these in the namespace "people".
app_name = "people"
urlpatterns = [
    path("export/", views.export, name="export"),
    path("sok/", views.search, name="search"),
    path("sok/resultat/", views.search_results, name="search_results"),
    path("ny/", views.create, name="create"),
    path("<uuid:person_id>/andra/", views.edit, name="edit"),
    path("<uuid:person_id>/deltagande/ny/", views.enrolment_create, name="enrolment_create"),
    path("deltagande/<uuid:enrolment_id>/andra/", views.enrolment_edit, name="enrolment_edit"),
    path("<uuid:person_id>/sla-ihop/", views.merge, name="merge"),
    path("<uuid:person_id>/skydd/", views.protection_lower, name="protection_lower"),
]
