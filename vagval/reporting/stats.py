"""The Wilson score interval for a share: honest for small groups and shares near 0 or 100 %."""

from __future__ import annotations

import math

from vagval.common.smallcell import share_withheld

Z_95 = 1.959964  # the normal quantile for a two-sided 95 % interval


def wilson(part: int, whole: int, *, z: float = Z_95) -> tuple[float, float]:
    """The interval (low, high) as fractions; (0, 1) for an empty group."""
    if whole <= 0:
        return 0.0, 1.0
    p = part / whole
    denominator = 1 + z * z / whole
    centre = (p + z * z / (2 * whole)) / denominator
    half = z * math.sqrt(p * (1 - p) / whole + z * z / (4 * whole * whole)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def interval_text(part: int, whole: int) -> str:
    """ "23–41 %", or "–" when the small-cell rule withholds the share."""
    if share_withheld(part, whole):
        return "–"
    low, high = wilson(part, whole)
    return f"{round(low * 100)}–{round(high * 100)} %"
