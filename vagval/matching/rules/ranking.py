"""The young person's own ranking of offers: first place gives 1, then falling evenly; an offer
they have not ranked gives 0. Without any ranking: the middle value for every offer."""

from __future__ import annotations

from django.utils.translation import gettext as _

from vagval.matching.rules.base import OfferFacts, PersonFacts, RuleResult

CODE = "ranking"
WEIGHT_FIELD = "ranking"


def label() -> str:
    return _("Den ungas rangordning")


def evaluate(person: PersonFacts, offer: OfferFacts) -> RuleResult:
    if not person.ranking:
        return RuleResult(0.5, _("ingen egen rangordning"))
    place = person.ranking.get(str(offer.id))
    if place is None:
        return RuleResult(0.0, _("inte rangordnad av den unga"))
    return RuleResult(1.0 - place / len(person.ranking), _("den unga satte den som nr %(n)s") % {"n": place + 1})
