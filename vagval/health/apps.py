from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "vagval.health"
    verbose_name = "Hälsa"
