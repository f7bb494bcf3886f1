from django.urls import path

from vagval.outreach import views

app_name = "outreach"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("uppfoljning/", views.followup, name="followup"),
    path("person/<uuid:person_id>/kontakt/", views.contact_create, name="contact_create"),
    path("person/<uuid:person_id>/sysselsattning/", views.occupation_create, name="occupation_create"),
    path("person/<uuid:person_id>/brev/", views.letter, name="letter"),
]
