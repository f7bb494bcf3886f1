"""The solver's answers are optimal: checked against trying every assignment."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from vagval.matching.solver import parse_instance, solve, solve_json, solve_with_added_person

from .solver_cases import brute_force, check_assignment, instances
from .solver_cpsat import cpsat_optimum


def _check_optimal(data: dict[str, Any]) -> None:
    result = solve_json(data)
    check_assignment(data, result["assignment"])
    placed, score = brute_force(data)
    assert result["optimal"] is True
    assert result["placed"] == len(result["assignment"])
    assert result["objective_value"] == sum(
        pair["score"]
        for pair in data["pairs"]
        if {"person": pair["person"], "offer": pair["offer"]} in result["assignment"]
    )
    if data["objective"] == "count_then_score":
        assert (result["placed"], result["objective_value"]) == (placed, score)
    else:
        assert result["objective_value"] == score


@settings(max_examples=200, deadline=None)
@given(instances(gap=False))
def test_the_flow_finds_the_brute_force_optimum_for_both_objectives(data: dict[str, Any]) -> None:
    _check_optimal(data)


@settings(max_examples=300, deadline=None)
@given(instances(gap=True))
def test_the_gender_gap_search_finds_the_brute_force_optimum_for_both_objectives(data: dict[str, Any]) -> None:
    _check_optimal(data)


@settings(max_examples=200, deadline=None)
@given(instances(max_persons=9, max_offers=3, gap=True))
def test_the_gender_gap_search_is_optimal_with_more_persons_than_places(data: dict[str, Any]) -> None:
    _check_optimal(data)


@settings(max_examples=200, deadline=None)
@given(instances(gap=False), st.data())
def test_adding_a_person_gives_the_same_optimum_as_solving_again(data: dict[str, Any], draw: st.DataObject) -> None:
    instance = parse_instance(data)
    previous = solve(instance)
    gender = draw.draw(st.sampled_from(["kvinna", "man", "annat"]))
    pairs = [
        {"offer": offer["id"], "score": draw.draw(st.sampled_from([0, 3, 400, 1000]))}
        for offer in data["offers"]
        if draw.draw(st.booleans())
    ]
    bigger, result, change = solve_with_added_person(
        instance, previous, person={"id": "ny", "gender": gender}, pairs=pairs
    )
    assert change.method == "augmenting_path"
    full = solve(bigger)
    assert result.objective_value == full.objective_value
    if data["objective"] == "count_then_score":
        assert result.placed == full.placed
    bigger_data = dict(data, persons=[*data["persons"], {"id": "ny", "gender": gender}])
    bigger_data["pairs"] = [*data["pairs"], *({"person": "ny", **pair} for pair in pairs)]
    check_assignment(bigger_data, result.to_json()["assignment"])
    assert change.objective_delta == result.objective_value - previous.objective_value
    assert change.placed_delta == result.placed - previous.placed
    # Only the persons on the augmenting path move; the new person's offer is reported.
    assert change.offer == next((a["offer"] for a in result.to_json()["assignment"] if a["person"] == "ny"), None)


@settings(max_examples=100, deadline=None)
@given(instances(gap=True), st.data())
def test_adding_a_person_under_the_gender_rule_solves_again_and_stays_optimal(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    instance = parse_instance(data)
    previous = solve(instance)
    pairs = [{"offer": offer["id"], "score": 500} for offer in data["offers"] if draw.draw(st.booleans())]
    _bigger, result, change = solve_with_added_person(
        instance, previous, person={"id": "ny", "gender": "kvinna"}, pairs=pairs
    )
    assert change.method == "full_solve"
    bigger_data = dict(data, persons=[*data["persons"], {"id": "ny", "gender": "kvinna"}])
    bigger_data["pairs"] = [*data["pairs"], *({"person": "ny", **pair} for pair in pairs)]
    placed, score = brute_force(bigger_data)
    assert result.objective_value == score
    if data["objective"] == "count_then_score":
        assert result.placed == placed


# Gaps with small denominators: CP-SAT takes the rule with integer coefficients in int64.
@settings(max_examples=40, deadline=None)
@given(instances(max_persons=25, max_offers=5, gap=True, any_float=False))
def test_the_gender_gap_search_agrees_with_cp_sat_on_larger_instances(data: dict[str, Any]) -> None:
    result = solve_json(data)
    check_assignment(data, result["assignment"])
    placed, score = cpsat_optimum(data)
    assert result["optimal"] is True
    assert result["objective_value"] == score
    if data["objective"] == "count_then_score":
        assert result["placed"] == placed
