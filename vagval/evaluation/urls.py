from django.urls import path

from vagval.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.start, name="start"),
    path("projekt/<uuid:project_id>/", views.project, name="project"),
    path("projekt/<uuid:project_id>/uttag/", views.export_create, name="export_create"),
    path("uttag/<uuid:export_id>/", views.export_detail, name="export"),
    path("uttag/<uuid:export_id>/status/", views.export_progress, name="export_progress"),
    path("uttag/<uuid:export_id>/hamta/", views.export_download, name="export_download"),
    path("uttag/<uuid:export_id>/beslut/", views.export_decide, name="export_decide"),
    path("projektledare/", views.leader, name="leader"),
    path("enkater/ny/", views.survey_create, name="survey_create"),
    path("enkater/<uuid:round_id>/", views.survey, name="survey"),
    path("enkater/<uuid:round_id>/lankar/", views.survey_links, name="survey_links"),
    path("enkat/<str:token>/", views.survey_form, name="survey_form"),
]
