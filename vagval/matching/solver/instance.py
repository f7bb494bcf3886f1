"""A matching instance: parsing and validating the file format of `vagval matcha`.

The format is described in docs (shared spec `formats/matching-instance.md`): persons, offers
with capacities, the eligible pairs with an integer score 0–1000, an objective and an optional
bound on the gap between the shares of women and men placed.

`parse_instance` checks everything and raises `InstanceError` on the first problem, with the
JSON path of the value and what is wrong with it (Swedish, like the rest of the command line).
Keys the format does not name are rejected: a misspelt `max_gender_gap` must not silently drop
the rule.

Speed: an intake of 20,000 persons has half a million pairs. The pairs are checked in a few
passes over the decoded list (itemgetter, dict look-ups, type sets) that build numpy arrays; no
object per pair is kept. Only when a pass finds something wrong does a slow walk run to name
the first problem exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import numpy as np

OBJECTIVES = ("score", "count_then_score")
GENDERS = ("kvinna", "man", "icke-binär", "annat", "vill inte svara")
MAX_SCORE = 1000
MAX_CAPACITY = 2**31 - 1

_TOP_KEYS = ("objective", "persons", "offers", "pairs", "max_gender_gap")
_PERSON_KEYS = ("id", "gender")
_OFFER_KEYS = ("id", "capacity")
_PAIR_KEYS = ("person", "offer", "score")
_pair_getter = itemgetter("person", "offer", "score")


class InstanceError(ValueError):
    """The data is not a valid instance. `path` is the JSON path of the first problem."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


@dataclass(frozen=True, eq=False)
class Instance:
    """A validated instance. Persons and offers are numbered by their position in the file;
    the pairs are three parallel arrays (person index, offer index, score)."""

    objective: str
    person_ids: tuple[str, ...]
    genders: tuple[str | None, ...]
    offer_ids: tuple[str, ...]
    capacities: np.ndarray  # int64, one per offer (clamped to MAX_CAPACITY)
    pair_person: np.ndarray  # int64 person index per pair
    pair_offer: np.ndarray  # int64 offer index per pair
    pair_score: np.ndarray  # int64 score per pair
    max_gender_gap: float | None = None

    @property
    def n_persons(self) -> int:
        return len(self.person_ids)

    @property
    def n_offers(self) -> int:
        return len(self.offer_ids)

    @property
    def n_pairs(self) -> int:
        return len(self.pair_score)


