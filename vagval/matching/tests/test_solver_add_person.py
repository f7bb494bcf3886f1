"""Adding one young person to a solved intake: the change, and bad input."""

from __future__ import annotations

from typing import Any

import pytest

from vagval.matching.solver import InstanceError, parse_instance, solve, solve_with_added_person

INTAKE: dict[str, Any] = {
    "persons": [{"id": "p1", "gender": "kvinna"}, {"id": "p2", "gender": "man"}],
    "offers": [{"id": "o1", "capacity": 1}, {"id": "o2", "capacity": 1}],
    "pairs": [
        {"person": "p1", "offer": "o1", "score": 800},
        {"person": "p1", "offer": "o2", "score": 700},
        {"person": "p2", "offer": "o2", "score": 300},
    ],
}


def test_a_new_person_displaces_along_a_chain_and_the_change_is_reported() -> None:
    instance = parse_instance(INTAKE)
    previous = solve(instance)  # p1 → o1, p2 → o2: 1100
    _bigger, result, change = solve_with_added_person(
        instance, previous, person={"id": "ny"}, pairs=[{"offer": "o1", "score": 1000}]
    )
    # ny takes o1, p1 moves to o2 and p2 loses its place: 1000 + 700 = 1700.
    assert result.objective_value == 1700
    assert result.optimal is True
    assert change.offer == "o1"
    assert sorted(change.moves) == [("p1", "o1", "o2"), ("p2", "o2", None)]
    assert change.objective_delta == 600
    assert change.placed_delta == 0
    assert change.to_json()["moves"][0] == {"person": "p1", "from": "o1", "to": "o2"}


def test_a_new_person_who_would_lower_the_total_stays_unplaced() -> None:
    instance = parse_instance(INTAKE)
    previous = solve(instance)
    _bigger, result, change = solve_with_added_person(
        instance, previous, person={"id": "ny"}, pairs=[{"offer": "o1", "score": 5}]
    )
    assert change.offer is None
    assert change.moves == []
    assert result.objective_value == previous.objective_value


def test_a_result_of_another_instance_is_not_trusted_and_the_intake_is_solved_again() -> None:
    instance = parse_instance(INTAKE)
    other = solve(parse_instance(INTAKE))
    _bigger, result, change = solve_with_added_person(
        instance, other, person={"id": "ny"}, pairs=[{"offer": "o1", "score": 1000}]
    )
    assert change.method == "full_solve"
    assert result.objective_value == 1700


@pytest.mark.parametrize(
    ("person", "pairs", "path"),
    [
        ({"id": "p1"}, [], "person.id"),
        ({"id": ""}, [], "person.id"),
        ({"id": "ny", "gender": "okänd"}, [], "person.gender"),
        ({"id": "ny"}, [{"offer": "o9", "score": 1}], "pairs[0].offer"),
        ({"id": "ny"}, [{"offer": "o1", "score": 1001}], "pairs[0].score"),
        ({"id": "ny"}, [{"offer": "o1", "score": 1}, {"offer": "o1", "score": 2}], "pairs[1]"),
        ({"id": "ny"}, {"o1": 1}, "pairs"),
    ],
)
def test_a_bad_new_person_is_refused_with_the_path(person: object, pairs: object, path: str) -> None:
    instance = parse_instance(INTAKE)
    with pytest.raises(InstanceError) as caught:
        solve_with_added_person(instance, solve(instance), person=person, pairs=pairs)
    assert caught.value.path == path
