"""Authentication backend: Django's ModelBackend, loading the user's unit with the user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from vagval.accounts.models import User


class UserWithUnitBackend(ModelBackend):
    """Every page shows the user's unit and every access-log entry records it: load the unit and
    its organisation in the same query as the user instead of once more per request. So too
    whether the user has turned on two-factor authentication (has_confirmed_totp), which
    RequireTwoFactorMiddleware asks on every request."""

    def get_user(self, user_id: Any) -> User | None:  # type: ignore[override]
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        user = (
            User._default_manager.select_related("unit__organisation")
            .annotate(has_confirmed_totp=Exists(confirmed))
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
