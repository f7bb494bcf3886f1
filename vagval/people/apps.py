from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "vagval.people"
    label = "people"
    verbose_name = "Personer"
