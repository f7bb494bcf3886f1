"""Outreach: contact attempts with the young person and their occupation (sysselsättning) over time."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vagval.common.models import BaseModel
from vagval.common.scoping import ScopedManager
from vagval.organisations.models import Unit
from vagval.people.models import Person
from vagval.targetgroup.models import Episode


class Channel(models.TextChoices):
    LETTER = "brev", _("Brev")
    PHONE = "telefon", _("Telefon")
    SMS = "sms", _("Sms")
    EMAIL = "epost", _("E-post")
    HOME_VISIT = "hembesok", _("Hembesök")
    VIA_SCHOOL = "via_skola", _("Via skola")
    VIA_AGENCY = "via_myndighet", _("Via annan myndighet")


class Outcome(models.TextChoices):
    REACHED = "nadd", _("Nådd")
    NOT_REACHED = "ej_nadd", _("Ej nådd")
    DECLINED = "avbojer", _("Avböjer")
    WRONG_DETAILS = "fel_kontaktuppgift", _("Fel kontaktuppgift")


class ContactAttempt(BaseModel):
    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="contact_attempts")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="contact_attempts"
    )
    episode = models.ForeignKey(
        Episode, verbose_name=_("period"), on_delete=models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    outcome = models.CharField(_("utfall"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("anteckning"), blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gjord av"), on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(_("tidpunkt"))

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        ordering = ["-made_at"]
        verbose_name = _("kontaktförsök")
        verbose_name_plural = _("kontaktförsök")
        indexes = [models.Index(fields=["unit", "person", "made_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.made_at:%Y-%m-%d}"


class OccupationCategory(models.TextChoices):
    STUDIES_NATIONAL = "studier_nationellt", _("Studier – nationellt program")
    STUDIES_IM = "studier_im", _("Studier – introduktionsprogram")
    STUDIES_KOMVUX = "studier_komvux", _("Studier – Komvux")
    STUDIES_FOLK_HIGH_SCHOOL = "studier_folkhogskola", _("Studier – folkhögskola")
    STUDIES_OTHER = "studier_annat", _("Studier – annat")
    WORK = "arbete", _("Arbete")
    PLACEMENT = "praktik_insats", _("Praktik eller insats")
    OTHER_OCCUPATION = "annan", _("Annan sysselsättning")
    NONE = "ingen", _("Ingen sysselsättning")
    UNKNOWN = "okand", _("Okänd")


class OccupationSource(models.TextChoices):
    YOUNG_PERSON = "ungdomen", _("Den unga")
    SCHOOL = "skola", _("Skola")
    EMPLOYMENT_SERVICE = "af", _("Arbetsförmedlingen")
    REGISTER = "register", _("Register")


class Occupation(BaseModel):
    """What the young person does from a date on; the latest entry is the current occupation."""

    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="occupations")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="occupations")
    category = models.CharField(_("sysselsättning"), max_length=30, choices=OccupationCategory.choices)
    description = models.CharField(_("beskrivning"), max_length=200, blank=True)
    from_date = models.DateField(_("från och med"))
    planned = models.BooleanField(_("planerad"), default=False)  # KAA registers past, current and planned
    source = models.CharField(_("källa"), max_length=20, choices=OccupationSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registrerad av"), on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        ordering = ["-from_date", "-created_at"]
        verbose_name = _("sysselsättning")
        verbose_name_plural = _("sysselsättningar")
        indexes = [models.Index(fields=["unit", "person", "from_date"])]

    def __str__(self) -> str:
        return f"{self.get_category_display()} från {self.from_date}"
