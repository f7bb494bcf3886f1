"""EECO13: Medborgare i tredjeland."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind
from vagval.esf.models import Answer


def condition() -> Q:
    return Q(esf_entry__third_country=Answer.YES)


INDICATOR = Indicator(
    code="EECO13",
    title=_("Medborgare i tredjeland"),
    definition=_("Deltagare som är medborgare i ett land utanför EU."),
    kind=Kind.OUTPUT,
    condition=condition,
)
