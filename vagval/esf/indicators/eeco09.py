"""EECO09: Högst grundskola (ISCED 0–2)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind


def condition() -> Q:
    return Q(esf_entry__isced__lte=2)


INDICATOR = Indicator(
    code="EECO09",
    title=_("Högst grundskola (ISCED 0–2)"),
    definition=_(
        "Deltagare vars högsta avslutade utbildning var förskola eller grundskola (ISCED 0–2) när de började."
    ),
    kind=Kind.OUTPUT,
    condition=condition,
)
