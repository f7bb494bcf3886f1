"""Reading the `pairs` list straight from the bytes of an instance file, with numpy.

An intake of 20,000 persons has half a million pairs. Decoding them into objects, even with
msgspec, and looking their ids up in a dict costs about half the solve's time: two Python
strings, a struct and two dict look-ups per pair. Here no Python object is made per pair: the
text is cut at its quotes, and every part of it is checked and read in bulk, eight bytes at a
time.

This reads one layout, the one every writer we know produces for a list of objects whose keys
come in the format's order (json.dumps with any indent or separators, msgspec, JSON.stringify):

    [{"person": "p1", "offer": "o1", "score": 870}, {"person": "p1", "offer": "o2", "score": 400}]

with no backslash anywhere in the list and the same punctuation and whitespace between the same
two parts of every pair. `pairs_from_text` returns None for anything else (another key order,
an escape, an unknown id, a score out of range or with a leading zero …) and decode.py then
decodes the list into objects, the general way. So this changes no result and no message.

Why the checks cover every byte: with no backslash every quote opens or closes a string, so a
pair is exactly the ten quotes from its first one. Its text is, in order: a fixed part
(`"person": "`), an id, a fixed part (`", "offer": "`), an id, a fixed part (`", "score": `),
one to four digits, a fixed part up to the next pair's first quote (`}, {`). The first pair's
fixed parts are checked against JSON's grammar (regular expressions); every other pair's must be
the same bytes. An id must be the UTF-8 of an id of `persons` or `offers`, which msgspec decoded
(valid text; an id with a control character turns this path off, since raw it is not JSON).
Before the first pair: `[{` and whitespace; after the last one's digits: `}]` and whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from .instance import MAX_SCORE

_W = rb"[ \t\n\r]*"  # JSON's whitespace
# A pair up to its digits: the three fixed parts are groups 1, 2 and 3.
_PAIR = re.compile(
    rb'("person"' + _W + rb":" + _W + rb'")[^"]*'
    rb'("' + _W + rb"," + _W + rb'"offer"' + _W + rb":" + _W + rb'")[^"]*'
    rb'("' + _W + rb"," + _W + rb'"score"' + _W + rb":" + _W + rb")[0-9]"
)
# From a pair's digits to the next pair's first quote; the fixed part is group 2.
_DIGITS_NEXT = re.compile(rb"([0-9]{1,4})(" + _W + rb"\}" + _W + rb"," + _W + rb"\{" + _W + rb")")
_DIGITS_END = re.compile(rb"([0-9]{1,4})" + _W + rb"\}" + _W + rb"\]" + _W)
_LEAD = re.compile(_W + rb"\[" + _W + rb"\{" + _W)
_CONTROL = re.compile(rb"[\x00-\x1f]")
_QUOTE, _BACKSLASH = ord('"'), ord("\\")
_MAX_DIGITS = 4  # enough for 1000
_PLACES = np.array([1000, 100, 10, 1])  # what the four digits are worth; 10 ** (4 - n) divides n digits' value out
_ZEROS = np.uint64(int.from_bytes(b"0000", "little"))
# _LOW[r]: the low r bytes of a little-endian 64-bit word.
_LOW = np.array([(1 << (8 * r)) - 1 for r in range(9)], dtype=np.uint64)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: 2**64 / golden ratio, odd


class _Text:
    """The bytes of a text, padded with zero bytes, and at each offset the 64-bit
    little-endian word of the eight bytes from there (an unaligned strided view)."""

    def __init__(self, text: bytes | memoryview) -> None:
        self.size = len(text)
        self.bytes = np.zeros(self.size + 8, dtype=np.uint8)
        self.bytes[: self.size] = np.frombuffer(text, dtype=np.uint8)
        self.words = np.ndarray((self.size + 1,), dtype="<u8", buffer=self.bytes, strides=(1,))

    def part(self, start: int, end: int | None = None) -> bytes:
        return self.bytes[start : self.size if end is None else end].tobytes()

    def word(self, starts: np.ndarray, length: np.ndarray | int) -> np.ndarray:
        """The first `length` (0–8) bytes from each start (≤ the text's end), as words (zero
        above them)."""
        words = self.words[starts]
        return words if isinstance(length, int) and length >= 8 else words & _LOW[np.clip(length, 0, 8)]

    def all_equal(self, starts: np.ndarray, expected: bytes) -> bool:
        """Whether the bytes from every start are `expected` (which ends inside the text)."""
        for at in range(0, len(expected), 8):
            chunk = expected[at : at + 8]
            if not (self.word(starts + at, len(chunk)) == int.from_bytes(chunk, "little")).all():
                return False
        return True


def pairs_from_text(
    text: bytes | memoryview, person_ids: Sequence[str], offer_ids: Sequence[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(person index, offer index, score) per pair of the JSON list `text`, or None when the
    list is not in the layout read here, or anything in it is wrong."""
    raw = np.frombuffer(text, dtype=np.uint8)
    if (raw == _BACKSLASH).any():
        return None
    quotes = np.flatnonzero(raw == _QUOTE)
    if len(quotes) == 0 or len(quotes) % 10:
        return None
    text_ = _Text(text)
    q = quotes.reshape(-1, 10)  # q[k]: the ten quotes of pair k
    if not _LEAD.fullmatch(text_.part(0, q[0, 0])):
        return None
    scores = _scores(text_, q)
    person = _lookup(text_, q[:, 2] + 1, q[:, 3], person_ids)
    offer = _lookup(text_, q[:, 6] + 1, q[:, 7], offer_ids)
    if scores is None or person is None or offer is None:
        return None
    return person, offer, scores


