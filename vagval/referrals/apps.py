from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "vagval.referrals"
    label = "referrals"
    verbose_name = "Remisser"
