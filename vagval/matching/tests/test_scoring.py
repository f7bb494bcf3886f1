"""The score and its explanation: the parts add up to the score; hard requirements block."""

from __future__ import annotations

import uuid
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from vagval.matching.rules.base import OfferFacts, PersonFacts
from vagval.matching.scoring import DEFAULT_WEIGHTS, Scorer, score_pair
from vagval.matching.travel import travel_minutes

LUDVIKA, SMEDJEBACKEN, BORLANGE = "2085", "2061", "2081"
PROVIDER = uuid.uuid4()


def _offer(**changes) -> OfferFacts:
    values = {
        "id": uuid.uuid4(),
        "kind": "praktik",
        "ssyk_area": "7",
        "municipality": LUDVIKA,
        "provider_id": PROVIDER,
        "provider_name": "Verkstaden AB",
    }
    values.update(changes)
    return OfferFacts(**values)


def _person(**changes) -> PersonFacts:
    values = {"age": 19, "home_municipality": LUDVIKA}
    values.update(changes)
    return PersonFacts(**values)


codes = st.sampled_from([LUDVIKA, SMEDJEBACKEN, BORLANGE, "0180", None])
persons = st.builds(
    PersonFacts,
    age=st.none() | st.integers(14, 35),
    home_municipality=codes,
    ssyk_areas=st.frozensets(st.sampled_from("0123456789")),
    offer_kinds=st.frozensets(st.sampled_from(["praktik", "studieplats", "mentorskap"])),
    max_travel_minutes=st.none() | st.integers(0, 600),
    hours_per_week=st.none() | st.integers(0, 80),
    has_driving_licence=st.booleans(),
    languages=st.sampled_from(["", "svenska", "arabiska, svenska", "engelska"]),
    providers_went_well=st.sampled_from([frozenset(), frozenset({PROVIDER})]),
)
offers = st.builds(
    OfferFacts,
    id=st.uuids(),
    kind=st.sampled_from(["praktik", "studieplats", "mentorskap"]),
    ssyk_area=st.sampled_from(["", "5", "7"]),
    municipality=codes,
    provider_id=st.sampled_from([PROVIDER, uuid.uuid4()]),
    min_age=st.none() | st.integers(16, 20),
    max_age=st.none() | st.integers(21, 29),
    language=st.sampled_from(["", "svenska"]),
    requires_driving_licence=st.booleans(),
    hours_per_week=st.none() | st.decimals(0, 40, places=1),
    prefers_local=st.booleans(),
)
weights = st.fixed_dictionaries({name: st.integers(0, 100) for name in DEFAULT_WEIGHTS})


@settings(deadline=None)  # no time limit in a unit test (the first call loads the translations)
@given(person=persons, offer=offers, weights=weights)
def test_the_parts_of_the_explanation_sum_exactly_to_the_score(person, offer, weights):
    explanation = score_pair(person, offer, weights)
    assert explanation.score == sum(part.points for part in explanation.parts)
    assert 0 <= explanation.score <= 1000
    if explanation.blocked:
        assert explanation.score == 0
        assert explanation.parts == ()
    else:
        assert all(part.points >= 0 and part.reason for part in explanation.parts)


def test_a_perfect_pair_with_the_default_weights_scores_close_to_1000():
    offer = _offer()
    person = _person(
        ssyk_areas=frozenset({"7"}),
        offer_kinds=frozenset({"praktik"}),
        ranking={str(offer.id): 0},
        providers_went_well=frozenset({PROVIDER}),
    )
    explanation = score_pair(person, offer, DEFAULT_WEIGHTS)
    # travel inside Ludvika (20 of 90 minutes) is the only rule short of full marks, provider is neutral
    assert 850 <= explanation.score <= 1000
    assert "intresse: Yrken inom byggverksamhet och tillverkning" in explanation.top_reasons(5)
    assert "restid under 30 min" in explanation.top_reasons(5)


def test_an_offer_that_requires_a_driving_licence_is_blocked_for_a_person_without_one():
    explanation = score_pair(_person(), _offer(requires_driving_licence=True), DEFAULT_WEIGHTS)
    assert explanation.blocks == ("kräver körkort",)
    assert explanation.score == 0


