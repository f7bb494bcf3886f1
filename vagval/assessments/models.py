"""Instruments (versioned definitions), responses and personal links for answering without an account.

An instrument version's definition never changes once a response to it exists; a changed
instrument is a new version, and old responses keep pointing at the version they answered.
Responses are never changed after they are submitted.

Sensitive instruments (health and needs mappings, `Instrument.sensitive`) belong to the consent
category "kansliga_kartlaggningar" and must never be shown in, or exported to, the KAA register
(there is no KAA register yet: whoever builds it must leave them out). The others belong to
"kartlaggningar".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vagval.common.models import BaseModel
from vagval.common.scoping import ScopedManager
from vagval.consent.models import ConsentCategory
from vagval.organisations.models import Unit
from vagval.people.models import Person

DEFAULT_LINK_DAYS = 14


class ImmutableError(Exception):
    pass


LINK_STATUS_LABELS = {
    "active": _("Aktiv"),
    "used": _("Besvarad"),
    "revoked": _("Återkallad"),
    "expired": _("Har slutat gälla"),
}


class Respondent(models.TextChoices):
    YOUNG_PERSON = "den_unga", _("Den unga själv")
    COACH_WITH_YOUNG_PERSON = "coach_med_den_unga", _("Coach tillsammans med den unga")
    SUPERVISOR = "handledare", _("Handledare på arbetsplatsen")


class ResponseContext(models.TextChoices):
    START = "start", _("Vid start")
    FOLLOW_UP = "uppfoljning", _("Uppföljning")
    EXIT = "avslut", _("Vid avslut")
    PLACEMENT = "praktik", _("Under praktik")


class VersionSource(models.TextChoices):
    FILE = "fil", _("Fil i Vägval")
    UPLOAD = "uppladdad", _("Uppladdad av administratör")


class Instrument(BaseModel):
    slug = models.SlugField(_("kortnamn"), max_length=50, unique=True)
    title = models.CharField(_("namn"), max_length=200)
    # Fixed for the instrument's life: it decides the consent category of every response.
    sensitive = models.BooleanField(_("känsliga uppgifter"), default=False)
    current_version = models.ForeignKey(
        "InstrumentVersion",
        verbose_name=_("aktuell version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instrument")

    def __str__(self) -> str:
        return self.title

    @property
    def consent_category(self) -> str:
        return ConsentCategory.SENSITIVE_MAPPINGS if self.sensitive else ConsentCategory.MAPPINGS


class InstrumentVersion(BaseModel):
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    checksum = models.CharField(max_length=64)
    source = models.CharField(_("källa"), max_length=20, choices=VersionSource.choices, default=VersionSource.FILE)
    loaded_at = models.DateTimeField(_("inläst"), default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["instrument__title", "-number"]
        verbose_name = _("instrumentversion")
        verbose_name_plural = _("instrumentversioner")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="instrument_version_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="instrument_version_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.title} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.pk is not None:
            stored = InstrumentVersion.objects.filter(pk=self.pk).values_list("checksum", flat=True).first()
            if stored is not None and stored != self.checksum and self.responses.exists():
                raise ImmutableError("En version som har svar kan inte ändras. Skapa en ny version.")
        super().save(*args, **kwargs)


class SentVia(models.TextChoices):
    NONE = "", _("Visad på skärmen eller som QR-kod")
    EMAIL = "epost", _("E-post")
    SMS = "sms", _("SMS")


class AssessmentLink(BaseModel):
    """A personal, single-purpose link to one form for one person. Only the token's hash is stored."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    instrument_version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="links")
    respondent = models.CharField(_("vem svarar"), max_length=30, choices=Respondent.choices)
    context = models.CharField(_("tillfälle"), max_length=20, choices=ResponseContext.choices)
    # The unit that sent the link keeps the answer (its secrecy domain).
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField(_("gäller till"))
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    used_at = models.DateTimeField(_("besvarad"), null=True, blank=True)
    sent_via = models.CharField(_("skickad med"), max_length=10, choices=SentVia.choices, blank=True)
    sent_to = models.CharField(_("skickad till"), max_length=200, blank=True)

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("personlig länk")
        verbose_name_plural = _("personliga länkar")
        indexes = [models.Index(fields=["person", "unit"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(respondent__in=["den_unga", "handledare"]), name="assessment_link_respondent_answers_alone"
            )
        ]

    def __str__(self) -> str:
        return f"Länk till {self.instrument_version}"

    def refusal_reason(self, *, now: dt.datetime | None = None) -> str | None:
        """Why the link can no longer be used ("used", "revoked", "expired"), or None if it can."""
        now = now or timezone.now()
        if self.used_at is not None:
            return "used"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return None

    @property
    def status(self) -> str:
        return self.refusal_reason() or "active"

    @property
    def status_label(self) -> str:
        return str(LINK_STATUS_LABELS[self.status])


class Response(BaseModel):
    """One submitted form. Answers are checked against the version's definition before saving."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    instrument_version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="responses")
    # The unit where it was recorded: responses belong to that unit's secrecy domain.
    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+")
    respondent = models.CharField(_("vem svarade"), max_length=30, choices=Respondent.choices)
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ifylld av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    link = models.OneToOneField(
        AssessmentLink, on_delete=models.PROTECT, null=True, blank=True, related_name="response"
    )
    context = models.CharField(_("tillfälle"), max_length=20, choices=ResponseContext.choices)
    answered_on = models.DateField(_("datum"))
    submitted_at = models.DateTimeField(_("inskickad"), default=timezone.now)
    answers = models.JSONField(_("svar"), default=dict)
    scores = models.JSONField(_("poäng per avsnitt"), default=dict)

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        ordering = ["answered_on", "submitted_at"]
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        indexes = [models.Index(fields=["person", "instrument", "answered_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(filled_by__isnull=False) | Q(link__isnull=False), name="response_filled_by_user_or_link"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument.title} {self.answered_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError("Ett inskickat svar kan inte ändras.")
        super().save(*args, **kwargs)
