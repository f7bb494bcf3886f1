"""EECR06: Förbättrad situation på arbetsmarknaden efter 6 månader."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind
from vagval.esf.models import Answer, LabourStatus
from vagval.followup.models import Situation


def condition() -> Q:
    return Q(
        esf_entry__labour_status=LabourStatus.EMPLOYED,
        esf_entry__improved_after_6_months=Answer.YES,
        after_6_months=Situation.WORKING,
    )


INDICATOR = Indicator(
    code="EECR06",
    title=_("Förbättrad situation på arbetsmarknaden efter 6 månader"),
    definition=_(
        "Deltagare som var sysselsatta när de började och som 6 månader efter avslut har arbete och en bättre"
        " situation på arbetsmarknaden (till exempel från tillfällig till fast anställning eller från deltid "
        "till heltid). Gäller bara deltagare som var sysselsatta vid start."
    ),
    kind=Kind.RESULT,
    condition=condition,
)
