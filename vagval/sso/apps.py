from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "vagval.sso"
    verbose_name = "Inloggning via organisationens identitetsleverantör"
