"""Interest: the offer is in an SSYK area, or of a kind, the young person is interested in.

An offer with an SSYK area: 0.7 for the area, 0.3 for the kind. Without one: the kind alone.
A young person who has stated no interests gets the middle value (nothing to go by).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vagval.catalogue.models import OfferKind
from vagval.matching.rules.base import OfferFacts, PersonFacts, Reason, RuleResult
from vagval.matching.ssyk import ssyk_name

CODE = "interest"
WEIGHT_FIELD = "interest"


def label() -> str:
    return _("Intresse")


def key(person: PersonFacts, offer: OfferFacts) -> object:
    """What the rule reads of the offer (scoring.Scorer remembers the result per key)."""
    return (offer.ssyk_area, offer.kind)


def evaluate(person: PersonFacts, offer: OfferFacts) -> RuleResult:
    if not person.ssyk_areas and not person.offer_kinds:
        return RuleResult(0.5, Reason(gettext_noop("inga intressen angivna")))
    area = bool(offer.ssyk_area) and offer.ssyk_area in person.ssyk_areas
    kind = offer.kind in person.offer_kinds
    value = (0.7 * area + 0.3 * kind) if offer.ssyk_area else float(kind)
    if area:
        return RuleResult(value, Reason(gettext_noop("intresse: %(area)s"), area=ssyk_name(offer.ssyk_area)))
    if kind:
        return RuleResult(value, Reason(gettext_noop("intresse: %(kind)s"), kind=OfferKind(offer.kind).label))
    return RuleResult(value, Reason(gettext_noop("inte bland intressena")))
