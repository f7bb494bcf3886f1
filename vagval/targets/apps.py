from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "vagval.targets"
    label = "targets"
    verbose_name = "Mål"
