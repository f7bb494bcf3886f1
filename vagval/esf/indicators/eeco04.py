"""EECO04: Inaktiva."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind
from vagval.esf.models import LabourStatus


def condition() -> Q:
    return Q(esf_entry__labour_status=LabourStatus.INACTIVE)


INDICATOR = Indicator(
    code="EECO04",
    title=_("Inaktiva"),
    definition=_("Deltagare som varken arbetade eller sökte arbete när de började."),
    kind=Kind.OUTPUT,
    condition=condition,
)
