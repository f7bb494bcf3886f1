from django.apps import AppConfig


class EsfConfig(AppConfig):
    name = "vagval.esf"
    label = "esf"
    verbose_name = "ESF+"
