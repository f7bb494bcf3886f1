from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "vagval.organisations"
    label = "organisations"
    verbose_name = "Organisationer"
