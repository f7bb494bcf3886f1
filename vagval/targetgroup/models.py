"""The target group: who is in KAA (16–19) or UVAS (20–29) outreach, since when, why, and why they left.

An Episode is a person's time on one list at one unit (the unit that holds the municipality's
register). Episodes open and close automatically when the target group is computed after an
import or on a reference date; closed episodes are history and are never deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vagval.common.indexes import NullsFirstIndex
from vagval.common.models import BaseModel
from vagval.common.scoping import ScopedManager
from vagval.organisations.models import Municipality, Unit
from vagval.people.models import Person
from vagval.registers.models import RegisterImport


class TargetList(models.TextChoices):
    KAA = "kaa", _("KAA (16–19 år)")
    UVAS = "uvas", _("UVAS (20–29 år)")


class TargetGroupSetting(models.Model):
    """Per-municipality settings for the target group rules and outreach targets."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, primary_key=True, related_name="target_group_setting"
    )
    # Since 2018-07-01 a student on an introduction programme is outside KAA; a municipality may
    # still choose to follow them in its outreach (False).
    im_ends_kaa = models.BooleanField(_("studier på introduktionsprogram tar personen ur KAA"), default=True)
    first_contact_workdays = models.PositiveSmallIntegerField(_("mål för första kontakt (arbetsdagar)"), default=5)

    class Meta:
        verbose_name = _("inställning för målgrupp")
        verbose_name_plural = _("inställningar för målgrupp")

    def __str__(self) -> str:
        return str(self.municipality)


class Episode(BaseModel):
    """A person's time on the KAA or UVAS list at a unit."""

    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="episodes")
    municipality = models.ForeignKey(Municipality, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="episodes")
    target_list = models.CharField(_("lista"), max_length=10, choices=TargetList.choices)
    opened_on = models.DateField(_("identifierad"))
    # Code (for statistics, see kaa code lists) and text shown to the user, e.g.
    # code "avbrott", text "avbrott GY EE 2026-03-02".
    open_code = models.CharField(_("orsak (kod)"), max_length=40)
    open_reason = models.CharField(_("orsak"), max_length=200)
    closed_on = models.DateField(_("avslutad"), null=True, blank=True)
    close_code = models.CharField(
        _("avslutsorsak (kod)"), max_length=40, blank=True
    )  # studier, fyllt20, flyttat, examen
    close_reason = models.CharField(_("avslutsorsak"), max_length=200, blank=True)
    # The register import whose target group refresh closed this episode: undoing that import
    # reopens it (vagval.registers.services.register_import_undo).
    closed_by_import = models.ForeignKey(
        RegisterImport,
        verbose_name=_("avslutad av import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="closed_episodes",
    )
    handed_over_at = models.DateTimeField(_("överlämnad"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Kept by outreach from the episode's contact attempts (vagval.outreach.services.
    # episode_contacts_keep, in the transaction that writes the attempt): the latest attempt and
    # the first that reached the person, so that the worklist ranks and counts from the episode
    # alone. Null: none yet.
    last_contact_at = models.DateTimeField(_("senaste kontaktförsök"), null=True, blank=True, editable=False)
    first_reached_at = models.DateTimeField(_("först nådd"), null=True, blank=True, editable=False)

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        ordering = ["-opened_on"]
        verbose_name = _("period i målgruppen")
        verbose_name_plural = _("perioder i målgruppen")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "person", "target_list"],
                condition=Q(closed_on__isnull=True),
                name="episode_one_open_per_unit_person_list",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="episode_closes_after_open",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "target_list", "closed_on"]),
            models.Index(fields=["person", "unit"]),
            # The outreach worklist: its order (never contacted first, then the longest since the
            # last contact, then identification) read from the start, and its counts (over target
            # needs first_reached_at, the merged-record check person_id) and filter choices
            # (open_code) from the index alone.
            NullsFirstIndex(
                F("unit"),
                F("last_contact_at").asc(nulls_first=True),
                F("opened_on"),
                F("first_reached_at"),
                F("person"),
                F("open_code"),
                name="episode_open_worklist",
                condition=Q(closed_on__isnull=True),
            ),
            # The outreach worklist's reason codes and identification dates of a unit's open
            # episodes, found one probe per value (outreach.selectors._open_values).
            models.Index(fields=["unit", "open_code"], name="episode_open_reason", condition=Q(closed_on__isnull=True)),
            models.Index(
                fields=["unit", "opened_on"], name="episode_open_identified", condition=Q(closed_on__isnull=True)
            ),
            # The persons of a unit's register, open and closed episodes (the own-unit basis of
            # access.checks): counted and collected from the index alone, not the table.
            models.Index(fields=["unit", "person"], name="episode_unit_person"),
        ]

    def __str__(self) -> str:
        return f"{self.get_target_list_display()} {self.opened_on}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
