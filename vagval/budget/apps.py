from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "vagval.budget"
    label = "budget"
    verbose_name = "Budget och kostnader"
