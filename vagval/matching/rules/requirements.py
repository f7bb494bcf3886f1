"""Requirements: the offer's age range, driving licence, language and hours are HARD: a pair
that fails one is not allowed, with a Swedish reason ("kräver körkort"). A pair that meets them
all gets the full value and says which it meets.

Language: an offer's language requirement is free text ("svenska", "svenska eller engelska");
it is met when one of the languages the young person speaks (free text, comma-separated) occurs
in it. Hours: an offer with more hours per week than the young person can do is blocked.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vagval.matching.rules.base import NO_REASON, OfferFacts, PersonFacts, Reason, Reasons, RuleResult

CODE = "requirements"
WEIGHT_FIELD = "requirements"


def label() -> str:
    return _("Krav")


def _speaks(person: PersonFacts, requirement: str) -> bool:
    wanted = requirement.casefold()
    spoken = [part.strip().casefold() for part in person.languages.replace(";", ",").split(",")]
    return any(language and language in wanted for language in spoken)


def key(person: PersonFacts, offer: OfferFacts) -> object:
    """What the rule reads of the offer (scoring.Scorer remembers the result per key)."""
    return (offer.min_age, offer.max_age, offer.requires_driving_licence, offer.language, offer.hours_per_week)


def evaluate(person: PersonFacts, offer: OfferFacts) -> RuleResult:
    met: list[str] = []
    if offer.min_age is not None or offer.max_age is not None:
        if person.age is None:
            return RuleResult(0.0, NO_REASON, Reason(gettext_noop("ålder okänd, erbjudandet har ålderskrav")))
        if offer.min_age is not None and person.age < offer.min_age:
            return RuleResult(0.0, NO_REASON, Reason(gettext_noop("kräver minst %(age)s år"), age=offer.min_age))
        if offer.max_age is not None and person.age > offer.max_age:
            return RuleResult(0.0, NO_REASON, Reason(gettext_noop("kräver högst %(age)s år"), age=offer.max_age))
        met.append(gettext_noop("uppfyller ålderskravet"))
    if offer.requires_driving_licence:
        if not person.has_driving_licence:
            return RuleResult(0.0, NO_REASON, Reason(gettext_noop("kräver körkort")))
        met.append(gettext_noop("har körkort"))
    if offer.language.strip():
        if not _speaks(person, offer.language):
            language = offer.language.strip()
            return RuleResult(0.0, NO_REASON, Reason(gettext_noop("kräver språk: %(language)s"), language=language))
        met.append(gettext_noop("uppfyller språkkravet"))
    if offer.hours_per_week is not None and person.hours_per_week is not None:
        if offer.hours_per_week > person.hours_per_week:
            too_many = Reason(
                gettext_noop("%(hours)s timmar per vecka är fler än den unga orkar"), hours=offer.hours_per_week
            )
            return RuleResult(0.0, NO_REASON, too_many)
        met.append(gettext_noop("timmar per vecka passar"))
    return RuleResult(1.0, Reasons(met) if met else Reason(gettext_noop("inga särskilda krav")))
