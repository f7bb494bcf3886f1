"""Referrals (remisser) from one unit to a partner unit, opened by the young person's consent.

A referral is only possible while a consent documented by the referring unit names the
recipient unit. The recipient sees it through the one access check (vagval.access.checks),
so withdrawal or expiry of the consent closes it for them on the next request. Nothing is
deleted: every step is kept as a ReferralEvent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vagval.common.models import BaseModel
from vagval.common.scoping import ScopedManager
from vagval.consent.models import Consent
from vagval.organisations.models import Unit
from vagval.people.models import Person


class ReferralStatus(models.TextChoices):
    SENT = "skickad", _("Skickad, väntar på svar")
    MORE_INFO_REQUESTED = "begard_komplettering", _("Komplettering begärd")
    ACCEPTED = "accepterad", _("Accepterad")
    DECLINED = "avbojd", _("Avböjd")
    WITHDRAWN = "aterkallad", _("Återkallad")


# Statuses where someone still has to act; only these can be overdue.
OPEN_STATUSES = frozenset({ReferralStatus.SENT, ReferralStatus.MORE_INFO_REQUESTED})


class Referral(BaseModel):
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="referrals")
    from_unit = models.ForeignKey(
        Unit, verbose_name=_("remitterande enhet"), on_delete=models.PROTECT, related_name="referrals_sent"
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("remitterad av"), on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        Unit, verbose_name=_("mottagare"), on_delete=models.PROTECT, related_name="referrals_received"
    )
    # The consent (documented by from_unit, naming to_unit) that allowed sending.
    consent = models.ForeignKey(Consent, verbose_name=_("samtycke"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("anledning och frågeställning"), max_length=4000)
    requested_measure = models.CharField(_("önskad insats"), max_length=500)
    status = models.CharField(_("status"), max_length=30, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    sent_at = models.DateTimeField(_("skickad"), default=timezone.now)
    response_deadline = models.DateField(_("svara senast"))
    # The recipient's first response of any kind: accept, decline or ask for more.
    first_action_at = models.DateTimeField(_("första åtgärd"), null=True, blank=True)
    response = models.TextField(_("svar"), max_length=4000, blank=True)
    decline_reason = models.TextField(_("skäl till avböjande"), max_length=2000, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("besvarad av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("besvarad"), null=True, blank=True)
    # What the accepted referral should become in the person's plan (wired by the plans app).
    accepted_step_text = models.TextField(_("insats i planen"), max_length=2000, blank=True)

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("remiss")
        verbose_name_plural = _("remisser")
        constraints = [
            models.CheckConstraint(condition=~Q(from_unit=models.F("to_unit")), name="referral_to_another_unit"),
            models.CheckConstraint(
                condition=~Q(status="avbojd") | ~Q(decline_reason=""), name="referral_decline_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["skickad", "begard_komplettering", "accepterad", "avbojd", "aterkallad"]),
                name="referral_status_values",
            ),
        ]
        indexes = [
            models.Index(fields=["to_unit", "status"]),
            models.Index(fields=["from_unit", "status"]),
        ]

    def __str__(self) -> str:
        return f"Remiss till {self.to_unit}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReferralEventKind(models.TextChoices):
    SENT = "skickad", _("Remissen skickades")
    MORE_INFO_REQUESTED = "komplettering_begard", _("Mottagaren begärde komplettering")
    INFO_ADDED = "kompletterad", _("Remissen kompletterades")
    ACCEPTED = "accepterad", _("Remissen accepterades")
    DECLINED = "avbojd", _("Remissen avböjdes")
    WITHDRAWN = "aterkallad", _("Remissen återkallades")


class ReferralEvent(models.Model):
    """One step in a referral's history: who, at which unit, when, what, and their text."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("tidpunkt"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("av"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("händelse"), max_length=30, choices=ReferralEventKind.choices)
    text = models.TextField(_("text"), max_length=4000, blank=True)

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("remisshändelse")
        verbose_name_plural = _("remisshändelser")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"
