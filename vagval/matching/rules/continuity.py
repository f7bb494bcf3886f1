"""Continuity: an earlier placement at the same provider that went well (genomförd, fick
anställning, började studera) gives 1; one that was broken off gives 0; none: the middle value."""

from __future__ import annotations

from django.utils.translation import gettext as _

from vagval.matching.rules.base import OfferFacts, PersonFacts, RuleResult

CODE = "continuity"
WEIGHT_FIELD = "continuity"


def label() -> str:
    return _("Kontinuitet")


def evaluate(person: PersonFacts, offer: OfferFacts) -> RuleResult:
    if offer.provider_id in person.providers_went_well:
        return RuleResult(1.0, _("tidigare placering hos %(provider)s gick bra") % {"provider": offer.provider_name})
    if offer.provider_id in person.providers_broken_off:
        return RuleResult(0.0, _("tidigare placering hos %(provider)s avbröts") % {"provider": offer.provider_name})
    return RuleResult(0.5, _("ingen tidigare placering hos anordnaren"))
