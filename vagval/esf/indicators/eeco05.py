"""EECO05: Sysselsatta, även egenföretagare."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind
from vagval.esf.models import LabourStatus


def condition() -> Q:
    return Q(esf_entry__labour_status=LabourStatus.EMPLOYED)


INDICATOR = Indicator(
    code="EECO05",
    title=_("Sysselsatta, även egenföretagare"),
    definition=_("Deltagare som hade arbete, även eget företag, när de började."),
    kind=Kind.OUTPUT,
    condition=condition,
)
