"""EECR05: I arbete 6 månader efter avslut."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind
from vagval.followup.models import Situation


def condition() -> Q:
    return Q(after_6_months=Situation.WORKING)


INDICATOR = Indicator(
    code="EECR05",
    title=_("I arbete 6 månader efter avslut"),
    definition=_(
        "Deltagare som hade arbete, även eget företag, vid uppföljningen 6 månader efter att de lämnade projektet."
    ),
    kind=Kind.RESULT,
    condition=condition,
)
