"""Reading an instance: every rule of the file format, and the first problem named by its path."""

from __future__ import annotations

import json
from typing import Any

import pytest

from vagval.matching.solver import InstanceError, instance_from_json, parse_instance, solve, solve_json


def _instance(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "objective": "score",
        "persons": [{"id": "p1", "gender": "kvinna"}, {"id": "p2", "gender": "man"}],
        "offers": [{"id": "o1", "capacity": 1}, {"id": "o2", "capacity": 2}],
        "pairs": [
            {"person": "p1", "offer": "o1", "score": 870},
            {"person": "p1", "offer": "o2", "score": 400},
            {"person": "p2", "offer": "o1", "score": 610},
        ],
    }
    data.update(changes)
    return data


def _problem(data: object) -> str:
    """The first problem, from the decoded data and, the same, from its JSON text (decode.py)."""
    with pytest.raises(InstanceError) as caught:
        parse_instance(data)
    with pytest.raises(InstanceError) as from_text:
        instance_from_json(json.dumps(data).encode())
    assert str(from_text.value) == str(caught.value)
    return str(caught.value)


def test_the_example_of_the_format_gives_the_example_result() -> None:
    result = solve_json(_instance())
    assert sorted(result["assignment"], key=lambda a: a["person"]) == [
        {"person": "p1", "offer": "o2"},
        {"person": "p2", "offer": "o1"},
    ]
    assert result["objective_value"] == 1010
    assert result["placed"] == 2
    assert result["optimal"] is True
    assert "bound" not in result
    assert set(result) == {"assignment", "objective_value", "placed", "optimal", "seconds"}


def test_an_instance_without_pairs_gives_an_empty_optimal_result() -> None:
    for data in (_instance(pairs=[]), {"persons": [], "offers": [], "pairs": []}):
        result = solve_json(data)
        assert result["assignment"] == []
        assert result["objective_value"] == 0
        assert result["placed"] == 0
        assert result["optimal"] is True


def test_an_offer_with_capacity_zero_takes_nobody() -> None:
    data = _instance(offers=[{"id": "o1", "capacity": 0}, {"id": "o2", "capacity": 0}])
    assert solve_json(data)["assignment"] == []


def test_a_pair_with_score_zero_may_be_left_out_but_count_then_score_places_it() -> None:
    data = _instance(pairs=[{"person": "p1", "offer": "o1", "score": 0}])
    assert solve_json(data)["objective_value"] == 0
    assert solve_json(dict(data, objective="count_then_score"))["placed"] == 1


def test_count_then_score_places_more_persons_before_a_higher_score() -> None:
    data = _instance(
        offers=[{"id": "o1", "capacity": 1}, {"id": "o2", "capacity": 1}],
        pairs=[
            {"person": "p1", "offer": "o1", "score": 1000},
            {"person": "p1", "offer": "o2", "score": 100},
            {"person": "p2", "offer": "o1", "score": 200},
        ],
    )
    by_score = solve_json(data)
    assert (by_score["placed"], by_score["objective_value"]) == (1, 1000)
    lexicographic = solve_json(dict(data, objective="count_then_score"))
    assert (lexicographic["placed"], lexicographic["objective_value"]) == (2, 300)


def test_the_gender_gap_rule_holds_back_the_better_scoring_group() -> None:
    persons = [{"id": f"k{i}", "gender": "kvinna"} for i in range(2)] + [{"id": "m0", "gender": "man"}]
    pairs = [{"person": p["id"], "offer": "o1", "score": 900 if p["gender"] == "kvinna" else 100} for p in persons]
    data = {"persons": persons, "offers": [{"id": "o1", "capacity": 2}], "pairs": pairs}
    assert solve_json(data)["objective_value"] == 1800
    balanced = solve_json(dict(data, max_gender_gap=0.5))
    assert balanced["objective_value"] == 1000  # one woman (share ½) and the man (share 1)
    assert balanced["optimal"] is True


def test_persons_without_a_stated_gender_or_without_pairs_do_not_count_in_the_shares() -> None:
    persons = [
        {"id": "k0", "gender": "kvinna"},
        {"id": "k1", "gender": "kvinna"},  # no pair: not counted
        {"id": "m0", "gender": "man"},
        {"id": "x0"},
    ]
    pairs = [
        {"person": "k0", "offer": "o1", "score": 500},
        {"person": "m0", "offer": "o1", "score": 500},
        {"person": "x0", "offer": "o1", "score": 500},
    ]
    data = {"persons": persons, "offers": [{"id": "o1", "capacity": 3}], "pairs": pairs, "max_gender_gap": 0}
    assert solve_json(data)["placed"] == 3


