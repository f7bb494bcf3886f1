"""EECO08: 55 år och äldre."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind


def condition() -> Q:
    return Q(esf_entry__age_at_entry__gte=55)


INDICATOR = Indicator(
    code="EECO08",
    title=_("55 år och äldre"),
    definition=_("Deltagare som var 55 år eller äldre när de började."),
    kind=Kind.OUTPUT,
    condition=condition,
)
