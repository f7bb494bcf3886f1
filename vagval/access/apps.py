from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "vagval.access"
    label = "access"
    verbose_name = "Behörighet"
