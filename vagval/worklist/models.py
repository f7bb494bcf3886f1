"""The to-do list's own records: marks on items, read markers of notifications, the users' mail
setting, and the periodic jobs' runs.

The to-do items and the notifications themselves are not stored: they are read from the
casework apps' records (follow-ups, plan steps, referrals and their events, …) each time, so
they can never disagree with them (docs/ARCHITECTURE.md, "To-do list and notifications").
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.common.models import BaseModel
from vagval.common.scoping import ScopedManager
from vagval.organisations.models import Unit
from vagval.people.models import Person
from vagval.plans.models import Plan


class MarkState(models.TextChoices):
    DONE = "klar", _("Klar")
    MOVED = "flyttad", _("Flyttad")


class ItemMark(BaseModel):
    """An item of a unit's to-do list marked done, or moved to a later date, with a reason.

    Keyed by (kind, object, unit): the list is the unit's work, so a colleague who covers for
    the coach sees the item as done too; the user who marked it is kept. Marking again (moving
    once more, or marking a moved item done) changes the one row; every mark is in the access log.
    """

    kind = models.CharField(_("typ"), max_length=40)
    object_id = models.UUIDField(_("objekt"))
    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    state = models.CharField(_("markering"), max_length=10, choices=MarkState.choices)
    moved_to = models.DateField(_("flyttad till"), null=True, blank=True)
    reason = models.CharField(_("anledning"), max_length=500, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()  # names a person: only inside a scope

    class Meta:
        verbose_name = _("markering i att göra-listan")
        verbose_name_plural = _("markeringar i att göra-listan")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "unit"], name="item_mark_one_per_item_and_unit"),
            models.CheckConstraint(
                condition=(Q(state="flyttad") & Q(moved_to__isnull=False) & ~Q(reason=""))
                | (Q(state="klar") & Q(moved_to__isnull=True)),
                name="item_mark_moved_has_date_and_reason",
            ),
        ]
        indexes = [models.Index(fields=["unit", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.get_state_display()}"


class NotificationRead(models.Model):
    """That a user opened one notification (kind + the history record's id)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    object_key = models.CharField(max_length=64)
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "object_key"], name="notification_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_key}"


class WorklistSetting(models.Model):
    """A user's choices for the to-do list: the daily e-mail (off unless they turn it on)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    daily_email = models.BooleanField(_("skicka ett dagligt e-postmeddelande"), default=False)
    # Notifications older than this were read with "Markera alla som lästa".
    notifications_read_before = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inställning för att göra-listan")
        verbose_name_plural = _("inställningar för att göra-listan")

    def __str__(self) -> str:
        return f"{self.user_id}"


class JobRunStatus(models.TextChoices):
    RUNNING = "pagar", _("Pågår")
    SUCCEEDED = "klar", _("Klar")
    FAILED = "misslyckad", _("Misslyckades")


class JobRun(models.Model):
    """One run of a periodic job for one period; the row is also the claim.

    The unique (job, period) constraint is what makes a job run once per period when several
    workers share the database: the worker whose insert succeeds runs it, the others skip.
    """

    job = models.CharField(_("jobb"), max_length=60)
    period = models.CharField(_("period"), max_length=20)  # e.g. 2026-12-06 for a daily job
    status = models.CharField(_("status"), max_length=12, choices=JobRunStatus.choices, default=JobRunStatus.RUNNING)
    worker = models.CharField(_("arbetare"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("startad"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    # The exception's type and the code lines it passed, never its message or values, which
    # may hold personal data (see worklist.jobs).
    error = models.TextField(_("fel"), blank=True)
    summary = models.CharField(_("resultat"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("jobbkörning")
        verbose_name_plural = _("jobbkörningar")
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="job_run_once_per_period")]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"


class OwnViewLink(BaseModel):
    """A personal link to the young person's own view of their plan and coming follow-ups.

    The token is shown once and stored only as a hash (the mechanism of assessments.links). The
    coach's unit keeps the link; the young person needs no account. Revoked or expired: refused.
    """

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField(_("gäller till"))
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_opened_at = models.DateTimeField(_("senast öppnad"), null=True, blank=True)

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        verbose_name = _("länk till den ungas egen vy")
        verbose_name_plural = _("länkar till den ungas egen vy")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False), name="own_view_revoked_by_someone"
            )
        ]

    def __str__(self) -> str:
        return f"Egen vy {self.created_at:%Y-%m-%d}"

    def refusal_reason(self, now: dt.datetime) -> str | None:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return None
