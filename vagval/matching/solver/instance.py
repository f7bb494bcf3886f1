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
_get_id = itemgetter("id")
_get_person, _get_offer, _get_score = itemgetter("person"), itemgetter("offer"), itemgetter("score")


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


def _extra_ok(name: str, value: Any) -> bool:
    if name == "persons":
        return value in GENDERS
    return _is_int(value) and value >= 0


def _extra_problem(name: str) -> str:
    return f"ska vara en av {', '.join(GENDERS)}" if name == "persons" else "ska vara ett heltal ≥ 0"


def _ids_slow(items: list[Any], name: str, extra_key: str) -> None:
    """Walk persons or offers one by one and raise on the first problem."""
    allowed = _PERSON_KEYS if name == "persons" else _OFFER_KEYS
    required = ("id",) if name == "persons" else ("id", "capacity")
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
        if extra_key in item and not _extra_ok(name, item[extra_key]):
            raise InstanceError(f"{path}.{extra_key}", _extra_problem(name))
    raise AssertionError("the fast check failed but no problem was found")  # pragma: no cover


def _ids(items: object, name: str, extra_key: str) -> tuple[list[str], list[Any]]:
    """Check a list of {"id": …, extra_key: …} objects; return the ids and the extra values
    (None where a person states no gender). Bulk checks first; a walk names a problem."""
    if not isinstance(items, list):
        raise InstanceError(name, "ska vara en lista")
    allowed = set(_PERSON_KEYS if name == "persons" else _OFFER_KEYS)
    try:
        ok = not items or (set(map(type, items)) == {dict} and set().union(*map(dict.keys, items)) <= allowed)
        if ok:
            ids = list(map(_get_id, items))
            extras = [item.get(extra_key) for item in items]
            stated = [item[extra_key] for item in items if extra_key in item]
            ok = (
                (not ids or set(map(type, ids)) == {str})
                and "" not in ids
                and len(set(ids)) == len(ids)
                and (name == "persons" or len(stated) == len(items))
                and all(_extra_ok(name, value) for value in (set(stated) if name == "persons" else stated))
            )
    except (KeyError, TypeError):  # no id; an unhashable gender
        ok = False
    if not ok:
        _ids_slow(items, name, extra_key)
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
        # One pass per key (a zip of the three is ten times slower on half a million pairs).
        persons = list(map(_get_person, pairs))
        offers = list(map(_get_offer, pairs))
        scores = list(map(_get_score, pairs))
        # Ids are strings, so a number never matches one (KeyError) and a list cannot (TypeError).
        person = np.fromiter(map(person_index.__getitem__, persons), dtype=np.int64, count=n)
        offer = np.fromiter(map(offer_index.__getitem__, offers), dtype=np.int64, count=n)
    except (KeyError, TypeError):
        return None
    if set(map(type, scores)) != {int}:  # not bool, not float
        return None
    try:
        score = np.fromiter(scores, dtype=np.int64, count=n)
    except OverflowError:
        return None
    if score.min() < 0 or score.max() > MAX_SCORE:
        return None
    if has_duplicate_pair(person, offer, len(offer_index)):
        return None
    return person, offer, score


def has_duplicate_pair(person: np.ndarray, offer: np.ndarray, n_offers: int) -> bool:
    """Whether a (person, offer) pair occurs twice. A stable sort: pairs usually come grouped by
    person, and numpy's radix/tim sort is five times faster than its quicksort on them."""
    keys = np.sort(person * max(1, n_offers) + offer, kind="stable")
    return bool((keys[1:] == keys[:-1]).any())


def parse_instance(data: object) -> Instance:
    """Validate decoded JSON as an instance; raise InstanceError naming the first problem."""
    if not isinstance(data, dict):
        raise InstanceError("instansen", "ska vara ett JSON-objekt")
    _check_keys(data, _TOP_KEYS, ("persons", "offers", "pairs"), "")

    objective = data.get("objective", "score")
    if objective not in OBJECTIVES:
        raise InstanceError("objective", 'ska vara "score" eller "count_then_score"')

    person_ids, genders = _ids(data["persons"], "persons", "gender")
    offer_ids, capacities = _ids(data["offers"], "offers", "capacity")

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
        capacities=capacity_array(capacities),
        pair_person=pair_person,
        pair_offer=pair_offer,
        pair_score=pair_score,
        max_gender_gap=gap,
    )


def capacity_array(capacities: list[int]) -> np.ndarray:
    # A capacity beyond any number of persons is never binding; clamping keeps int64.
    return np.array([min(c, MAX_CAPACITY) for c in capacities], dtype=np.int64)
