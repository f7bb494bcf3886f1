"""EECR02: I utbildning efter avslut."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind
from vagval.followup.models import Situation


def condition() -> Q:
    return Q(immediate=Situation.STUDYING)


INDICATOR = Indicator(
    code="EECR02",
    title=_("I utbildning efter avslut"),
    definition=_(
        "Deltagare som var i utbildning inom 4 veckor efter att de lämnade projektet (sista händelsen inom 4 veckor)."
    ),
    kind=Kind.RESULT,
    condition=condition,
)
