from django.apps import AppConfig


class DataprotectionConfig(AppConfig):
    name = "vagval.dataprotection"
    verbose_name = "Dataskydd"
