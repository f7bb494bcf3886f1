"""The young person's individual plan: goals, steps, who is responsible, and every version.

One plan per person and project within a secrecy domain (the unit that keeps it). The plan
is used for KAA documentation and as a SIP when health care and social services take part.
Every change is kept as a PlanVersion with a snapshot of the whole plan.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vagval.common.models import BaseModel
from vagval.common.scoping import ScopedManager
from vagval.organisations.models import Project, Unit
from vagval.people.models import Person


class Plan(BaseModel):
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="plans")
    project = models.ForeignKey(Project, verbose_name=_("projekt"), on_delete=models.PROTECT, related_name="plans")
    # The coordinating unit: keeps the plan and is its secrecy domain.
    unit = models.ForeignKey(Unit, verbose_name=_("samordnande enhet"), on_delete=models.PROTECT, related_name="plans")
    # "Huvudansvar": the organisation/unit with overall responsibility (required for a SIP).
    overall_responsibility = models.ForeignKey(
        Unit,
        verbose_name=_("huvudansvar"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_sip = models.BooleanField(_("samordnad individuell plan (SIP)"), default=False)
    meeting_on = models.DateField(_("datum för planeringsmötet"), null=True, blank=True)
    next_meeting_on = models.DateField(_("nästa möte"), null=True, blank=True)
    # Continuity: the plan this one continues (e.g. KAA → studies, KAA → UVAS at 20).
    previous = models.OneToOneField(
        "self",
        verbose_name=_("tidigare plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="continued_by",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Number of the latest PlanVersion (the current state).
    version = models.PositiveIntegerField(default=0)

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("plan")
        verbose_name_plural = _("planer")
        constraints = [
            # One plan per person and project in each secrecy domain, like Enrolment: a
            # constraint over (person, project) alone would let one unit discover another's plan.
            models.UniqueConstraint(fields=["person", "project", "unit"], name="plan_one_per_person_project_unit"),
            models.CheckConstraint(
                condition=Q(is_sip=False) | Q(overall_responsibility__isnull=False),
                name="plan_sip_has_overall_responsibility",
            ),
            models.CheckConstraint(
                condition=Q(next_meeting_on__isnull=True)
                | Q(meeting_on__isnull=True)
                | Q(next_meeting_on__gte=F("meeting_on")),
                name="plan_next_meeting_after_meeting",
            ),
            models.CheckConstraint(
                condition=Q(previous__isnull=True) | ~Q(previous=F("id")), name="plan_previous_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"Plan i {self.project}"


class PlanGoal(models.Model):
    """A goal in the young person's own words."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(_("mål"), max_length=1000)
    order = models.PositiveIntegerField(_("ordning"), default=0)
    achieved_on = models.DateField(_("uppnått"), null=True, blank=True)

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="plan_goal_text_not_empty")]

    def __str__(self) -> str:
        return self.text[:50]


class ResponsibleKind(models.TextChoices):
    YOUNG_PERSON = "den_unga", _("Den unga")
    UNIT = "enhet", _("En enhet")
    EXTERNAL = "extern", _("Extern aktör")


class EndReason(models.TextChoices):
    """Why a step ended (KAA documentation needs it)."""

    COMPLETED = "genomford", _("Genomförd")
    STOPPED_BY_YOUNG_PERSON = "avbruten_av_den_unga", _("Avbruten av den unga")
    NO_LONGER_RELEVANT = "ej_aktuell", _("Inte längre aktuell")
    REPLACED = "ersatt", _("Ersatt av en annan insats")
    MOVED = "flyttat", _("Den unga har flyttat")
    OTHER = "annat", _("Annat")
    # Set by followup.services.enrolment_exit on every open step when the young person leaves.
    PARTICIPATION_ENDED = "deltagandet_avslutat", _("Deltagandet avslutat")


class PlanStep(BaseModel):
    """A measure or activity: what is done, who is responsible, when, and why it ended."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="steps")
    content = models.TextField(_("vad ska göras"), max_length=2000)
    responsible_kind = models.CharField(_("vem ansvarar"), max_length=20, choices=ResponsibleKind.choices)
    responsible_unit = models.ForeignKey(
        Unit, verbose_name=_("ansvarig enhet"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    external_actor = models.CharField(_("extern aktör"), max_length=200, blank=True)
    starts_on = models.DateField(_("startdatum"))
    ends_on = models.DateField(_("slutdatum"), null=True, blank=True)
    end_reason = models.CharField(_("anledning till avslut"), max_length=30, choices=EndReason.choices, blank=True)
    end_note = models.CharField(_("kommentar till avslutet"), max_length=500, blank=True)
    follow_up_on = models.DateField(_("uppföljning"), null=True, blank=True)

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        ordering = ["starts_on", "created_at"]
        verbose_name = _("steg")
        verbose_name_plural = _("steg")
        constraints = [
            models.CheckConstraint(condition=~Q(content=""), name="plan_step_content_not_empty"),
            models.CheckConstraint(
                condition=Q(responsible_kind__in=ResponsibleKind.values), name="plan_step_responsible_kind_values"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="plan_step_ends_after_start"
            ),
            models.CheckConstraint(
                condition=(Q(ends_on__isnull=True) & Q(end_reason=""))
                | (Q(ends_on__isnull=False) & Q(end_reason__in=EndReason.values)),
                name="plan_step_end_reason_iff_ended",
            ),
            models.CheckConstraint(
                condition=(Q(responsible_kind="enhet") & Q(responsible_unit__isnull=False))
                | (~Q(responsible_kind="enhet") & Q(responsible_unit__isnull=True)),
                name="plan_step_unit_iff_kind_unit",
            ),
            models.CheckConstraint(
                condition=(Q(responsible_kind="extern") & ~Q(external_actor=""))
                | (~Q(responsible_kind="extern") & Q(external_actor="")),
                name="plan_step_external_actor_iff_kind_external",
            ),
        ]
        indexes = [models.Index(fields=["responsible_unit", "ends_on"])]

    def __str__(self) -> str:
        return self.content[:50]

    @property
    def is_open(self) -> bool:
        return self.ends_on is None


class PlanParticipant(models.Model):
    """Someone who took part in the planning meeting (the young person, staff, relatives)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("namn"), max_length=200)
    role = models.CharField(_("roll"), max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("enhet"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    order = models.PositiveIntegerField(default=0)

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("deltagare i planeringsmötet")
        verbose_name_plural = _("deltagare i planeringsmötet")
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="plan_participant_name_not_empty")]

    def __str__(self) -> str:
        return self.name


class PlanChange(models.TextChoices):
    CREATED = "created", _("Planen skapades")
    CHANGED = "changed", _("Planen ändrades")
    STEP_ADDED = "step_added", _("Ett steg lades till")
    STEP_CHANGED = "step_changed", _("Ett steg ändrades")
    STEP_ENDED = "step_ended", _("Ett steg avslutades")
    CONTINUED_FROM = "continued_from", _("Planen fortsätter från ett tidigare projekt")
    CONTINUED_IN = "continued_in", _("Planen fortsätter i ett annat projekt")


class PlanVersion(models.Model):
    """One kept state of a plan: a snapshot of the whole plan after a change. Never changed."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    change = models.CharField(_("ändring"), max_length=30, choices=PlanChange.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Snapshot of the author's unit: stays true if they later move.
    created_by_unit_name = models.CharField(max_length=420, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    snapshot = models.JSONField(default=dict)

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        ordering = ["-number"]
        verbose_name = _("planversion")
        verbose_name_plural = _("planversioner")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="plan_version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"
