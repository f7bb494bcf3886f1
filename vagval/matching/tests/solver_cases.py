"""Small random instances and a brute-force optimum, for the solver's tests."""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from vagval.matching.solver import GENDERS

GAPS = [0.0, 0.1, 0.2, 0.25, 1 / 3, 0.5, 0.75, 1.0]
# Exact binary fractions with small denominators (0.1 as a float is n / 2**55).
SMALL_GAPS = [0.0, 0.0625, 0.125, 0.25, 0.375, 0.5, 0.75, 1.0]


@st.composite
def instances(
    draw: st.DrawFn, *, max_persons: int = 6, max_offers: int = 4, gap: bool | None = None, any_float: bool = True
) -> dict[str, Any]:
    n_p = draw(st.integers(0, max_persons))
    n_o = draw(st.integers(0, max_offers))
    persons: list[dict[str, Any]] = []
    for i in range(n_p):
        gender = draw(st.sampled_from([None, "kvinna", "kvinna", "man", "man", *GENDERS[2:]]))
        persons.append({"id": f"p{i}"} | ({"gender": gender} if gender else {}))
    offers = [{"id": f"o{j}", "capacity": draw(st.integers(0, 3))} for j in range(n_o)]
    pairs = [
        {"person": f"p{i}", "offer": f"o{j}", "score": draw(st.sampled_from([0, 1, 7, 250, 500, 999, 1000]))}
        for i in range(n_p)
        for j in range(n_o)
        if draw(st.booleans())
    ]
    data: dict[str, Any] = {
        "objective": draw(st.sampled_from(["score", "count_then_score"])),
        "persons": persons,
        "offers": offers,
        "pairs": draw(st.permutations(pairs)),
    }
    if gap is True or (gap is None and draw(st.booleans())):
        gaps = st.sampled_from(GAPS) | st.floats(0, 1) if any_float else st.sampled_from(SMALL_GAPS)
        data["max_gender_gap"] = draw(gaps)
    return data


def share_ok(data: dict[str, Any], placed: set[str]) -> bool:
    """The gender-gap rule, written out directly from the format's text."""
    if "max_gender_gap" not in data:
        return True
    with_pairs = {pair["person"] for pair in data["pairs"]}
    women = [p["id"] for p in data["persons"] if p.get("gender") == "kvinna" and p["id"] in with_pairs]
    men = [p["id"] for p in data["persons"] if p.get("gender") == "man" and p["id"] in with_pairs]
    if not women or not men:
        return True
    share_w = Fraction(sum(p in placed for p in women), len(women))
    share_m = Fraction(sum(p in placed for p in men), len(men))
    return abs(share_w - share_m) <= Fraction(data["max_gender_gap"])


def check_assignment(data: dict[str, Any], assignment: list[dict[str, str]]) -> None:
    """Every pair eligible, each person once, capacities kept, the gap rule kept."""
    eligible = {(p["person"], p["offer"]) for p in data["pairs"]}
    capacity = {o["id"]: o["capacity"] for o in data["offers"]}
    persons = [a["person"] for a in assignment]
    assert len(persons) == len(set(persons))
    for a in assignment:
        assert (a["person"], a["offer"]) in eligible
        capacity[a["offer"]] -= 1
    assert all(left >= 0 for left in capacity.values())
    assert share_ok(data, set(persons))


def brute_force(data: dict[str, Any]) -> tuple[int, int]:
    """The best (placed, score) under the instance's objective, by trying every assignment."""
    options: dict[str, list[tuple[str | None, int]]] = {p["id"]: [(None, 0)] for p in data["persons"]}
    for pair in data["pairs"]:
        options[pair["person"]].append((pair["offer"], pair["score"]))
    capacity = {o["id"]: o["capacity"] for o in data["offers"]}
    ids = list(options)
    best: tuple[int, int] | None = None
    for choice in itertools.product(*(options[i] for i in ids)):
        used: dict[str, int] = {}
        for offer, _score in choice:
            if offer is not None:
                used[offer] = used.get(offer, 0) + 1
        if any(count > capacity[offer] for offer, count in used.items()):
            continue
        placed = {i for i, (offer, _s) in zip(ids, choice, strict=True) if offer is not None}
        if not share_ok(data, placed):
            continue
        value = (len(placed), sum(score for _o, score in choice))
        key = value if data["objective"] == "count_then_score" else (0, value[1])
        if best is None or key > (best if data["objective"] == "count_then_score" else (0, best[1])):
            best = value
    assert best is not None  # placing nobody is always allowed
    return best