def _quote(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 60 else text[:57] + "…"


def _check_keys(obj: dict[str, Any], allowed: Sequence[str], required: Sequence[str], path: str) -> None:
    for key in obj:
        if key not in allowed:
            where = f"{path}.{key}" if path else str(key)
            raise InstanceError(where, f"okänd nyckel (tillåtna: {', '.join(allowed)})")
    for key in required:
        if key not in obj:
            raise InstanceError(f"{path}.{key}" if path else key, "saknas")


def _is_int(value: object) -> bool:
    return type(value) is int


def _ids(items: object, name: str, extra_key: str) -> tuple[list[str], list[Any]]:
    """Check a list of {"id": …, extra_key: …} objects; return the ids and the extra values."""
    if not isinstance(items, list):
        raise InstanceError(name, "ska vara en lista")
    allowed = _PERSON_KEYS if name == "persons" else _OFFER_KEYS
    required = ("id",) if name == "persons" else ("id", "capacity")
    ids: list[str] = []
    extras: list[Any] = []
    first_at: dict[str, int] = {}
    for i, item in enumerate(items):
        path = f"{name}[{i}]"
        if not isinstance(item, dict):
            raise InstanceError(path, "ska vara ett objekt")
        _check_keys(item, allowed, required, path)
        ident = item["id"]
        if not isinstance(ident, str) or not ident:
            raise InstanceError(f"{path}.id", "ska vara en icke-tom sträng")
        if ident in first_at:
            raise InstanceError(f"{path}.id", f"{_quote(ident)} finns redan ({name}[{first_at[ident]}])")
        first_at[ident] = i
        ids.append(ident)
        extras.append(item.get(extra_key))
    return ids, extras


def _pairs_slow(pairs: list[Any], person_index: dict[str, int], offer_index: dict[str, int]) -> None:
    """Walk the pairs one by one and raise on the first problem (the fast path found one)."""
    seen: dict[tuple[str, str], int] = {}
    for i, pair in enumerate(pairs):
        path = f"pairs[{i}]"
        if not isinstance(pair, dict):
            raise InstanceError(path, "ska vara ett objekt")
        _check_keys(pair, _PAIR_KEYS, _PAIR_KEYS, path)
        for key, index, listname in (("person", person_index, "persons"), ("offer", offer_index, "offers")):
            value = pair[key]
            if not isinstance(value, str):
                raise InstanceError(f"{path}.{key}", "ska vara en sträng (ett id)")
            if value not in index:
                raise InstanceError(f"{path}.{key}", f"{_quote(value)} finns inte bland {listname}")
        score = pair["score"]
        if not _is_int(score) or not 0 <= score <= MAX_SCORE:
            raise InstanceError(f"{path}.score", f"ska vara ett heltal 0–{MAX_SCORE}")
        key_pair = (pair["person"], pair["offer"])
        if key_pair in seen:
            raise InstanceError(
                path, f"paret {_quote(key_pair[0])}–{_quote(key_pair[1])} finns redan (pairs[{seen[key_pair]}])"
            )
        seen[key_pair] = i
    raise AssertionError("the fast pair check failed but no problem was found")  # pragma: no cover


def _pairs_fast(
    pairs: list[Any], person_index: dict[str, int], offer_index: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The pairs as arrays, or None when something is wrong (the slow walk then says what)."""
    n = len(pairs)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), empty.copy()
    try:
        if set(map(type, pairs)) != {dict} or set(map(len, pairs)) != {3}:
            return None
        persons, offers, scores = zip(*map(_pair_getter, pairs), strict=True)
        # Ids are strings, so a number or list never matches one: KeyError (or TypeError).
        person = np.fromiter(map(person_index.__getitem__, persons), dtype=np.int64, count=n)
        offer = np.fromiter(map(offer_index.__getitem__, offers), dtype=np.int64, count=n)
    except (KeyError, TypeError):
        return None
    if set(map(type, scores)) != {int}:
        return None
    if min(scores) < 0 or max(scores) > MAX_SCORE:
        return None
    score = np.fromiter(scores, dtype=np.int64, count=n)
    keys = person * max(1, len(offer_index)) + offer
    if len(np.unique(keys)) != n:
        return None
    return person, offer, score


def parse_instance(data: object) -> Instance:
    """Validate decoded JSON as an instance; raise InstanceError naming the first problem."""
    if not isinstance(data, dict):
        raise InstanceError("instansen", "ska vara ett JSON-objekt")
    _check_keys(data, _TOP_KEYS, ("persons", "offers", "pairs"), "")

    objective = data.get("objective", "score")
    if objective not in OBJECTIVES:
        raise InstanceError("objective", 'ska vara "score" eller "count_then_score"')

    person_ids, genders = _ids(data["persons"], "persons", "gender")
    for i, gender in enumerate(genders):
        if "gender" in data["persons"][i] and gender not in GENDERS:
            raise InstanceError(f"persons[{i}].gender", f"ska vara en av {', '.join(GENDERS)}")
    offer_ids, capacities = _ids(data["offers"], "offers", "capacity")
    for i, capacity in enumerate(capacities):
        if not _is_int(capacity) or capacity < 0:
            raise InstanceError(f"offers[{i}].capacity", "ska vara ett heltal ≥ 0")

    pairs = data["pairs"]
    if not isinstance(pairs, list):
        raise InstanceError("pairs", "ska vara en lista")
    person_index = {ident: i for i, ident in enumerate(person_ids)}
    offer_index = {ident: i for i, ident in enumerate(offer_ids)}
    arrays = _pairs_fast(pairs, person_index, offer_index)
    if arrays is None:
        _pairs_slow(pairs, person_index, offer_index)
        raise AssertionError("unreachable")  # pragma: no cover
    pair_person, pair_offer, pair_score = arrays

    gap = data.get("max_gender_gap")
    if "max_gender_gap" in data:
        if not isinstance(gap, int | float) or isinstance(gap, bool) or not math.isfinite(gap) or not 0 <= gap <= 1:
            raise InstanceError("max_gender_gap", "ska vara ett tal mellan 0 och 1")
        gap = float(gap)

    return Instance(
        objective=objective,
        person_ids=tuple(person_ids),
        genders=tuple(genders),
        offer_ids=tuple(offer_ids),
        # A capacity beyond any number of persons is never binding; clamping keeps int64.
        capacities=np.array([min(c, MAX_CAPACITY) for c in capacities], dtype=np.int64),
        pair_person=pair_person,
        pair_offer=pair_offer,
        pair_score=pair_score,
        max_gender_gap=gap,
    )
