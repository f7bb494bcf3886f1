"""EECO17: Deltagare från landsbygden."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind


def condition() -> Q:
    return Q(esf_entry__rural=True)


INDICATOR = Indicator(
    code="EECO17",
    title=_("Deltagare från landsbygden"),
    definition=_(
        "Deltagare vars hemkommun räknades som landsbygd när de började (enligt Vägvals datafil över kommuner)."
    ),
    kind=Kind.OUTPUT,
    condition=condition,
)
