"""EECR04: I arbete efter avslut."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind
from vagval.followup.models import Situation


def condition() -> Q:
    return Q(immediate=Situation.WORKING)


INDICATOR = Indicator(
    code="EECR04",
    title=_("I arbete efter avslut"),
    definition=_(
        "Deltagare som hade arbete, även eget företag, inom 4 veckor efter att de lämnade projektet (sista "
        "händelsen inom 4 veckor). Räknas inte samtidigt som EECR01."
    ),
    kind=Kind.RESULT,
    condition=condition,
)
