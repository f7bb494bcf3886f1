"""Whether a figure is on track ("i fas") on a day: pure arithmetic, tested by hand.

"I fas" (decision, docs/ARCHITECTURE.md "Targets"): for a count that grows over the period (the
number of participants) the target is taken pro rata of the period elapsed — on day d of an N-day
period the count must be at least target × d / N (so on the period's last day, the whole target);
for a share the actual share must reach the target from the start (a share does not grow with
time); for a time (first contact, lower is better) the actual must be at most the target.
"""

from __future__ import annotations

import datetime as dt

from vagval.targets.models import Status


def elapsed_fraction(*, starts_on: dt.date, ends_on: dt.date, on_date: dt.date) -> float:
    """The part of the period that has passed by the end of `on_date`, 0 before it starts, 1 after."""
    if on_date < starts_on:
        return 0.0
    days = (ends_on - starts_on).days + 1
    elapsed = (min(on_date, ends_on) - starts_on).days + 1
    return elapsed / days


def expected_by(*, target: float, pro_rata: bool, fraction: float) -> float:
    return round(target * fraction, 1) if pro_rata else target


def status_of(*, actual: float | None, expected: float, higher_is_better: bool, started: bool) -> Status:
    if not started:
        return Status.NOT_STARTED
    if actual is None:
        return Status.TOO_FEW
    on_track = actual >= expected if higher_is_better else actual <= expected
    return Status.ON_TRACK if on_track else Status.BEHIND


def month_ends(*, starts_on: dt.date, until: dt.date) -> list[dt.date]:
    """The last day of each month from the period's first month to `until`'s, the last one cut at `until`."""
    days: list[dt.date] = []
    month = starts_on.replace(day=1)
    while month <= until:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        days.append(min(following - dt.timedelta(days=1), until))
        month = following
    return days
