"""EECR03: Har fått en kvalifikation efter avslut."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind
from vagval.followup.models import Situation


def condition() -> Q:
    return Q(immediate=Situation.QUALIFIED)


INDICATOR = Indicator(
    code="EECR03",
    title=_("Har fått en kvalifikation efter avslut"),
    definition=_(
        "Deltagare som hade fått en kvalifikation inom 4 veckor efter att de lämnade projektet (sista "
        "händelsen inom 4 veckor)."
    ),
    kind=Kind.RESULT,
    condition=condition,
)
