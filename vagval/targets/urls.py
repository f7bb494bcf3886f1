from django.urls import path

from vagval.targets import views

app_name = "targets"

urlpatterns = [
    path("projekt/<uuid:project_id>/", views.project, name="project"),
    path("projekt/<uuid:project_id>/nytt/", views.create, name="create"),
    path("<uuid:target_id>/", views.edit, name="edit"),
    path("<uuid:target_id>/ta-bort/", views.remove, name="remove"),
]
