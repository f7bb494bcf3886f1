from django.urls import path

from vagval.dataprotection import views

app_name = "dataprotection"

urlpatterns = [
    path("gallring/", views.rules, name="rules"),
    path("gallring/ny/", views.rule_edit, name="rule_create"),
    path("gallring/<uuid:rule_id>/", views.rule, name="rule"),
    path("gallring/<uuid:rule_id>/andra/", views.rule_edit, name="rule_edit"),
    path("gallring/<uuid:rule_id>/provkor/", views.dry_run, name="dry_run"),
    path("gallring/provkorning/<uuid:review_id>/", views.review, name="review"),
    path("gallring/provkorning/<uuid:review_id>/godkann/", views.review_approve, name="review_approve"),
    path("gallringslogg/", views.deletion_log, name="deletion_log"),
    path("gallringsstopp/", views.holds, name="holds"),
    path("gallringsstopp/<uuid:hold_id>/hav/", views.hold_lift, name="hold_lift"),
    path("registerutdrag/", views.extract, name="extract"),
]
