"""EECO14: Deltagare med utländsk bakgrund."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind
from vagval.esf.models import Answer


def condition() -> Q:
    return Q(esf_entry__foreign_background=Answer.YES)


INDICATOR = Indicator(
    code="EECO14",
    title=_("Deltagare med utländsk bakgrund"),
    definition=_("Deltagare som själva har uppgett att de har utländsk bakgrund."),
    kind=Kind.OUTPUT,
    condition=condition,
)
