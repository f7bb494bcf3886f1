from django.urls import path

from vagval.esf import views

app_name = "esf"

urlpatterns = [
    path("", views.report, name="report"),
    path("indikatorer.csv", views.report_csv, name="report_csv"),
    path("indikatorer.xlsx", views.report_xlsx, name="report_xlsx"),
    path("ofullstandiga/", views.incomplete, name="incomplete"),
    path("deltagande/<uuid:enrolment_id>/", views.entry_edit, name="entry_edit"),
    path("projekt/<uuid:project_id>/finansiering/", views.project_funding, name="project_funding"),
    path("projekt/<uuid:project_id>/scb/", views.scb_months, name="scb_months"),
    path("projekt/<uuid:project_id>/scb/<int:year>/<int:month>/", views.scb_file, name="scb_file"),
]
