from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "vagval.journal"
    label = "journal"
    verbose_name = "Anteckningar"
