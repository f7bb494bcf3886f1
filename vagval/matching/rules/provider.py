"""The provider's preferences (matching.OfferPreference): today one, "prefers young people who
live in the offer's municipality". No stated preference: the middle value."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vagval.matching.rules.base import OfferFacts, PersonFacts, Reason, RuleResult

CODE = "provider"
WEIGHT_FIELD = "provider"


def label() -> str:
    return _("Anordnarens önskemål")


def key(person: PersonFacts, offer: OfferFacts) -> object:
    """What the rule reads of the offer (scoring.Scorer remembers the result per key)."""
    return (offer.prefers_local, offer.municipality)


def evaluate(person: PersonFacts, offer: OfferFacts) -> RuleResult:
    if not offer.prefers_local:
        return RuleResult(0.5, Reason(gettext_noop("anordnaren har inga önskemål")))
    if offer.municipality and person.home_municipality == offer.municipality:
        return RuleResult(1.0, Reason(gettext_noop("anordnaren söker unga från kommunen")))
    return RuleResult(0.0, Reason(gettext_noop("anordnaren söker helst unga från kommunen")))
