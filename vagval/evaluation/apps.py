from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "vagval.evaluation"
    label = "evaluation"
    verbose_name = "Utvärdering"
