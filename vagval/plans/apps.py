from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "vagval.plans"
    label = "plans"
    verbose_name = "Planer"
