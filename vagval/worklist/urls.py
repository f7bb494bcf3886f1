from django.urls import path

from vagval.worklist import own_view_views, views

app_name = "worklist"

urlpatterns = [
    path("", views.worklist, name="list"),
    path("markera/<slug:kind>/<uuid:object_id>/", views.mark, name="mark"),
    path("aviseringar/", views.notifications, name="notifications"),
    path("aviseringar/las-alla/", views.notifications_read_all, name="notifications_read_all"),
    path("aviseringar/<slug:kind>/<str:key>/", views.notification_open, name="notification_open"),
    path("installningar/", views.settings_page, name="settings"),
    path("jobb/", views.jobs_page, name="jobs"),
    # The young person's own view: the coach's page on the plan, and the public page behind the link.
    path("egen-vy/plan/<uuid:plan_id>/", own_view_views.links, name="own_view_links"),
    path("egen-vy/<uuid:link_id>/aterkalla/", own_view_views.revoke, name="own_view_revoke"),
    path("min-plan/<str:token>/", own_view_views.public, name="own_view"),
]
