"""Exits from a project and the follow-ups after them (28 days, 90 days, 6 months).

The situation at leaving and each follow-up's outcome use one set of categories, which map to
the ESF+ immediate and longer-term results (../shared/spec/domain.md). Both are person-level
data (ScopedManager), written only by followup.services.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.common.models import BaseModel
from vagval.common.scoping import ScopedManager
from vagval.organisations.models import Project, Unit
from vagval.people.models import Enrolment, Person


class ExitReason(models.TextChoices):
    GOAL_REACHED = "malet_natt", _("Målet nått")
    MOVED = "flyttat", _("Flyttat")
    NOT_CONTINUING = "vill_inte_fortsatta", _("Vill inte fortsätta")
    NO_CONTACT = "ingen_kontakt", _("Ingen kontakt")
    OTHER = "annat", _("Annat")


class Situation(models.TextChoices):
    """Where the young person is: at leaving and at each follow-up."""

    WORKING = "i_arbete", _("I arbete (även eget företag)")
    STUDYING = "i_utbildning", _("I utbildning")
    JOB_SEEKING = "soker_arbete", _("Söker arbete")
    QUALIFIED = "kvalifikation", _("Har fått en kvalifikation")
    ALTERNATIVE_LABOUR_MARKET = "alternativ_arbetsmarknad", _("Alternativ arbetsmarknad")
    INACTIVE = "inaktiv", _("Inaktiv")
    UNKNOWN = "okant", _("Okänt")


# Seed 002's goal: in work, an alternative labour market or education.
POSITIVE_SITUATIONS = frozenset({Situation.WORKING, Situation.STUDYING, Situation.ALTERNATIVE_LABOUR_MARKET})


class Source(models.TextChoices):
    YOUNG_PERSON = "ungdomen", _("Den unga själv")
    PARTNER = "partner", _("Samverkanspart")
    REGISTER = "register", _("Register")


class Exit(BaseModel):
    """Leaving a project: one per exit; a re-entry followed by a new exit gives a second one."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("inskrivning"), on_delete=models.PROTECT, related_name="exits"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="exits")
    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="exits")
    exit_on = models.DateField(_("avslutsdatum"))
    reason = models.CharField(_("anledning"), max_length=30, choices=ExitReason.choices)
    reason_note = models.CharField(_("kommentar"), max_length=500, blank=True)
    situation = models.CharField(_("situation vid avslut"), max_length=30, choices=Situation.choices)
    source = models.CharField(_("källa"), max_length=20, choices=Source.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Set when the enrolment is reopened (re-entry): the exit stays, as history.
    superseded_on = models.DateField(_("återinskriven"), null=True, blank=True)

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        verbose_name = _("avslut")
        verbose_name_plural = _("avslut")
        ordering = ["-exit_on", "-created_at"]
        indexes = [models.Index(fields=["unit", "exit_on"]), models.Index(fields=["enrolment", "exit_on"])]

    def __str__(self) -> str:
        return f"{self.exit_on} {self.get_situation_display()}"


class FollowUpKind(models.TextChoices):
    WEEKS_4 = "dag28", _("Efter 4 veckor")
    DAYS_90 = "dag90", _("Efter 90 dagar")
    MONTHS_6 = "manad6", _("Efter 6 månader")


class FollowUpStatus(models.TextChoices):
    UPCOMING = "kommande", _("Kommande")
    DUE = "att_gora", _("Att göra")
    DONE = "klar", _("Klar")
    NOT_REACHED = "ej_nadd", _("Ej nådd")
    NOT_APPLICABLE = "ej_aktuell", _("Ej aktuell")


# A follow-up in these statuses is finished: it has an outcome, or never will.
CLOSED_STATUSES = frozenset({FollowUpStatus.DONE, FollowUpStatus.NOT_REACHED, FollowUpStatus.NOT_APPLICABLE})


class FollowUp(BaseModel):
    exit = models.ForeignKey(Exit, verbose_name=_("avslut"), on_delete=models.CASCADE, related_name="follow_ups")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="follow_ups")
    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="follow_ups")
    kind = models.CharField(_("uppföljning"), max_length=10, choices=FollowUpKind.choices)
    due_on = models.DateField(_("datum"))
    status = models.CharField(
        _("status"), max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.UPCOMING
    )
    outcome = models.CharField(_("situation"), max_length=30, choices=Situation.choices, blank=True)
    source = models.CharField(_("källa"), max_length=20, choices=Source.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("registrerad"), null=True, blank=True)
    # A register's suggestion ("i utbildning", source register) waiting for the coach's click.
    suggested_outcome = models.CharField(
        _("föreslagen situation"), max_length=30, choices=Situation.choices, blank=True
    )
    # The young person did not answer the link (or cannot be sent one): the coach must act.
    needs_coach = models.BooleanField(_("till coachen"), default=False)
    note = models.CharField(_("kommentar"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=0)

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["exit", "kind"], name="follow_up_one_per_exit_and_kind"),
            models.CheckConstraint(
                condition=~Q(status=FollowUpStatus.DONE) | ~Q(outcome=""), name="follow_up_done_has_outcome"
            ),
            models.CheckConstraint(
                condition=~Q(status=FollowUpStatus.DONE) | ~Q(source=""), name="follow_up_done_has_source"
            ),
        ]
        indexes = [models.Index(fields=["unit", "status", "due_on"]), models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on}"


