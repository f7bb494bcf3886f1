from django.urls import path

from vagval.plans import views

app_name = "plans"
urlpatterns = [
    path("person/<uuid:person_id>/", views.person_plans, name="person_plans"),
    path("person/<uuid:person_id>/ny/", views.plan_create, name="plan_create"),
    path("<uuid:plan_id>/", views.detail, name="detail"),
    path("<uuid:plan_id>/andra/", views.plan_edit, name="plan_edit"),
    path("<uuid:plan_id>/fortsatt/", views.plan_continue, name="plan_continue"),
    path("<uuid:plan_id>/steg/ny/", views.step_add, name="step_add"),
    path("<uuid:plan_id>/steg/<uuid:step_id>/andra/", views.step_edit, name="step_edit"),
    path("<uuid:plan_id>/steg/<uuid:step_id>/avsluta/", views.step_end, name="step_end"),
    path("<uuid:plan_id>/versioner/", views.versions, name="versions"),
    path("<uuid:plan_id>/versioner/<int:number>/", views.version_detail, name="version_detail"),
    path("<uuid:plan_id>/pdf/", views.pdf, name="pdf"),
]
