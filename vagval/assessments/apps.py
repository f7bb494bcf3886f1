from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "vagval.assessments"
    label = "assessments"
    verbose_name = "Kartläggningar och bedömningar"
