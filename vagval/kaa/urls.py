from django.urls import path

from vagval.kaa import views

app_name = "kaa"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/<uuid:person_id>/", views.extract, name="extract"),
    path("insats/ny/<uuid:person_id>/", views.measure_create, name="measure_create"),
    path("insats/<uuid:measure_id>/", views.measure_edit, name="measure_edit"),
    path("statistik/", views.statistics, name="statistics"),
]
