from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "vagval.matching"
    label = "matching"
    verbose_name = "Matchning"
