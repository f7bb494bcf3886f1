"""EECO07: 18–29 år."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind


def condition() -> Q:
    return Q(esf_entry__age_at_entry__gte=18, esf_entry__age_at_entry__lte=29)


INDICATOR = Indicator(
    code="EECO07",
    title=_("18–29 år"),
    definition=_("Deltagare som var 18–29 år när de började."),
    kind=Kind.OUTPUT,
    condition=condition,
)