def test_a_time_limit_that_stops_the_search_reports_a_bound_and_not_optimal() -> None:
    persons = [{"id": f"k{i}", "gender": "kvinna"} for i in range(6)] + [
        {"id": f"m{i}", "gender": "man"} for i in range(6)
    ]
    pairs = [
        {"person": p["id"], "offer": f"o{j}", "score": 900 - 100 * j if p["gender"] == "kvinna" else 300}
        for p in persons
        for j in range(3)
    ]
    offers = [{"id": f"o{j}", "capacity": 2} for j in range(3)]
    data = {"persons": persons, "offers": offers, "pairs": pairs, "max_gender_gap": 0.1}
    full = solve(parse_instance(data))
    stopped = solve(parse_instance(data), time_limit=0)
    assert full.optimal is True
    assert stopped.optimal is False
    assert stopped.bound is not None
    assert stopped.objective_value <= full.objective_value <= stopped.bound
    assert stopped.to_json()["bound"] == stopped.bound


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "instansen: ska vara ett JSON-objekt"),
        ({"persons": [], "offers": []}, "pairs: saknas"),
        (_instance(max_gender_gaps=0.1), "max_gender_gaps: okänd nyckel"),
        (_instance(objective="max"), 'objective: ska vara "score" eller "count_then_score"'),
        (_instance(persons={}), "persons: ska vara en lista"),
        (_instance(persons=["p1"]), "persons[0]: ska vara ett objekt"),
        (_instance(persons=[{"id": ""}]), "persons[0].id: ska vara en icke-tom sträng"),
        (_instance(persons=[{"id": 7}]), "persons[0].id: ska vara en icke-tom sträng"),
        (_instance(persons=[{"id": "p1"}, {"id": "p1"}]), 'persons[1].id: "p1" finns redan (persons[0])'),
        (_instance(persons=[{"id": "p1", "gender": "kvinnor"}]), "persons[0].gender: ska vara en av kvinna, man"),
        (_instance(persons=[{"id": "p1", "name": "Alva"}]), "persons[0].name: okänd nyckel"),
        (_instance(persons=[{"id": "p1", "gender": None}]), "persons[0].gender: ska vara en av"),
        (_instance(persons=[{"id": "p1", "gender": ["man"]}]), "persons[0].gender: ska vara en av"),
        (_instance(persons=[{"id": "p1", "gender": "x"}, {"id": "p1"}]), "persons[0].gender: ska vara en av"),
        (_instance(persons=[{"gender": "man"}]), "persons[0].id: saknas"),
        (_instance(offers=[{"id": "o1"}]), "offers[0].capacity: saknas"),
        (_instance(offers=[{"id": "o1", "capacity": -1}]), "offers[0].capacity: ska vara ett heltal ≥ 0"),
        (_instance(offers=[{"id": "o1", "capacity": 1.5}]), "offers[0].capacity: ska vara ett heltal ≥ 0"),
        (_instance(offers=[{"id": "o1", "capacity": True}]), "offers[0].capacity: ska vara ett heltal ≥ 0"),
        (_instance(offers=[{"id": "o1", "capacity": 1}, {"id": "o1", "capacity": 1}]), "offers[1].id: "),
        (_instance(pairs={}), "pairs: ska vara en lista"),
    ],
)
def test_an_invalid_instance_names_the_first_problem_by_its_path(data: object, message: str) -> None:
    assert _problem(data).startswith(message)


def _with_pair(pair: object, index: int = 3) -> dict[str, Any]:
    data = _instance()
    data["pairs"].insert(index, pair)
    return data


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("p1-o1", "pairs[3]: ska vara ett objekt"),
        ({"person": "p2", "offer": "o2"}, "pairs[3].score: saknas"),
        ({"person": "p2", "offer": "o2", "score": 5, "why": "x"}, "pairs[3].why: okänd nyckel"),
        ({"person": "p9", "offer": "o2", "score": 5}, 'pairs[3].person: "p9" finns inte bland persons'),
        ({"person": "p2", "offer": "o9", "score": 5}, 'pairs[3].offer: "o9" finns inte bland offers'),
        ({"person": 2, "offer": "o2", "score": 5}, "pairs[3].person: ska vara en sträng"),
        ({"person": "p2", "offer": ["o2"], "score": 5}, "pairs[3].offer: ska vara en sträng"),
        ({"person": "p2", "offer": "o2", "score": 1001}, "pairs[3].score: ska vara ett heltal 0–1000"),
        ({"person": "p2", "offer": "o2", "score": -1}, "pairs[3].score: ska vara ett heltal 0–1000"),
        ({"person": "p2", "offer": "o2", "score": 5.0}, "pairs[3].score: ska vara ett heltal 0–1000"),
        ({"person": "p2", "offer": "o2", "score": True}, "pairs[3].score: ska vara ett heltal 0–1000"),
        ({"person": "p2", "offer": "o2", "score": 10**30}, "pairs[3].score: ska vara ett heltal 0–1000"),
        ({"person": "p2", "offer": "o1", "score": 5}, 'pairs[3]: paret "p2"–"o1" finns redan (pairs[2])'),
    ],
)
def test_an_invalid_pair_is_named_by_its_index(pair: object, message: str) -> None:
    assert _problem(_with_pair(pair)).startswith(message)


def test_the_first_of_several_problems_is_the_one_named() -> None:
    data = _with_pair({"person": "p2", "offer": "o2", "score": 2000}, 1)
    data["pairs"].append({"person": "p9", "offer": "o1", "score": 1})
    assert _problem(data).startswith("pairs[1].score:")


@pytest.mark.parametrize("gap", [-0.1, 1.5, "0.1", True, None, float("nan"), float("inf")])
def test_a_gender_gap_outside_0_to_1_is_rejected(gap: object) -> None:
    assert _problem(_instance(max_gender_gap=gap)) == "max_gender_gap: ska vara ett tal mellan 0 och 1"


@pytest.mark.parametrize("gap", [0, 1, 0.25])
def test_a_gender_gap_of_0_to_1_is_accepted(gap: float) -> None:
    assert parse_instance(_instance(max_gender_gap=gap)).max_gender_gap == gap


def test_the_error_carries_path_and_problem_apart() -> None:
    with pytest.raises(InstanceError) as caught:
        parse_instance(_instance(objective=3))
    assert caught.value.path == "objective"
    assert caught.value.problem.startswith("ska vara")
