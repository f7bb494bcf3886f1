"""The small-cell rule, written once: a count under SMALL_CELL is never shown as a number.

Every aggregate a project leader or evaluator sees (the cohort view, the evaluator's figures,
the partners' survey) shows such a count as "<5", and hides a share or mean built on it, because
a small group can point at a person. Protected persons are counted only in cells at least this large.
"""

from __future__ import annotations

SMALL_CELL = 5
SMALL_CELL_TEXT = "<5"
NOT_SHOWN = "–"  # a withheld share or mean


def is_small(count: int) -> bool:
    """Whether a count is too small to show (0 included: "none of them" can reveal as much)."""
    return count < SMALL_CELL


def small_cell(count: int) -> str:
    """The count as shown: "<5" under the threshold, else the number."""
    return SMALL_CELL_TEXT if is_small(count) else str(count)


def share_withheld(part: int, whole: int) -> bool:
    """Whether the share part/whole is withheld: the part or the whole is a small cell."""
    return is_small(whole) or is_small(part)


def small_share(part: int, whole: int) -> str:
    """The share as shown: whole per cent ("50 %"), or "–" when share_withheld."""
    if share_withheld(part, whole):
        return NOT_SHOWN
    return f"{round(100 * part / whole)} %"
