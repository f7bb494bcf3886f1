"""EECO16: Hemlösa eller utestängda från bostadsmarknaden."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind
from vagval.esf.models import Answer


def condition() -> Q:
    return Q(esf_entry__homeless=Answer.YES)


INDICATOR = Indicator(
    code="EECO16",
    title=_("Hemlösa eller utestängda från bostadsmarknaden"),
    definition=_("Deltagare som var hemlösa eller utestängda från bostadsmarknaden när de började."),
    kind=Kind.OUTPUT,
    condition=condition,
)
