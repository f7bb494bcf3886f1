"""EECO12: Deltagare med funktionsnedsättning."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind
from vagval.esf.models import Answer


def condition() -> Q:
    return Q(esf_entry__disability=Answer.YES)


INDICATOR = Indicator(
    code="EECO12",
    title=_("Deltagare med funktionsnedsättning"),
    definition=_(
        "Deltagare som själva har uppgett att de har en funktionsnedsättning. Känslig uppgift: frivillig och "
        "redovisas bara som antal."
    ),
    kind=Kind.OUTPUT,
    condition=condition,
    special_category=True,
)
