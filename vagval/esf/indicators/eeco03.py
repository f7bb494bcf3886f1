"""EECO03: Långtidsarbetslösa."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind
from vagval.esf.models import LabourStatus


def condition() -> Q:
    return Q(esf_entry__labour_status=LabourStatus.UNEMPLOYED, esf_entry__long_term_unemployed=True)


INDICATOR = Indicator(
    code="EECO03",
    title=_("Långtidsarbetslösa"),
    definition=_(
        "Deltagare som var långtidsarbetslösa när de började: arbetslösa i mer än 6 månader (under 25 år) "
        "eller mer än 12 månader (25 år och äldre)."
    ),
    kind=Kind.OUTPUT,
    condition=condition,
)
