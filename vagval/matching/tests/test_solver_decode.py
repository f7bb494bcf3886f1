"""Reading an instance from its JSON text (`instance_from_json`, what `vagval matcha` uses) gives
exactly what `parse_instance(json.loads(text))` gives: the same instance, or the same first
problem. (Every invalid case of test_solver_instance.py is checked both ways there.)"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings

from vagval.matching.solver import Instance, InstanceError, instance_from_json, parse_instance

from .solver_cases import instances


def _same(a: Instance, b: Instance) -> bool:
    arrays = ("capacities", "pair_person", "pair_offer", "pair_score")
    plain = ("objective", "person_ids", "genders", "offer_ids", "max_gender_gap")
    return all(np.array_equal(getattr(a, n), getattr(b, n)) for n in arrays) and all(
        getattr(a, n) == getattr(b, n) for n in plain
    )


@settings(max_examples=200, deadline=None)
@given(instances(gap=None))
def test_a_valid_instance_reads_the_same_from_its_text(data: dict[str, Any]) -> None:
    text = json.dumps(data)
    assert _same(instance_from_json(text.encode()), parse_instance(json.loads(text)))
    assert _same(instance_from_json(text), parse_instance(json.loads(text)))


def test_a_huge_capacity_is_clamped_the_same_way() -> None:
    text = json.dumps({"persons": [], "offers": [{"id": "o", "capacity": 10**30}], "pairs": []})
    assert _same(instance_from_json(text), parse_instance(json.loads(text)))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"{", "instansen: är inte giltig JSON i UTF-8 (rad 1, kolumn 2)"),
        (b"\xff\xfe{}", "instansen: är inte giltig JSON i UTF-8"),
        (b'{"persons": [{"id": ""}], "offers": [], "pairs": []}', "persons[0].id: ska vara en icke-tom sträng"),
        (b'{"persons": [{"id": "a", "gender": ""}], "offers": [], "pairs": []}', "persons[0].gender: ska vara"),
        (b'{"persons": [], "offers": [], "pairs": [], "objective": null}', "objective: ska vara"),
        (b'{"persons": [], "offers": [], "pairs": [], "max_gender_gap": 1e400}', "max_gender_gap: ska vara"),
    ],
)
def test_a_text_that_is_no_instance_is_refused_with_the_first_problem(text: bytes, message: str) -> None:
    with pytest.raises(InstanceError) as caught:
        instance_from_json(text)
    assert str(caught.value).startswith(message)