class FollowUpSettings(BaseModel):
    """A project's follow-up offsets after the exit date (issue 12: 28 days, 90 days, 6 months).

    The three kinds stay; a project may move them (e.g. 30 days instead of 28). Projects without
    a row use the defaults.
    """

    project = models.OneToOneField(
        Project, verbose_name=_("projekt"), on_delete=models.CASCADE, related_name="follow_up_settings"
    )
    weeks_4_days = models.PositiveSmallIntegerField(_("första uppföljningen, dagar efter avslut"), default=28)
    days_90_days = models.PositiveSmallIntegerField(_("andra uppföljningen, dagar efter avslut"), default=90)
    months_6_months = models.PositiveSmallIntegerField(_("tredje uppföljningen, månader efter avslut"), default=6)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("inställningar för uppföljning")
        verbose_name_plural = _("inställningar för uppföljning")
        constraints = [
            models.CheckConstraint(condition=Q(weeks_4_days__gte=1), name="follow_up_settings_first_positive"),
            models.CheckConstraint(
                condition=Q(days_90_days__gt=models.F("weeks_4_days")), name="follow_up_settings_second_after_first"
            ),
            models.CheckConstraint(condition=Q(months_6_months__gte=1), name="follow_up_settings_months_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.weeks_4_days} d, {self.days_90_days} d, {self.months_6_months} mån"


class AttemptMethod(models.TextChoices):
    PHONE = "telefon", _("Telefon")
    SMS = "sms", _("SMS")
    EMAIL = "epost", _("E-post")
    MEETING = "mote", _("Möte")
    OTHER = "annat", _("Annat")


class FollowUpAttempt(BaseModel):
    """One try to reach the young person for a follow-up (listed before "ej nådd")."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="attempts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    attempted_on = models.DateField(_("datum"))
    method = models.CharField(_("hur"), max_length=10, choices=AttemptMethod.choices)
    reached = models.BooleanField(_("nådd"), default=False)
    note = models.CharField(_("kommentar"), max_length=500, blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        verbose_name = _("kontaktförsök")
        verbose_name_plural = _("kontaktförsök")
        ordering = ["attempted_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.attempted_on} {self.get_method_display()}"


class LinkSentVia(models.TextChoices):
    EMAIL = "epost", _("E-post")
    SMS = "sms", _("SMS")


class FollowUpLink(BaseModel):
    """The young person's personal link to one follow-up's short form (no account).

    The same mechanism as the assessments' links (assessments.links): a token shown once in the
    message, only its hash stored; single use, revocable, with a last day.
    """

    follow_up = models.OneToOneField(FollowUp, on_delete=models.CASCADE, related_name="link")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    sent_on = models.DateField(_("skickad"))
    sent_via = models.CharField(_("skickad med"), max_length=10, choices=LinkSentVia.choices)
    expires_at = models.DateTimeField(_("gäller till"))
    reminders_sent = models.PositiveSmallIntegerField(_("påminnelser"), default=0)
    last_reminder_on = models.DateField(_("senaste påminnelse"), null=True, blank=True)
    used_at = models.DateTimeField(_("besvarad"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        verbose_name = _("länk till uppföljning")
        verbose_name_plural = _("länkar till uppföljning")
        indexes = [models.Index(fields=["used_at", "sent_on"])]

    def __str__(self) -> str:
        return f"Länk {self.sent_on}"

    def refusal_reason(self, *, now: dt.datetime) -> str | None:
        """Why the link can no longer be used (assessments.links.REFUSAL_TEXT's keys), or None."""
        if self.used_at is not None:
            return "used"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return None
