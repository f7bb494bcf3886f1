"""The young person's own ranking of offers: first place gives 1, then falling evenly; an offer
they have not ranked gives 0. Without any ranking: the middle value for every offer."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vagval.matching.rules.base import OfferFacts, PersonFacts, Reason, RuleResult

CODE = "ranking"
WEIGHT_FIELD = "ranking"


def label() -> str:
    return _("Den ungas rangordning")


def key(person: PersonFacts, offer: OfferFacts) -> object:
    """What the rule reads of the offer (scoring.Scorer remembers the result per key)."""
    return person.ranking.get(str(offer.id)) if person.ranking else None


def evaluate(person: PersonFacts, offer: OfferFacts) -> RuleResult:
    if not person.ranking:
        return RuleResult(0.5, Reason(gettext_noop("ingen egen rangordning")))
    place = person.ranking.get(str(offer.id))
    if place is None:
        return RuleResult(0.0, Reason(gettext_noop("inte rangordnad av den unga")))
    return RuleResult(
        1.0 - place / len(person.ranking), Reason(gettext_noop("den unga satte den som nr %(n)s"), n=place + 1)
    )
