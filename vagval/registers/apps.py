from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "vagval.registers"
    label = "registers"
    verbose_name = "Registerimporter"
