"""Retention rules (gallring), their dry runs and the deletion log; legal holds; register extracts.

A rule is data an administrator maintains, with the decision it rests on (gallringsbeslut). A
dry run (RetentionReview) lists what the rule would remove today and why; only an approved dry
run is carried out, by the worker's job, and each batch it removes leaves a DeletionLogEntry
that is never deleted. See docs/ARCHITECTURE.md, "Data protection".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.common.models import BaseModel
from vagval.common.scoping import ScopedManager
from vagval.organisations.models import Organisation
from vagval.people.models import Person


class RecordType(models.TextChoices):
    """What a rule removes. Which models belong to which type: dataprotection.records."""

    PERSON_FILE = "person_file", _("Personakt (inskrivningar, planer, anteckningar, insatser …)")
    KAA = "kaa", _("KAA-register (det kommunala aktivitetsansvaret)")
    ACCESS_LOG = "access_log", _("Åtkomstloggen")


class RetentionRule(BaseModel):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    record_type = models.CharField(_("typ av uppgifter"), max_length=20, choices=RecordType.choices)
    # For the access log: months after the entry; for the others: years after the last entry.
    years_after_last_entry = models.PositiveSmallIntegerField(_("år efter sista anteckningen"), default=5)
    months_after_entry = models.PositiveSmallIntegerField(_("månader efter loggposten"), null=True, blank=True)
    by_end_of_following_year = models.BooleanField(
        _("gallras vid utgången av året efter"),
        default=True,
        help_text=_("Gallra en gång per år: det som passerat tiden under ett år gallras under nästa kalenderår."),
    )
    keep_while_other_records = models.BooleanField(
        _("inte så länge andra uppgifter om personen finns kvar"), default=True
    )
    research_exception = models.BooleanField(
        _("forskningsundantag (födda den 5, 15 och 25)"),
        default=False,
        help_text=_("Uppgifter om personer födda den 5:e, 15:e eller 25:e i månaden sparas för forskning."),
    )
    decision_reference = models.CharField(_("gallringsbeslut (diarienummer)"), max_length=200)
    active = models.BooleanField(_("aktiv"), default=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("ändrad av")
    )

    class Meta:
        ordering = ["organisation__name", "record_type"]
        verbose_name = _("gallringsregel")
        verbose_name_plural = _("gallringsregler")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "record_type"], name="retention_rule_one_per_type"),
            models.CheckConstraint(
                condition=Q(record_type="access_log", months_after_entry__isnull=False, months_after_entry__gte=1)
                | (~Q(record_type="access_log") & Q(years_after_last_entry__gte=1)),
                name="retention_rule_has_a_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()} – {self.organisation}"


class ReviewStatus(models.TextChoices):
    AWAITING = "awaiting", _("Väntar på godkännande")
    APPROVED = "approved", _("Godkänd, körs av bakgrundsjobbet")
    DONE = "done", _("Genomförd")
    STALE = "stale", _("Inaktuell (regeln ändrades eller fler skulle gallras)")


class RetentionReview(BaseModel):
    """A dry run: what the rule would remove as of `as_of`, counted, with a sample of reasons.

    Approving it lets the worker remove at most `count` files as of the same day; if more were
    due by then (not possible unless records were back-dated) or the rule changed, the run asks
    for a new dry run instead (status stale).
    """

    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="reviews")
    rule_version = models.DateTimeField()  # the rule's updated_at when the dry run was made
    as_of = models.DateField(_("per dag"))
    count = models.PositiveIntegerField(_("antal"))
    kept = models.JSONField(_("sparas"), default=dict)  # reason code → count
    # Up to SAMPLE_SIZE rows: pseudonymous ref, unit name, last entry, due date, deadline.
    sample = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.AWAITING)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("provkörning av gallring")
        verbose_name_plural = _("provkörningar av gallring")


class DeletionLogEntry(BaseModel):
    """One batch removed by a rule: kept for good (no code path deletes it)."""

    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="+")
    review = models.ForeignKey(RetentionReview, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    record_type = models.CharField(_("typ av uppgifter"), max_length=20, choices=RecordType.choices)
    organisation_name = models.CharField(_("organisation"), max_length=300)
    decision_reference = models.CharField(_("gallringsbeslut"), max_length=200)
    deleted = models.PositiveIntegerField(_("gallrade personer"), default=0)
    anonymised = models.PositiveIntegerField(_("avidentifierade personer"), default=0)
    rows = models.JSONField(_("rader per slag"), default=dict)  # model label → rows removed
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("gallringslogg")
        verbose_name_plural = _("gallringslogg")


class LegalHold(BaseModel):
    """Gallringsstopp: while active, no rule removes anything about the person record."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("skäl"), max_length=300)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(_("hävt"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager()  # names a person: only inside a scope

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("gallringsstopp")
        verbose_name_plural = _("gallringsstopp")
        constraints = [
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True)
                | Q(lifted_at__isnull=False, lifted_by__isnull=False),
                name="legal_hold_lifted_by_someone",
            )
        ]


class RegisterExtract(BaseModel):
    """That a register extract was made, by whom and why: no identity number, no file kept."""

    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("skäl"), max_length=300)
    records = models.PositiveIntegerField(_("personposter"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("registerutdrag")
        verbose_name_plural = _("registerutdrag")
