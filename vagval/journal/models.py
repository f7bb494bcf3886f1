"""Journal notes on a person, written at a unit.

A note is never changed: a correction is a new note that points at the one it corrects, so
the history stays. Visibility is "own unit only" or "shared", and a shared note is shown to
a partner only under a valid consent, documented by the note's unit, that covers the
category "anteckningar". Sensitive notes are not allowed in the KAA context: the KAA
register may not hold sensitive data (förordning 2006:39).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vagval.common.models import BaseModel
from vagval.common.scoping import ScopedManager
from vagval.organisations.models import Unit
from vagval.people.models import Person


class NoteVisibility(models.TextChoices):
    OWN_UNIT = "egen_enhet", _("Bara min enhet")
    SHARED = "delas", _("Delas med samtycke (kategorin Anteckningar)")


class NoteContext(models.TextChoices):
    GENERAL = "allmant", _("Allmänt")
    KAA = "kaa", _("KAA, det kommunala aktivitetsansvaret")


class Note(BaseModel):
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="notes")
    unit = models.ForeignKey(Unit, verbose_name=_("skriven vid enhet"), on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("skriven av"), on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(_("skriven"), default=timezone.now)
    text = models.TextField(_("anteckning"), max_length=10000)
    visibility = models.CharField(
        _("vem får se"), max_length=20, choices=NoteVisibility.choices, default=NoteVisibility.OWN_UNIT
    )
    context = models.CharField(_("sammanhang"), max_length=20, choices=NoteContext.choices, default=NoteContext.GENERAL)
    sensitive = models.BooleanField(_("känsliga uppgifter"), default=False)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("rättar"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        ordering = ["-written_at", "-created_at"]
        verbose_name = _("anteckning")
        verbose_name_plural = _("anteckningar")
        constraints = [
            models.CheckConstraint(condition=~Q(context="kaa", sensitive=True), name="note_no_sensitive_data_in_kaa"),
            models.CheckConstraint(condition=Q(visibility__in=["egen_enhet", "delas"]), name="note_visibility_values"),
            models.CheckConstraint(condition=Q(context__in=["allmant", "kaa"]), name="note_context_values"),
        ]
        indexes = [models.Index(fields=["person", "unit", "written_at"])]

    def __str__(self) -> str:
        return f"Anteckning {self.written_at:%Y-%m-%d}"
