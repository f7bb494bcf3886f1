from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "vagval.outreach"
    label = "outreach"
    verbose_name = "Uppsökande arbete"
