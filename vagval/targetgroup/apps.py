from django.apps import AppConfig


class TargetGroupConfig(AppConfig):
    name = "vagval.targetgroup"
    label = "targetgroup"
    verbose_name = "Målgrupp (KAA och UVAS)"
