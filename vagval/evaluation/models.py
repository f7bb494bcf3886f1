"""The evaluator's data: per-project pseudonym keys, pseudonymised dataset exports with the project
leader's approval, and the partners' collaboration survey (issue 13).

Threat model of the pseudonyms (docs/ARCHITECTURE.md, "The evaluator"): a dataset row carries
HMAC-SHA256(project key, identity) where the identity is the identity number (or the record's id
for a person without one). The key is random, one per project, kept only in this table: it is never
shown, exported or sent through the API. Without it the pseudonym cannot be computed from a number
(so the ~10⁸ possible numbers cannot be tried), and two projects' keys differ, so the same young
person gets unrelated pseudonyms in two projects' datasets.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.common.models import BaseModel
from vagval.common.scoping import ScopedManager
from vagval.organisations.models import Organisation, Project


def new_secret() -> str:
    return secrets.token_hex(32)


class PseudonymKey(BaseModel):
    """The secret key of one project's pseudonyms, made on first use. Never leaves Vägval."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="+")
    secret = models.CharField(max_length=64, default=new_secret, editable=False)

    class Meta:
        verbose_name = _("pseudonymnyckel")
        verbose_name_plural = _("pseudonymnycklar")

    def __str__(self) -> str:
        return f"Nyckel för {self.project_id}"  # never the secret


class ExportStatus(models.TextChoices):
    QUEUED = "koad", _("I kö")
    RUNNING = "pagar", _("Tas fram")
    AWAITING_APPROVAL = "vantar", _("Väntar på projektledarens godkännande")
    APPROVED = "godkand", _("Godkänd, kan hämtas")
    REJECTED = "avslagen", _("Inte godkänd")
    FAILED = "misslyckad", _("Misslyckades")


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV (zip-fil med dataordlista)")
    XLSX = "xlsx", _("Excel (XLSX, dataordlistan på ett eget blad)")


class DatasetExport(BaseModel):
    """One pseudonymised dataset of a project: prepared by an evaluator, released by the project leader.

    Person-level (ScopedManager): `person_ids` names the persons in the file, so that approving and
    downloading can log one entry per person. The file itself holds no identity.
    """

    project = models.ForeignKey(Project, verbose_name=_("projekt"), on_delete=models.PROTECT, related_name="+")
    file_format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    status = models.CharField(_("status"), max_length=12, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("beställd av"), on_delete=models.PROTECT, related_name="+"
    )
    # Where the evaluator asked from, so the worker's log entries carry it (as a request's would).
    client_address = models.CharField(max_length=45, blank=True, editable=False)
    rows_total = models.PositiveIntegerField(_("rader totalt"), default=0)
    rows_done = models.PositiveIntegerField(_("rader klara"), default=0)
    person_ids = models.JSONField(default=list, editable=False)
    file = models.FileField(upload_to="evaluation/", blank=True)
    error = models.CharField(_("fel"), max_length=500, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslut av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("beslut"), null=True, blank=True)

    objects = ScopedManager()  # names the persons in the file: only inside a scope

    class Meta:
        verbose_name = _("datauttag")
        verbose_name_plural = _("datauttag")
        ordering = ["-created_at"]
        constraints = [
            # A decision names who took it, and only a finished export is decided on.
            models.CheckConstraint(
                condition=(
                    Q(status__in=["godkand", "avslagen"], decided_by__isnull=False, decided_at__isnull=False)
                    | (~Q(status__in=["godkand", "avslagen"]) & Q(decided_by__isnull=True))
                ),
                name="dataset_export_decision_has_decider",
            ),
            models.CheckConstraint(condition=Q(rows_done__lte=models.F("rows_total")), name="dataset_export_progress"),
        ]

    def __str__(self) -> str:
        return f"Datauttag {self.created_at:%Y-%m-%d}"


# --- The partners' collaboration survey ----------------------------------------------------------


class SurveyRound(BaseModel):
    """One round of the collaboration survey in a project, created by its project leader."""

    project = models.ForeignKey(Project, verbose_name=_("projekt"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("rubrik"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closes_on = models.DateField(_("sista svarsdag"))
    closed_at = models.DateTimeField(_("stängd"), null=True, blank=True)

    class Meta:
        verbose_name = _("enkätomgång")
        verbose_name_plural = _("enkätomgångar")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="survey_round_title_not_empty")]

    def __str__(self) -> str:
        return self.title


class SurveyInvitation(models.Model):
    """A personal link to the survey for someone at a partner organisation: only its token's hash.

    It records that it was used (one answer per link) but not when, nor which answer: no
    timestamps at all (not even BaseModel's), and the answer row has no reference to it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(_("besvarad"), default=False)

    class Meta:
        verbose_name = _("enkätlänk")
        verbose_name_plural = _("enkätlänkar")

    def __str__(self) -> str:
        return "Enkätlänk"  # never the token


class SurveyAnswer(models.Model):
    """One anonymous answer. Deliberately no timestamps, no user, no link to the invitation: only
    the round and the organisation the link was for (see SurveyInvitation)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="answers")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # {"question key": 1..5} for the statements of evaluation.survey.QUESTIONS (missing: no answer).
    ratings = models.JSONField(default=dict)
    strengths = models.TextField(_("styrkor"), max_length=2000, blank=True)
    weaknesses = models.TextField(_("svagheter"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("enkätsvar")
        verbose_name_plural = _("enkätsvar")

    def __str__(self) -> str:
        return "Enkätsvar"
