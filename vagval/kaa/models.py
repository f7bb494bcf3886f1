"""KAA documentation: individual measures (åtgärder) as Skolverket's advice asks for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.common.models import BaseModel
from vagval.common.scoping import ScopedManager
from vagval.organisations.models import Unit
from vagval.people.models import Person
from vagval.targetgroup.models import Episode


class Responsible(models.TextChoices):
    YOUNG_PERSON = "ungdomen", _("Den unga")
    MUNICIPALITY = "kommunen", _("Kommunen")
    OTHER_ACTOR = "annan", _("Annan aktör")


# Newest first: the default order, and the person page's (kaa.selectors.person_measures).
MEASURE_ORDER = ["-starts_on", "-created_at"]


class Measure(BaseModel):
    """An individual measure in KAA: content, who is responsible, dates, why it ended, follow-up."""

    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="measures")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="measures")
    episode = models.ForeignKey(
        Episode, verbose_name=_("period"), on_delete=models.PROTECT, null=True, blank=True, related_name="measures"
    )
    kind = models.CharField(_("typ av insats"), max_length=40)  # code from kaa/codes/insatser.csv
    content = models.TextField(_("innehåll"))
    responsible = models.CharField(_("ansvarig"), max_length=20, choices=Responsible.choices)
    responsible_name = models.CharField(_("ansvarig aktör"), max_length=200, blank=True)
    starts_on = models.DateField(_("startdatum"))
    ends_on = models.DateField(_("slutdatum"), null=True, blank=True)
    end_reason = models.CharField(_("orsak till avslut"), max_length=200, blank=True)
    follow_up_on = models.DateField(_("uppföljningsdatum"), null=True, blank=True)
    declined = models.BooleanField(_("den unga tackade nej"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        ordering = MEASURE_ORDER
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="measure_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | ~Q(end_reason=""), name="measure_ended_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["unit", "person"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.starts_on}"
