from django.urls import path

from vagval.worklist import views

app_name = "worklist"

urlpatterns = [
    path("", views.worklist, name="list"),
    path("markera/<slug:kind>/<uuid:object_id>/", views.mark, name="mark"),
    path("aviseringar/", views.notifications, name="notifications"),
    path("aviseringar/las-alla/", views.notifications_read_all, name="notifications_read_all"),
    path("aviseringar/<slug:kind>/<str:key>/", views.notification_open, name="notification_open"),
    path("installningar/", views.settings_page, name="settings"),
    path("jobb/", views.jobs_page, name="jobs"),
]
