"""Reading an instance from its JSON text: what `vagval matcha` does with the file.

`instance_from_json(raw)` returns the same `Instance` as `parse_instance(json.loads(raw))`
and raises the same `InstanceError`s, but on a valid file it is several times faster. For an
intake of 20,000 persons the standard library's decoder builds half a million dicts (0.4 s),
and `parse_instance` reads them back (0.15 s): together longer than the solve. Here msgspec
decodes the text straight into typed structs, refusing unknown keys, null, wrong types,
negative capacities and scores outside 0–1000 while it decodes; what is left to check (ids
unique and known, genders, duplicate pairs) runs in bulk on the structs.

Whenever this fast path finds anything wrong, the text is decoded again with the standard
library and `parse_instance` names the first problem. So the messages, and what counts as
valid, stay those of `instance.py`; this module only adds speed.
"""

from __future__ import annotations

import json
from operator import attrgetter
from typing import Annotated, Literal

import msgspec
import numpy as np

from .instance import (
    GENDERS,
    MAX_SCORE,
    Instance,
    InstanceError,
    capacity_array,
    has_duplicate_pair,
    parse_instance,
)
from .pairs_text import pairs_from_text

_GENDERS = frozenset(GENDERS)


class _Person(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    id: str
    gender: str | msgspec.UnsetType = msgspec.UNSET


class _Offer(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    id: str
    capacity: Annotated[int, msgspec.Meta(ge=0)]


class _Pair(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    person: str
    offer: str
    score: Annotated[int, msgspec.Meta(ge=0, le=MAX_SCORE)]


class _File(msgspec.Struct, forbid_unknown_fields=True):
    persons: list[_Person]
    offers: list[_Offer]
    pairs: msgspec.Raw  # its text (msgspec checks it is JSON); read by pairs_text.py or _decoded_pairs
    objective: Literal["score", "count_then_score"] = "score"
    max_gender_gap: Annotated[float, msgspec.Meta(ge=0, le=1)] | msgspec.UnsetType = msgspec.UNSET


_DECODER = msgspec.json.Decoder(_File)
_PAIRS_DECODER = msgspec.json.Decoder(list[_Pair])
_pair_person, _pair_offer, _pair_score = attrgetter("person"), attrgetter("offer"), attrgetter("score")


def instance_from_json(raw: bytes | str) -> Instance:
    """The instance in a JSON text; InstanceError (path "instansen" when it is not JSON in UTF-8)."""
    try:
        instance = _fast(_DECODER.decode(raw))
    except (msgspec.DecodeError, msgspec.ValidationError):
        instance = None
    if instance is not None:
        return instance
    return parse_instance(_standard_decode(raw))


def _standard_decode(raw: bytes | str) -> object:
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        # Text that is not JSON is not an instance either (exit status 2 in `vagval matcha`).
        where = f" (rad {exc.lineno}, kolumn {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise InstanceError("instansen", f"är inte giltig JSON i UTF-8{where}") from exc


def _unique_ids(ids: list[str]) -> bool:
    return "" not in ids and len(set(ids)) == len(ids)


def _decoded_pairs(
    text: msgspec.Raw, person_ids: list[str], offer_ids: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The pairs in any layout, decoded into structs (raises msgspec's errors like _DECODER)."""
    pairs = _PAIRS_DECODER.decode(text)
    n = len(pairs)
    person_index = {ident: i for i, ident in enumerate(person_ids)}
    offer_index = {ident: i for i, ident in enumerate(offer_ids)}
    try:
        person = np.fromiter(map(person_index.__getitem__, map(_pair_person, pairs)), dtype=np.int64, count=n)
        offer = np.fromiter(map(offer_index.__getitem__, map(_pair_offer, pairs)), dtype=np.int64, count=n)
    except KeyError:
        return None
    return person, offer, np.fromiter(map(_pair_score, pairs), dtype=np.int64, count=n)


def _fast(data: _File) -> Instance | None:
    """The instance, or None when a check fails (the slow path then names the problem)."""
    person_ids = [person.id for person in data.persons]
    offer_ids = [offer.id for offer in data.offers]
    genders = [None if person.gender is msgspec.UNSET else person.gender for person in data.persons]
    stated = {gender for gender in genders if gender is not None}
    if not (_unique_ids(person_ids) and _unique_ids(offer_ids) and stated <= _GENDERS):
        return None
    arrays = pairs_from_text(data.pairs, person_ids, offer_ids) or _decoded_pairs(data.pairs, person_ids, offer_ids)
    if arrays is None:
        return None
    person, offer, score = arrays
    if has_duplicate_pair(person, offer, len(offer_ids)):
        return None
    gap = data.max_gender_gap
    return Instance(
        objective=data.objective,
        person_ids=tuple(person_ids),
        genders=tuple(genders),
        offer_ids=tuple(offer_ids),
        capacities=capacity_array([offer.capacity for offer in data.offers]),
        pair_person=person,
        pair_offer=offer,
        pair_score=score,
        max_gender_gap=None if isinstance(gap, msgspec.UnsetType) else float(gap),
    )
