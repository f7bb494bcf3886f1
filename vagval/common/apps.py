from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "vagval.common"
    label = "common"
    verbose_name = "Gemensamt"
