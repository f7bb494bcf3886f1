"""EECO10: Gymnasial eller eftergymnasial utbildning (ISCED 3–4)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.esf.indicators.base import Indicator, Kind


def condition() -> Q:
    return Q(esf_entry__isced__gte=3, esf_entry__isced__lte=4)


INDICATOR = Indicator(
    code="EECO10",
    title=_("Gymnasial eller eftergymnasial utbildning (ISCED 3–4)"),
    definition=_(
        "Deltagare vars högsta avslutade utbildning var gymnasial eller eftergymnasial, ej tertiär (ISCED "
        "3–4), när de började."
    ),
    kind=Kind.OUTPUT,
    condition=condition,
)
