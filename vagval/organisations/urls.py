from django.urls import path

from vagval.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.index, name="index"),
    path("organisationer/", views.organisation_list, name="organisation_list"),
    path("organisationer/ny/", views.organisation_create, name="organisation_create"),
    path("organisationer/<uuid:organisation_id>/", views.organisation_detail, name="organisation_detail"),
    path("organisationer/<uuid:organisation_id>/andra/", views.organisation_edit, name="organisation_edit"),
    path("organisationer/<uuid:organisation_id>/enheter/ny/", views.unit_create, name="unit_create"),
    path("enheter/<uuid:unit_id>/andra/", views.unit_edit, name="unit_edit"),
    path("projekt/", views.project_list, name="project_list"),
    path("projekt/ny/", views.project_create, name="project_create"),
    path("projekt/<uuid:project_id>/", views.project_detail, name="project_detail"),
    path("projekt/<uuid:project_id>/andra/", views.project_edit, name="project_edit"),
    path("metoder/", views.method_list, name="method_list"),
    path("metoder/ny/", views.method_create, name="method_create"),
    path("metoder/<uuid:method_id>/andra/", views.method_edit, name="method_edit"),
]
