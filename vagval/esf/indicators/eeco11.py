"""EECO11: Tertiär utbildning (ISCED 5–8)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind


def condition() -> Q:
    return Q(esf_entry__isced__gte=5)


INDICATOR = Indicator(
    code="EECO11",
    title=_("Tertiär utbildning (ISCED 5–8)"),
    definition=_("Deltagare vars högsta avslutade utbildning var tertiär (ISCED 5–8) när de började."),
    kind=Kind.OUTPUT,
    condition=condition,
)
