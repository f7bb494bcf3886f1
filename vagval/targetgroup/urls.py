from django.urls import path

from vagval.targetgroup import views

app_name = "targetgroup"
urlpatterns = [
    path("", views.target_group_list, name="list"),
    path("installningar/", views.setting_edit, name="settings"),
    path("overlamna/<uuid:episode_id>/", views.episode_handover, name="handover"),
]
