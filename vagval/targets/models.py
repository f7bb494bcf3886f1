"""A project's targets: which figure, what value, over which period (issue 13, "Report and learn").

The actual figures are never stored here: they are measured when asked (`targets.figures`), from
the apps that own them, so a target can never disagree with the page that shows the figure.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vagval.common.models import BaseModel
from vagval.organisations.models import Project


class Figure(models.TextChoices):
    """The figures a target can be set for; each has a module-level definition in targets.figures."""

    PARTICIPANTS = "deltagare", _("Antal deltagare")
    WORK_OR_STUDIES_90 = "arbete_studier_90", _("Andel i arbete eller studier 90 dagar efter avslut")
    CLOSER = "narmare_arbetsmarknaden", _("Andel som kommit närmare arbetsmarknaden")
    FIRST_CONTACT = "forsta_kontakt", _("Tid till första kontakt")
    FOLLOW_UP_RESPONSE = "uppfoljning_svar", _("Svarsfrekvens i uppföljningarna")


class Status(models.TextChoices):
    ON_TRACK = "i_fas", _("I fas")
    BEHIND = "efter", _("Efter")
    NOT_STARTED = "ej_startad", _("Inte påbörjad")
    TOO_FEW = "for_fa", _("För få uppgifter")


class Target(BaseModel):
    project = models.ForeignKey(Project, verbose_name=_("projekt"), on_delete=models.CASCADE, related_name="targets")
    figure = models.CharField(_("mått"), max_length=40, choices=Figure.choices)
    value = models.DecimalField(_("målvärde"), max_digits=9, decimal_places=1)
    starts_on = models.DateField(_("periodens första dag"))
    ends_on = models.DateField(_("periodens sista dag"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["figure", "starts_on"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        constraints = [
            models.UniqueConstraint(fields=["project", "figure", "starts_on"], name="target_one_per_figure_and_start"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="target_ends_after_start"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_figure_display()} {self.value}"
