from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "vagval.consent"
    label = "consent"
    verbose_name = "Samtycken"
