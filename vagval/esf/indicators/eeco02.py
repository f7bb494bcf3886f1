"""EECO02: Arbetslösa, även långtidsarbetslösa."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind
from vagval.esf.models import LabourStatus


def condition() -> Q:
    return Q(esf_entry__labour_status=LabourStatus.UNEMPLOYED)


INDICATOR = Indicator(
    code="EECO02",
    title=_("Arbetslösa, även långtidsarbetslösa"),
    definition=_("Deltagare som var arbetslösa när de började."),
    kind=Kind.OUTPUT,
    condition=condition,
)
