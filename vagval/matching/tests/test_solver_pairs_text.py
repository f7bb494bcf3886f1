"""Reading the pairs straight from the file's bytes (`solver/pairs_text.py`) gives exactly what
decoding them into objects gives, and whatever it is handed, `instance_from_json` still gives
what `parse_instance(json.loads(text))` gives: the same instance, or the same first problem."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from vagval.matching.solver import Instance, InstanceError, instance_from_json, parse_instance
from vagval.matching.solver.decode import _DECODER, _decoded_pairs, _standard_decode
from vagval.matching.solver.pairs_text import pairs_from_text

from .solver_cases import instances

# The layouts writers produce: Python's json with its default, compact and indented forms,
# msgspec, and a tab-indented one with CRLF line ends.
LAYOUTS = {
    "json.dumps": lambda data: json.dumps(data).encode(),
    "compact": lambda data: json.dumps(data, separators=(",", ":")).encode(),
    "indent": lambda data: json.dumps(data, indent=2).encode(),
    "non-ascii kept": lambda data: json.dumps(data, ensure_ascii=False).encode(),
    "msgspec": msgspec.json.encode,
    "tabs, crlf": lambda data: json.dumps(data, indent="\t").replace("\n", "\r\n").encode(),
}

# Ids that need no escape in JSON, some with the pairs' own punctuation and long UTF-8 text;
# and ids that do need one (the fast path then steps aside).
PLAIN_IDS = st.text(st.characters(codec="utf-8", exclude_characters='"\\', min_codepoint=0x20), min_size=1, max_size=30)
ANY_IDS = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12)


@st.composite
def renamed(draw: st.DrawFn, ids: st.SearchStrategy[str]) -> dict[str, Any]:
    """A random valid instance with its persons' and offers' ids replaced by drawn ones."""
    data = draw(instances(gap=None))
    persons = draw(st.lists(ids, min_size=len(data["persons"]), max_size=len(data["persons"]), unique=True))
    offers = draw(st.lists(ids, min_size=len(data["offers"]), max_size=len(data["offers"]), unique=True))
    new = dict(zip([p["id"] for p in data["persons"]], persons, strict=True))
    new |= dict(zip([o["id"] for o in data["offers"]], offers, strict=True))
    return {
        **data,
        "persons": [p | {"id": new[p["id"]]} for p in data["persons"]],
        "offers": [o | {"id": new[o["id"]]} for o in data["offers"]],
        "pairs": [p | {"person": new[p["person"]], "offer": new[p["offer"]]} for p in data["pairs"]],
    }


def _same(a: Instance, b: Instance) -> bool:
    arrays = ("capacities", "pair_person", "pair_offer", "pair_score")
    plain = ("objective", "person_ids", "genders", "offer_ids", "max_gender_gap")
    return all(np.array_equal(getattr(a, n), getattr(b, n)) for n in arrays) and all(
        getattr(a, n) == getattr(b, n) for n in plain
    )


def _outcome(read: Any, text: bytes) -> Instance | str:
    try:
        return read(text)
    except InstanceError as exc:
        return str(exc)


def _agrees_with_the_standard_library(text: bytes) -> None:
    fast = _outcome(instance_from_json, text)
    standard = _outcome(lambda t: parse_instance(_standard_decode(t)), text)
    if isinstance(fast, str) or isinstance(standard, str):
        assert fast == standard
    else:
        assert _same(fast, standard)


def _from_bytes(text: bytes) -> Any:
    data = _DECODER.decode(text)
    return pairs_from_text(data.pairs, [p.id for p in data.persons], [o.id for o in data.offers])


def _both_ways(text: bytes) -> tuple[Any, Any]:
    """The pairs read from the bytes, and decoded into objects (the general way)."""
    data = _DECODER.decode(text)
    return _from_bytes(text), _decoded_pairs(data.pairs, [p.id for p in data.persons], [o.id for o in data.offers])


@pytest.mark.parametrize("layout", LAYOUTS)
@settings(max_examples=60, deadline=None)
@given(data=renamed(PLAIN_IDS))
def test_the_pairs_read_from_the_bytes_are_the_decoded_pairs(layout: str, data: dict[str, Any]) -> None:
    assume(data["pairs"])
    text = LAYOUTS[layout](data)
    from_bytes, decoded = _both_ways(text)
    if b"\\" not in text:  # json.dumps writes non-ASCII as escapes, which the fast path leaves alone
        assert from_bytes is not None, "the fast path should read this layout"
        assert all(np.array_equal(a, b) for a, b in zip(from_bytes, decoded, strict=True))
    _agrees_with_the_standard_library(text)


@settings(max_examples=150, deadline=None)
@given(data=renamed(ANY_IDS), layout=st.sampled_from(sorted(LAYOUTS)))
def test_ids_that_need_escapes_read_the_same(data: dict[str, Any], layout: str) -> None:
    _agrees_with_the_standard_library(LAYOUTS[layout](data))


# Bytes that change the meaning of a pair list, or its validity, when put anywhere in it.
MUTATIONS = st.sampled_from([b" ", b"\n", b"0", b"1", b"9", b'"', b",", b"{", b"}", b"[", b"]", b":", b"-", b".", b"e"])


@settings(max_examples=400, deadline=None)
@given(data=instances(gap=None), layout=st.sampled_from(sorted(LAYOUTS)), where=st.floats(0, 1), insert=MUTATIONS)
def test_a_changed_byte_reads_as_the_standard_library_reads_it(
    data: dict[str, Any], layout: str, where: float, insert: bytes
) -> None:
    text = LAYOUTS[layout](data)
    start = text.find(b'"pairs"')
    at = start + int(where * (len(text) - start))
    for changed in (text[:at] + insert + text[at:], text[:at] + insert + text[at + 1 :]):
        _agrees_with_the_standard_library(changed)


@pytest.mark.parametrize(
    "pairs",
    [
        b'[{"offer": "o1", "person": "p1", "score": 1}]',  # another key order
        b'[{"person": "p\\u0031", "offer": "o1", "score": 1}]',  # an escape
        b'[{"person": "p1", "offer": "o1", "score": 1}, {"person": "p1",  "offer": "o2", "score": 2}]',
        b'[{"person": "p1", "offer": "o1", "score": 01}]',
        b'[{"person": "p1", "offer": "o1", "score": 1001}]',
        b'[{"person": "p1", "offer": "o1", "score": 1.0}]',
        b'[{"person": "p1", "offer": "o1", "score": -1}]',
        b'[{"person": "p9", "offer": "o1", "score": 1}]',  # unknown person
        b'[{"person": "p", "offer": "o1", "score": 1}]',  # a prefix of a known id
        b'[{"person": "p1", "offer": "o1", "score": 1, "note": "x"}]',
        b"[]",
        b'[{"person": "p1", "offer": "o1", "score": 1}, ]',
        b'[{"person": "p1", "offer": "o1", "score": 1}] ]',
        b'[{"person": "p1", "offer": "o1", "score": 1}{"person": "p1", "offer": "o2", "score": 2}]',
    ],
)
def test_other_layouts_and_wrong_pairs_are_left_to_the_general_way(pairs: bytes) -> None:
    text = b'{"persons": [{"id": "p1"}], "offers": [{"id": "o1", "capacity": 1}, {"id": "o2", "capacity": 1}], '
    text += b'"pairs": ' + pairs + b"}"
    assert pairs_from_text(pairs, ["p1"], ["o1", "o2"]) is None
    _agrees_with_the_standard_library(text)


def test_the_layout_of_the_format_is_read() -> None:
    pairs = b'[{"person": "p1", "offer": "o1", "score": 870}, {"person": "p1", "offer": "o2", "score": 0}]'
    person, offer, score = pairs_from_text(pairs, ["p0", "p1"], ["o1", "o2"]) or ([], [], [])
    assert (list(person), list(offer), list(score)) == ([1, 1], [0, 1], [870, 0])


def test_long_and_non_ascii_ids_are_found() -> None:
    persons = ["Åsa Öberg-Lindqvist, Ludvika", "p", "pp", "ppppppppp", "x" * 40]
    offers = ["Sommarjobb: vård & omsorg {Smedjebacken}", "o"]
    pairs = zip(persons, offers * 3, strict=False)
    data = {
        "persons": [{"id": p} for p in persons],
        "offers": [{"id": o, "capacity": 2} for o in offers],
        "pairs": [{"person": p, "offer": o, "score": 1000 - i} for i, (p, o) in enumerate(pairs)],
    }
    for layout in LAYOUTS.values():
        text = layout(data)
        from_bytes, decoded = _both_ways(text)
        assert (from_bytes is None) == (b"\\" in text)  # ensure_ascii writes escapes
        if from_bytes is None:
            continue
        assert all(np.array_equal(a, b) for a, b in zip(from_bytes, decoded, strict=True))