def test_the_age_range_is_a_hard_requirement_and_says_so_when_met():
    assert score_pair(_person(age=17), _offer(min_age=18), DEFAULT_WEIGHTS).blocks == ("kräver minst 18 år",)
    assert score_pair(_person(age=26), _offer(max_age=25), DEFAULT_WEIGHTS).blocks == ("kräver högst 25 år",)
    met = score_pair(_person(age=20), _offer(min_age=18, max_age=25), DEFAULT_WEIGHTS)
    assert not met.blocked
    assert any("uppfyller ålderskravet" in part.reason for part in met.parts)


def test_a_language_requirement_is_met_by_a_language_the_person_speaks():
    offer = _offer(language="svenska eller engelska")
    assert score_pair(_person(languages="arabiska"), offer, DEFAULT_WEIGHTS).blocks == (
        "kräver språk: svenska eller engelska",
    )
    assert not score_pair(_person(languages="arabiska, Engelska"), offer, DEFAULT_WEIGHTS).blocked


def test_more_hours_than_the_person_can_do_block_the_offer():
    explanation = score_pair(_person(hours_per_week=10), _offer(hours_per_week=Decimal("20.0")), DEFAULT_WEIGHTS)
    assert explanation.blocked


def test_travel_beyond_the_persons_own_limit_gives_no_travel_points_but_does_not_block():
    explanation = score_pair(_person(max_travel_minutes=30), _offer(municipality=BORLANGE), DEFAULT_WEIGHTS)
    travel = next(part for part in explanation.parts if part.rule == "travel")
    assert travel.points == 0
    assert travel.reason == "restid över 30 min"


def test_travel_minutes_come_from_the_table_both_ways_and_fall_back_to_a_simple_rule():
    assert travel_minutes(LUDVIKA, SMEDJEBACKEN) == travel_minutes(SMEDJEBACKEN, LUDVIKA) == 20
    assert travel_minutes(LUDVIKA, LUDVIKA) == 20
    assert travel_minutes("2021", "2039") == 90  # two Dalarna municipalities not in the table
    assert travel_minutes(LUDVIKA, "0180") == 180
    assert travel_minutes(None, LUDVIKA) is None


def test_the_young_persons_own_ranking_counts():
    first, second, unranked = _offer(), _offer(), _offer()
    person = _person(ranking={str(first.id): 0, str(second.id): 1})
    points = {
        offer.id: next(p.points for p in score_pair(person, offer, DEFAULT_WEIGHTS).parts if p.rule == "ranking")
        for offer in (first, second, unranked)
    }
    assert points[first.id] > points[second.id] > points[unranked.id] == 0


def test_a_weight_of_zero_takes_the_rule_out():
    weights = dict(DEFAULT_WEIGHTS, interest=0)
    explanation = score_pair(_person(ssyk_areas=frozenset({"7"})), _offer(), weights)
    assert next(p.points for p in explanation.parts if p.rule == "interest") == 0


def test_the_reasons_follow_the_language_they_are_shown_in():
    from django.utils import translation

    explanation = score_pair(_person(), _offer(requires_driving_licence=True), DEFAULT_WEIGHTS)
    assert explanation.blocks == ("kräver körkort",)
    with translation.override("en"):
        assert explanation.blocks == ("requires a driving licence",)


@settings(deadline=None)
@given(person=persons, offers=st.lists(offers, min_size=1, max_size=12), weights=weights)
def test_a_scorer_that_remembers_results_per_key_gives_what_each_pair_gives_afresh(person, offers, weights):
    scorer = Scorer(person, weights)
    for offer in offers + offers:  # the second round is all remembered
        remembered, fresh = scorer.score(offer), score_pair(person, offer, weights)
        assert remembered.score == fresh.score
        assert remembered.blocks == fresh.blocks
        assert [(p.rule, p.points, p.reason) for p in remembered.parts] == [
            (p.rule, p.points, p.reason) for p in fresh.parts
        ]