def _scores(text: _Text, q: np.ndarray) -> np.ndarray | None:
    """Each pair's score, when every pair's fixed parts are the first pair's and those are JSON;
    else None. (The quotes inside a fixed part then sit where the first pair's do, since q holds
    every quote of the text.)"""
    first = _PAIR.match(text.part(q[0, 0], q[0, 9] + 64))
    if first is None:
        return None
    person_part, offer_part, score_part = first[1], first[2], first[3]
    if not (
        text.all_equal(q[:, 0], person_part)
        and text.all_equal(q[:, 3], offer_part)
        and text.all_equal(q[:, 7], score_part)
    ):
        return None
    digit_starts = q[:, 7] + len(score_part)
    last = _DIGITS_END.fullmatch(text.part(digit_starts[-1]))
    if last is None:
        return None
    n_digits = np.empty(len(q), dtype=np.int64)
    n_digits[-1] = len(last[1])
    if len(q) > 1:
        between = _DIGITS_NEXT.fullmatch(text.part(digit_starts[0], q[1, 0]))
        if between is None:
            return None
        digit_ends = q[1:, 0] - len(between[2])
        n_digits[:-1] = digit_ends - digit_starts[:-1]
        if not text.all_equal(digit_ends, between[2]):
            return None
    if not ((n_digits >= 1) & (n_digits <= _MAX_DIGITS)).all():
        return None
    # The digits as four bytes, '0' in the places after the last one: all must be digits.
    word = text.word(digit_starts, n_digits) | (_ZEROS & ~_LOW[n_digits])
    digits = word.astype("<u4").view(np.uint8).reshape(-1, _MAX_DIGITS) - np.uint8(ord("0"))
    if (digits > 9).any():  # (below '0' wraps round to above 9)
        return None
    if ((n_digits > 1) & (digits[:, 0] == 0)).any():  # JSON has no leading zeros
        return None
    scores = (digits.astype(np.int64) @ _PLACES) // _PLACES[n_digits - 1]
    return scores if scores.max() <= MAX_SCORE else None


def _lookup(text: _Text, starts: np.ndarray, ends: np.ndarray, ids: Sequence[str]) -> np.ndarray | None:
    """The index in `ids` of each string text[start:end], or None when one is not there."""
    try:
        encoded = list(map(str.encode, ids))
    except UnicodeEncodeError:  # a lone surrogate, written as an escape
        return None
    if not encoded or _CONTROL.search(b"".join(encoded)):
        return None
    n_words = -(-max(map(len, encoded)) // 8)
    lengths = ends - starts
    if lengths.max() > 8 * n_words:
        return None
    # Each id as words of its UTF-8, zero above its length (no id holds a zero byte).
    known = np.array(encoded, dtype=f"S{8 * n_words}").view("<u8").reshape(len(encoded), n_words)
    known_lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    wanted = np.stack([text.word(np.minimum(starts + 8 * j, text.size), lengths - 8 * j) for j in range(n_words)], 1)
    table = _HashTable(_fold(known))
    index = table.find(_fold(wanted)) if table.unique else None
    if index is None or not ((known[index] == wanted).all() and (known_lengths[index] == lengths).all()):
        return None
    return index


def _fold(words: np.ndarray) -> np.ndarray:
    """One 64-bit key per row of words (equal rows, equal keys)."""
    key = words[:, 0].copy()
    for j in range(1, words.shape[1]):
        key = key * _MIX + words[:, j]
    return key


class _HashTable:
    """Open addressing with linear probing, in numpy arrays: numpy's searchsorted takes about
    80 ns a look-up among 20,000 keys, this a few. `unique` is false when two keys are equal."""

    def __init__(self, keys: np.ndarray) -> None:
        bits = max(4, (4 * len(keys)).bit_length())  # at most a quarter full: short probes
        self.shift = np.uint64(64 - bits)
        self.mask = (1 << bits) - 1
        self.keys = keys
        self.slots = np.full(1 << bits, -1, dtype=np.int64)
        self.unique = len(np.unique(keys)) == len(keys)
        pending, slot = np.arange(len(keys)), self._slot(keys)
        while len(pending):
            free = self.slots[slot] < 0
            taken, first = np.unique(slot[free], return_index=True)
            winners = np.flatnonzero(free)[first]
            self.slots[taken] = pending[winners]
            rest = np.ones(len(pending), dtype=bool)
            rest[winners] = False
            pending, slot = pending[rest], (slot[rest] + 1) & self.mask

    def _slot(self, keys: np.ndarray) -> np.ndarray:
        return ((keys * _MIX) >> self.shift).astype(np.int64)

    def find(self, wanted: np.ndarray) -> np.ndarray | None:
        """The index of each wanted key, or None when one is missing."""
        slot = self._slot(wanted)
        index = self.slots[slot]
        todo = np.flatnonzero((index < 0) | (self.keys[index] != wanted))
        while len(todo):
            if (index[todo] < 0).any():  # an empty slot ends the probe: not there
                return None
            slot[todo] = (slot[todo] + 1) & self.mask
            index[todo] = self.slots[slot[todo]]
            todo = todo[(index[todo] < 0) | (self.keys[index[todo]] != wanted[todo])]
        return index
