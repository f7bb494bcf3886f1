from django.urls import path

from vagval.assessments import views

app_name = "assessments"
urlpatterns = [
    path("person/<uuid:person_id>/", views.person, name="person"),
    path("person/<uuid:person_id>/ny/<slug:slug>/", views.response_create, name="response_create"),
    path("person/<uuid:person_id>/lankar/ny/", views.link_create, name="link_create"),
    path("svar/<uuid:response_id>/", views.response_detail, name="response_detail"),
    path("lankar/<uuid:link_id>/", views.link_detail, name="link_detail"),
    path("lankar/<uuid:link_id>/aterkalla/", views.link_revoke, name="link_revoke"),
    path("l/<str:token>/", views.link_form, name="link_form"),
    path("kohort/", views.cohort, name="cohort"),
    path("instrument/", views.instrument_list, name="instrument_list"),
    path("instrument/<slug:slug>/v<int:number>/", views.instrument_version, name="instrument_version"),
]
