"""Staff users: each belongs to one unit, has one role there, and may have roles in projects."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vagval.common.models import BaseModel
from vagval.organisations.models import Project, Unit


class Role(models.TextChoices):
    COACH = "coach", _("Coach/handläggare")
    KAA = "kaa", _("KAA-ansvarig")
    PARTNER = "partner", _("Handläggare hos samverkanspart")
    PROJECT_LEADER = "project_leader", _("Projektledare")
    EVALUATOR = "evaluator", _("Utvärderare")
    ADMIN = "admin", _("Administratör")
    # The data-protection officer (dataskyddsombud/registrator): makes register extracts (GDPR
    # art. 15) across every unit and places legal holds; sees no person through the ordinary
    # pages (dataprotection, docs/ARCHITECTURE.md).
    DATA_PROTECTION = "data_protection", _("Dataskyddsombud/registrator")
    # Jobs, imports and commands (accounts.system): never signs in, never sees persons
    # through the access check, but appears by name in the access log.
    SYSTEM = "system", _("Systemaktör")


# Roles a person can be given (a system actor is made only by accounts.system).
STAFF_ROLES = [(value, label) for value, label in Role.choices if value != Role.SYSTEM]

# Roles that work with individual young people at their own unit.
CASEWORK_ROLES = frozenset({Role.COACH, Role.KAA, Role.PARTNER})


class User(AbstractUser):
    unit = models.ForeignKey(
        Unit, verbose_name=_("enhet"), on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices, default=Role.COACH)
    read_only = models.BooleanField(
        _("endast läsbehörighet"), default=False, help_text=_("Kan se men inte ändra uppgifter.")
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        constraints = [
            # Everyone except a pure administrator or a system actor works from a unit.
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(role__in=["admin", "system"]), name="user_has_unit_unless_admin"
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def can_write(self) -> bool:
        return self.is_active and not self.read_only


class ProjectRole(BaseModel):
    """A user's role in a project, in addition to the role at their own unit."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="project_roles")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="user_roles")
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("projektroll")
        verbose_name_plural = _("projektroller")
        constraints = [models.UniqueConstraint(fields=["user", "project", "role"], name="project_role_unique")]


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class TokenRevocation(models.TextChoices):
    """Why a token stopped working before it expired."""

    OWNER = "owner", _("återkallad av användaren")
    ADMINISTRATOR = "administrator", _("återkallad av en administratör")
    COMMAND_LINE = "command_line", _("återkallad på kommandoraden")
    PASSWORD = "password", _("lösenordet byttes")
    DEACTIVATED = "deactivated", _("kontot inaktiverades")


class ApiToken(BaseModel):
    """A bearer token for the API. Only the hash is stored; the token is shown once.

    A token works until `expires_at` (settings.API_TOKEN_DAYS after it was made) unless it is
    revoked first: by its owner, an administrator, the command line, or automatically when the
    user is deactivated or their password is changed (accounts.services).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("namn"), max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("går ut"))
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)
    revoked_reason = models.CharField(
        _("orsak till återkallelse"), max_length=20, choices=TokenRevocation.choices, blank=True
    )
    revoked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("återkallad av")
    )
    # The rate limit (accounts.services.api_token_user): requests in the current minute. Kept on
    # the row, so several app servers count together without a shared cache.
    rate_window = models.DateTimeField(null=True, blank=True, editable=False)
    rate_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
        constraints = [
            # A revoked token always says why; a working one has no reason.
            models.CheckConstraint(
                condition=(Q(revoked_at__isnull=True) & Q(revoked_reason=""))
                | (Q(revoked_at__isnull=False) & ~Q(revoked_reason="")),
                name="api_token_revocation_has_reason",
            )
        ]

    @staticmethod
    def generate() -> str:
        return "vv_" + secrets.token_urlsafe(32)

    def is_active_at(self, moment: datetime.datetime) -> bool:
        return self.revoked_at is None and self.expires_at > moment

    @property
    def is_active(self) -> bool:
        return self.is_active_at(timezone.now())

    @property
    def is_expired(self) -> bool:
        return self.revoked_at is None and self.expires_at <= timezone.now()
