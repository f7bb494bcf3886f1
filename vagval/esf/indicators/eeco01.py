"""EECO01: Antal deltagare."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind


def condition() -> Q:
    return Q()


INDICATOR = Indicator(
    code="EECO01",
    title=_("Antal deltagare"),
    definition=_(
        "Alla deltagare som började i projektet under perioden. En deltagare räknas en gång per projekt, även"
        " efter återinskrivning. Deltagare med ofullständiga uppgifter (kön, situation på arbetsmarknaden, "
        "ålder eller utbildning) räknas bara i totalen."
    ),
    kind=Kind.OUTPUT,
    condition=condition,
    counts_incomplete=True,
)
