"""Continuity: an earlier placement at the same provider that went well (genomförd, fick
anställning, började studera) gives 1; one that was broken off gives 0; none: the middle value."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vagval.matching.rules.base import OfferFacts, PersonFacts, Reason, RuleResult

CODE = "continuity"
WENT_WELL = Reason(gettext_noop("tidigare placering hos anordnaren gick bra"))
BROKEN_OFF = Reason(gettext_noop("tidigare placering hos anordnaren avbröts"))
NONE_BEFORE = Reason(gettext_noop("ingen tidigare placering hos anordnaren"))
WEIGHT_FIELD = "continuity"


def label() -> str:
    return _("Kontinuitet")


def key(person: PersonFacts, offer: OfferFacts) -> object:
    """What the rule reads of the offer (scoring.Scorer remembers the result per key)."""
    return (offer.provider_id in person.providers_went_well, offer.provider_id in person.providers_broken_off)


def evaluate(person: PersonFacts, offer: OfferFacts) -> RuleResult:
    if offer.provider_id in person.providers_went_well:
        return RuleResult(1.0, WENT_WELL)
    if offer.provider_id in person.providers_broken_off:
        return RuleResult(0.0, BROKEN_OFF)
    return RuleResult(0.5, NONE_BEFORE)
