from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "vagval.catalogue"
    label = "catalogue"
    verbose_name = "Katalog och placeringar"
