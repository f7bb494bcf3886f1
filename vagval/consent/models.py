"""Consent records: the young person lifts secrecy for named units, categories and a purpose.

A consent is checked at query time by vagval.access.checks: a withdrawn or expired consent
closes access on the next request. Nothing here is ever deleted; withdrawal is a timestamp.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.common.models import BaseModel
from vagval.common.scoping import ScopedManager
from vagval.organisations.models import Unit
from vagval.people.models import Person


class ConsentCategory(models.TextChoices):
    IDENTITY = "identitet", _("Identitet och kontaktuppgifter")
    PLAN = "plan", _("Plan och insatser")
    MAPPINGS = "kartlaggningar", _("Kartläggningar")
    SENSITIVE_MAPPINGS = "kansliga_kartlaggningar", _("Hälso- och behovskartläggningar")
    NOTES = "anteckningar", _("Anteckningar")
    OUTCOMES = "resultat", _("Resultat och uppföljning")


ALL_CATEGORIES = frozenset(ConsentCategory.values)


class ConsentForm(models.TextChoices):
    WRITTEN = "skriftligt", _("Skriftligt")
    ORAL = "muntligt", _("Muntligt")


def consent_document_path(instance: Consent, filename: str) -> str:
    # The uploaded form is stored under an opaque name: the file name may hold a personnummer.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"samtycken/{instance.pk}.{suffix[:5]}"


class Consent(BaseModel):
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="consents")
    # The unit that documented the consent and keeps it.
    unit = models.ForeignKey(Unit, verbose_name=_("dokumenterat av enhet"), on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dokumenterat av"), on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.TextField(_("syfte"), max_length=1000)
    form = models.CharField(_("form"), max_length=20, choices=ConsentForm.choices)
    categories = models.JSONField(_("uppgifter som får lämnas"), default=list)
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till och med"))
    document = models.FileField(_("inskannad blankett"), upload_to=consent_document_path, blank=True)
    withdrawn_at = models.DateTimeField(_("återkallat"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = models.CharField(_("kommentar till återkallelsen"), max_length=500, blank=True)

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        ordering = ["-valid_from", "-created_at"]
        verbose_name = _("samtycke")
        verbose_name_plural = _("samtycken")
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")), name="consent_ends_after_start"),
        ]
        # The consents a unit documented that end soon (the to-do list's and the start page's
        # expiring consents): a range of this index, not every consent of the unit (a city's
        # 20,000 at the national size read whole for 813, 5 ms of every to-do statement).
        indexes = [models.Index(fields=["unit", "valid_to"], name="consent_unit_valid_to")]

    def __str__(self) -> str:
        return f"Samtycke {self.valid_from}–{self.valid_to}"


class ConsentRecipient(models.Model):
    """One receiving unit of a consent; withdrawal can be for this recipient alone."""

    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="recipients")
    unit = models.ForeignKey(Unit, verbose_name=_("mottagare"), on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        verbose_name = _("mottagare")
        verbose_name_plural = _("mottagare")
        constraints = [models.UniqueConstraint(fields=["consent", "unit"], name="consent_recipient_unique")]
        indexes = [models.Index(fields=["unit", "withdrawn_at"])]

    def __str__(self) -> str:
        return str(self.unit)
