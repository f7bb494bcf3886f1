from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "vagval.audit"
    label = "audit"
    verbose_name = "Åtkomstlogg"
