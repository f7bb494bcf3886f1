from django.apps import AppConfig


class KaaConfig(AppConfig):
    name = "vagval.kaa"
    label = "kaa"
    verbose_name = "KAA-register, insatser och statistik"
