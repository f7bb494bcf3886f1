from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "vagval.followup"
    label = "followup"
    verbose_name = "Avslut och uppföljning"
