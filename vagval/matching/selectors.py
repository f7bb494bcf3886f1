"""Reads for matching: the young person's profile, one person's ranked suggestions, the project
overview. Each read of a person goes through the scope and writes an access-log entry.

Who sees what:
- the person's own unit (the unit that recorded the profile) reads and, with write access,
  changes the profile and the suggestions;
- a partner sees a person's matching only under a consent that covers "Plan och insatser", and
  then the profile of the unit that documented the consent, read-only.

"Open suggestion" (for crowding): a placement in status föreslagen, or a MatchingSuggestion in
status öppen younger than MATCHING_SUGGESTION_DAYS for which no placement of that person in that
offer exists yet. An offer is left out of a person's list when the other persons' open
suggestions of it have reached MATCHING_CROWDING_FACTOR × its free places.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vagval.access.checks import PersonAccess, disclosures_to_unit
from vagval.access.scope import Need, ScopedPerson, scope_for
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.catalogue.capacity import with_places
from vagval.catalogue.models import (
    OCCUPYING_STATUSES,
    Offer,
    OfferStatus,
    Placement,
    PlacementEndReason,
    PlacementStatus,
)
from vagval.common import sql
from vagval.common.errors import NotFound
from vagval.consent.models import ConsentCategory
from vagval.matching.models import (
    MatchingProfile,
    MatchingRun,
    MatchingSuggestion,
    OfferPreference,
    RunKind,
    SuggestionStatus,
)
from vagval.matching.rules.base import OfferFacts, PersonFacts, Reason
from vagval.matching.scoring import Explanation, Scorer, score_pair
from vagval.matching.weights import weights_for_person
from vagval.people.models import Person

PURPOSE = "matching"
NOT_FOUND = "Personen finns inte eller så saknar du behörighet."
WENT_WELL = frozenset({PlacementEndReason.COMPLETED, PlacementEndReason.GOT_JOB, PlacementEndReason.STARTED_STUDIES})
PROFILE_FIELDS = (
    "ssyk_areas",
    "offer_kinds",
    "wishes",
    "max_travel_minutes",
    "hours_per_week",
    "has_driving_licence",
    "languages",
    "ranking",
)


def matching_person(*, ctx: AccessContext, person_id: uuid.UUID, need: Need = Need.VIEW) -> ScopedPerson:
    """The person, if the viewer may see their matching: own unit, or a consent covering plans."""
    shown = scope_for(ctx, PURPOSE).person(person_id, need=need, action=None, related=("home_municipality",))
    if shown.access.basis != AccessBasis.OWN_UNIT and not shown.access.may_see(ConsentCategory.PLAN):
        raise NotFound(_(NOT_FOUND))
    if need == Need.CHANGE and shown.access.basis != AccessBasis.OWN_UNIT:
        raise NotFound(_(NOT_FOUND))
    return shown


def profile_unit_id(*, viewer_unit_id: uuid.UUID, person_id: uuid.UUID, access: PersonAccess) -> uuid.UUID | None:
    """Whose profile the viewer reads: their own unit's, or under consent the documenting unit's."""
    if access.basis == AccessBasis.OWN_UNIT:
        return viewer_unit_id
    for disclosure in disclosures_to_unit(person_id=person_id, unit_id=viewer_unit_id):
        if ConsentCategory.PLAN in disclosure.categories:
            return disclosure.from_unit_id
    return None


def _log(ctx: AccessContext, action: str, shown: ScopedPerson, detail: dict[str, str] | None = None) -> None:
    access_log_record(
        ctx=ctx,
        action=action,
        person_id=shown.person.pk,
        basis=shown.access.basis,
        consent_id=shown.access.consent_for(ConsentCategory.PLAN) or shown.access.consent_id,
        detail=detail,
    )


@dataclass(frozen=True)
class ProfileView:
    person: Person
    access: PersonAccess
    profile: MatchingProfile | None
    ranked: list[tuple[str, str]] = field(default_factory=list)  # (offer id, title), best first

    @property
    def may_write(self) -> bool:
        return self.access.basis == AccessBasis.OWN_UNIT and self.access.can_write


def profile_of(*, person_id: uuid.UUID, unit_id: uuid.UUID | None) -> MatchingProfile | None:
    if unit_id is None:
        return None
    return MatchingProfile.objects.filter(person_id=person_id, unit_id=unit_id).first()


def profile_view(*, ctx: AccessContext, person_id: uuid.UUID, log: bool = True) -> ProfileView:
    shown = matching_person(ctx=ctx, person_id=person_id)
    assert ctx.user.unit_id is not None  # the access check answers only for users with a unit
    unit_id = profile_unit_id(viewer_unit_id=ctx.user.unit_id, person_id=person_id, access=shown.access)
    if log:
        _log(ctx, "matching.profile_viewed", shown)
    profile = profile_of(person_id=person_id, unit_id=unit_id)
    ranked: list[tuple[str, str]] = []
    if profile is not None and profile.ranking:
        titles = {
            str(pk): title for pk, title in Offer.objects.filter(pk__in=profile.ranking).values_list("pk", "title")
        }
        ranked = [(offer_id, titles[offer_id]) for offer_id in profile.ranking if offer_id in titles]
    return ProfileView(shown.person, shown.access, profile, ranked)


# --- Facts for the rules -----------------------------------------------------------------------


def _age(birth_date: dt.date | None, today: dt.date) -> int | None:
    if birth_date is None:
        return None
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def person_facts(
    *, person: Person, profile: MatchingProfile | None, unit_id: uuid.UUID | None, today: dt.date | None = None
) -> PersonFacts:
    today = today or timezone.localdate()
    went_well: set[uuid.UUID] = set()
    broken_off: set[uuid.UUID] = set()
    if unit_id is not None:
        # Only the unit's own placements: another unit's are behind its secrecy.
        ended = Placement.objects.filter(person=person, unit_id=unit_id, status=PlacementStatus.ENDED)
        for provider_id, reason in ended.values_list("offer__provider_id", "end_reason"):
            (went_well if reason in WENT_WELL else broken_off).add(provider_id)
    broken_off -= went_well
    if profile is None:
        return PersonFacts(
            age=_age(person.birth_date, today),
            home_municipality=person.home_municipality_id,
            providers_went_well=frozenset(went_well),
            providers_broken_off=frozenset(broken_off),
        )
    return PersonFacts(
        age=_age(person.birth_date, today),
        home_municipality=person.home_municipality_id,
        ssyk_areas=frozenset(profile.ssyk_areas),
        offer_kinds=frozenset(profile.offer_kinds),
        max_travel_minutes=profile.max_travel_minutes,
        hours_per_week=profile.hours_per_week,
        has_driving_licence=profile.has_driving_licence,
        languages=profile.languages,
        ranking={str(offer_id): place for place, offer_id in enumerate(profile.ranking)},
        providers_went_well=frozenset(went_well),
        providers_broken_off=frozenset(broken_off),
    )


@dataclass
class OfferRow:
    facts: OfferFacts
    title: str
    free_places: int
    # Filled in only for the offers a page shows (with_names): 5,000 joins are not needed to score.
    provider_name: str = ""
    municipality_name: str = ""


_OFFER_COLUMNS = (
    "pk",
    "kind",
    "ssyk_area",
    "municipality_id",
    "provider_id",
    "min_age",
    "max_age",
    "language",
    "requires_driving_licence",
    "hours_per_week",
    "matching_preference__prefers_local",
    "title",
    "capacity",
)


def open_offers(offer_ids: list[uuid.UUID] | None = None) -> list[OfferRow]:
    """The open offers (or the given ones, open or not) with what the rules need, in two queries:
    the offers' own columns, and the free places (catalogue.capacity) of those that have a taken place.

    The offers' rows are read without the ORM's per-row converters (common.sql.query_rows, the
    ORM's own SQL): for 5,000 offers those cost more than the query. What needs converting is
    converted here as the ORM would: the UUIDs, the booleans (SQLite gives 0/1) and the hours
    (a Decimal), the last two once per distinct value."""
    offers = (
        Offer.objects.filter(pk__in=offer_ids)
        if offer_ids is not None
        else Offer.objects.filter(status=OfferStatus.OPEN)
    )
    with_taken = with_places(offers.filter(placements__status__in=OCCUPYING_STATUSES))
    # free_places is with_places' annotation, which the type checker cannot see through the function
    free = dict(with_taken.values_list("pk", "free_places"))  # type: ignore[misc]
    providers: dict[object, uuid.UUID] = {}
    hours_read = sql.reader(Offer, "hours_per_week")
    hours_seen: dict[object, Decimal | None] = {}
    rows = []
    for values in sql.query_rows(offers.values_list(*_OFFER_COLUMNS)):
        pk, kind, ssyk, municipality, provider, min_age, max_age, language, licence, hours, local, title, capacity = (
            values
        )
        pk = _not_null_uuid(pk)
        if provider not in providers:
            providers[provider] = _not_null_uuid(provider)
        if hours not in hours_seen:
            hours_seen[hours] = hours_read(hours)
        facts = OfferFacts(
            pk,
            kind,
            ssyk,
            municipality,
            providers[provider],
            "",
            min_age,
            max_age,
            language,
            bool(licence),
            hours_seen[hours],
            bool(local),
        )
        rows.append(OfferRow(facts, title, free.get(pk, capacity)))
    return rows


def _not_null_uuid(raw: object) -> uuid.UUID:
    value = sql.as_uuid(raw)
    assert value is not None  # a primary key, a foreign key that may not be null
    return value


def with_names(rows: list[OfferRow]) -> None:
    """Fill in the provider's and the municipality's names of the rows a page shows."""
    names = {
        pk: (provider or "", municipality or "")
        for pk, provider, municipality in Offer.objects.filter(pk__in=[r.facts.id for r in rows]).values_list(
            "pk", "provider__name", "municipality__name"
        )
    }
    for row in rows:
        row.provider_name, row.municipality_name = names.get(row.facts.id, ("", ""))


def open_suggestion_counts(*, exclude_person_id: uuid.UUID | None = None) -> dict[uuid.UUID, int]:
    """Per offer, the open suggestions of other persons (see the module's doc)."""
    since = timezone.now() - dt.timedelta(days=settings.MATCHING_SUGGESTION_DAYS)
    placed = Placement.objects.filter(person_id=OuterRef("person_id"), offer_id=OuterRef("offer_id"))
    suggestions = MatchingSuggestion.objects.filter(status=SuggestionStatus.OPEN, created_at__gte=since).exclude(
        Exists(placed)
    )
    proposed = Placement.objects.filter(status=PlacementStatus.SUGGESTED)
    if exclude_person_id is not None:
        suggestions = suggestions.exclude(person_id=exclude_person_id)
        proposed = proposed.exclude(person_id=exclude_person_id)
    counts: dict[uuid.UUID, int] = {}
    for queryset in (suggestions, proposed):
        for offer_id, n in queryset.order_by().values("offer_id").annotate(n=Count("pk")).values_list("offer_id", "n"):
            counts[offer_id] = counts.get(offer_id, 0) + n
    return counts


def crowding_block(*, free_places: int, others: int) -> Reason | None:
    """Why an offer may not be suggested to one more person, or None."""
    if free_places <= 0:
        return Reason(gettext_noop("inga lediga platser"))
    limit = settings.MATCHING_CROWDING_FACTOR * free_places
    if others >= limit:
        return Reason(gettext_noop("redan föreslagen till %(n)s andra (högst %(limit)s)"), n=others, limit=limit)
    return None


# --- One person's suggestions ------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    offer: OfferRow
    explanation: Explanation
    suggested: bool  # an open suggestion of this offer to this person exists


@dataclass(frozen=True)
class LeftOut:
    offer: OfferRow
    reasons: tuple[Reason, ...]  # translated when shown


@dataclass
class SuggestionsView:
    person: Person
    access: PersonAccess
    profile: MatchingProfile | None
    suggestions: list[Suggestion]
    left_out: list[LeftOut]
    left_out_total: int
    offers_considered: int
    decisions: list[MatchingSuggestion] = field(default_factory=list)

    @property
    def may_write(self) -> bool:
        return self.access.basis == AccessBasis.OWN_UNIT and self.access.can_write


def rank_offers(
    *,
    facts: PersonFacts,
    offers: list[OfferRow],
    weights: dict[str, int],
    crowding: dict[uuid.UUID, int],
    rejected: dict[uuid.UUID, str],
    suggested: set[uuid.UUID],
) -> tuple[list[Suggestion], list[LeftOut]]:
    """Every offer scored; the ones that fit ranked best first, the others with their blocks."""
    fits: list[Suggestion] = []
    left_out: list[LeftOut] = []
    scorer = Scorer(facts, weights)
    for row in offers:
        offer_id = row.facts.id
        explanation = scorer.score(row.facts)
        blocks = list(explanation.why_blocked)
        if offer_id in rejected:
            blocks.append(Reason(gettext_noop("avvisad av coachen: %(reason)s"), reason=rejected[offer_id]))
        if offer_id not in suggested:
            crowded = crowding_block(free_places=row.free_places, others=crowding.get(offer_id, 0))
            if crowded:
                blocks.append(crowded)
        if blocks:
            left_out.append(LeftOut(row, tuple(blocks)))
        else:
            fits.append(Suggestion(row, explanation, offer_id in suggested))
    fits.sort(key=lambda s: (-s.explanation.score, s.offer.title))
    return fits, left_out


def suggestions_for_person(
    *, ctx: AccessContext, person_id: uuid.UUID, limit: int = 25, left_out_limit: int = 50
) -> SuggestionsView:
    """The ranked open offers that fit the person, and the left-out ones with what blocks them.
    One matching run: logged as matching.considered for the person, with the basis."""
    shown = matching_person(ctx=ctx, person_id=person_id)
    person, access = shown.person, shown.access
    viewer_unit = ctx.user.unit_id
    assert viewer_unit is not None
    unit_id = profile_unit_id(viewer_unit_id=viewer_unit, person_id=person_id, access=access)
    profile = profile_of(person_id=person_id, unit_id=unit_id)
    facts = person_facts(person=person, profile=profile, unit_id=unit_id)
    offers = open_offers()
    decisions = (
        list(MatchingSuggestion.objects.filter(person=person, unit_id=unit_id).select_related("offer", "created_by"))
        if unit_id is not None
        else []
    )
    rejected = {d.offer_id: d.reason for d in decisions if d.status == SuggestionStatus.REJECTED}
    suggested = {d.offer_id for d in decisions if d.status == SuggestionStatus.OPEN}
    fits, left_out = rank_offers(
        facts=facts,
        offers=offers,
        weights=weights_for_person(person_id=person_id, unit_id=unit_id),
        crowding=open_suggestion_counts(exclude_person_id=person_id),
        rejected=rejected,
        suggested=suggested,
    )
    MatchingRun.objects.create(kind=RunKind.PERSON, unit_id=viewer_unit, actor=ctx.user, persons=1, offers=len(offers))
    _log(ctx, "matching.considered", shown, {"offers": str(len(offers))})
    with_names([s.offer for s in fits[:limit]] + [row.offer for row in left_out[:left_out_limit]])
    return SuggestionsView(
        person=person,
        access=access,
        profile=profile,
        suggestions=fits[:limit],
        left_out=left_out[:left_out_limit],
        left_out_total=len(left_out),
        offers_considered=len(offers),
        decisions=decisions,
    )


def pair_explanation(*, person: Person, unit_id: uuid.UUID, offer_id: uuid.UUID) -> tuple[OfferRow, Explanation, str]:
    """One pair as the list would judge it: (offer, explanation, crowding block or "")."""
    rows = open_offers([offer_id])
    if not rows:
        raise NotFound(_("Erbjudandet finns inte."))
    row = rows[0]
    profile = profile_of(person_id=person.pk, unit_id=unit_id)
    facts = person_facts(person=person, profile=profile, unit_id=unit_id)
    explanation = score_pair(facts, row.facts, weights_for_person(person_id=person.pk, unit_id=unit_id))
    crowded = crowding_block(
        free_places=row.free_places, others=open_suggestion_counts(exclude_person_id=person.pk).get(offer_id, 0)
    )
    return row, explanation, str(crowded) if crowded else ""


def young_person_text(*, suggestion: Suggestion) -> str:
    """A short text in plain Swedish the young person can be shown."""
    reasons = suggestion.explanation.top_reasons(3)
    text = _("Vi tror att %(title)s kan passa dig.") % {"title": suggestion.offer.title}
    if reasons:
        text += " " + _("Det beror på: %(reasons)s.") % {"reasons": ", ".join(reasons)}
    return text + " " + _("Det är du som bestämmer. Säg till om du vill något annat.")


def offer_preference_of(*, offer: Offer) -> OfferPreference | None:
    """The provider's preferences for an offer (not personal data: every member of staff may read)."""
    return OfferPreference.objects.filter(offer=offer).first()
