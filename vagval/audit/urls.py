from django.urls import path

from vagval.audit import views

# Read-only by design: there is no URL that changes or deletes a log entry.
app_name = "audit"
urlpatterns = [
    path("", views.log, name="log"),
    path("person/", views.person_lookup, name="person_lookup"),
    path("export/", views.log_export, name="log_export"),
]
