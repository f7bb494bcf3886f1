"""EECR01: Söker arbete efter avslut."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind
from vagval.followup.models import Situation


def condition() -> Q:
    return Q(immediate=Situation.JOB_SEEKING)


INDICATOR = Indicator(
    code="EECR01",
    title=_("Söker arbete efter avslut"),
    definition=_(
        "Deltagare som sökte arbete inom 4 veckor efter att de lämnade projektet. Bara den sista händelsen "
        "inom 4 veckor räknas: uppföljningen efter 4 veckor om den är gjord, annars situationen vid avslut. "
        "Räknas inte om deltagaren har arbete (EECR04)."
    ),
    kind=Kind.RESULT,
    condition=condition,
)
