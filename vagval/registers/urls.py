from django.urls import path

from vagval.registers import views

app_name = "registers"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("ny/", views.import_upload, name="upload"),
    path("<uuid:import_id>/", views.import_detail, name="detail"),
    path("<uuid:import_id>/status/", views.import_progress, name="progress"),
    path("<uuid:import_id>/avvisade-rader/", views.import_rejected, name="rejected"),
    path("<uuid:import_id>/bekrafta/", views.import_confirm, name="confirm"),
    path("<uuid:import_id>/avbryt/", views.import_cancel, name="cancel"),
    path("<uuid:import_id>/angra/", views.import_undo, name="undo"),
]
