from django.urls import path

from vagval.consent import views

app_name = "consent"
urlpatterns = [
    path("person/<uuid:person_id>/", views.person_consents, name="person_consents"),
    path("person/<uuid:person_id>/nytt/", views.record, name="record"),
    path("person/<uuid:person_id>/vem-ser-vad/", views.overview, name="overview"),
    path("<uuid:consent_id>/", views.detail, name="detail"),
    path("<uuid:consent_id>/aterkalla/", views.withdraw, name="withdraw"),
    path("<uuid:consent_id>/blankett/", views.document, name="document"),
]
