from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "vagval.reporting"
    label = "reporting"
    verbose_name = "Rapporter"
