from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "vagval.pages"
    label = "pages"
    verbose_name = "Sidor"
