"""EECO06: Under 18 år."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind


def condition() -> Q:
    return Q(esf_entry__age_at_entry__lt=18)


INDICATOR = Indicator(
    code="EECO06",
    title=_("Under 18 år"),
    definition=_("Deltagare som var under 18 år när de började."),
    kind=Kind.OUTPUT,
    condition=condition,
)
