from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "vagval.api"
    label = "api"
    verbose_name = "API"
