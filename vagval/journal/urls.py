from django.urls import path

from vagval.journal import views

app_name = "journal"
urlpatterns = [
    path("person/<uuid:person_id>/", views.person_notes, name="person_notes"),
    path("<uuid:note_id>/ratta/", views.note_correct, name="note_correct"),
]
