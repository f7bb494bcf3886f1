"""EECO15: Minoriteter."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind
from vagval.esf.models import Answer


def condition() -> Q:
    return Q(esf_entry__minority=Answer.YES)


INDICATOR = Indicator(
    code="EECO15",
    title=_("Minoriteter"),
    definition=_(
        "Deltagare som själva har uppgett att de tillhör en minoritet (även marginaliserade grupper som "
        "romer). Känslig uppgift: frivillig och redovisas bara som antal."
    ),
    kind=Kind.OUTPUT,
    condition=condition,
    special_category=True,
)
