from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "vagval.worklist"
    label = "worklist"
    verbose_name = "Att göra och aviseringar"
