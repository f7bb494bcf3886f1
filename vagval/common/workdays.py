"""Swedish working days: weekdays that are neither public holidays nor days treated as such.

Days off are holidays.Sweden() with the categories PUBLIC and DE_FACTO. The default
(PUBLIC only) leaves out midsommarafton, julafton and nyårsafton, which are not "allmänna
helgdagar" but which Swedish law treats like Sundays (semesterlagen 7 §; lag 1930:173 on
deadlines): public offices are closed, so a deadline never falls on them. Saturdays and
Sundays are always off.

Examples: 2026-04-02 (skärtorsdagen) + 5 working days = 2026-04-13 (långfredagen 04-03 and
annandag påsk 04-06 are off); 2026-06-18 + 5 working days = 2026-06-26 (midsommarafton
06-19 is off).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from holidays.constants import DE_FACTO, PUBLIC


@lru_cache(maxsize=64)
def _days_off(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.Sweden(years=year, categories=(PUBLIC, DE_FACTO)).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _days_off(day.year)


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The date n working days after `day` (`day` itself is not counted; n=0 gives `day`)."""
    if n < 0:
        raise ValueError("n must not be negative")
    current = day
    remaining = n
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days d with a < d <= b; negative when b is before a.

    The inverse of add_working_days: working_days_between(a, add_working_days(a, n)) == n.
    """
    if b < a:
        return -working_days_between(b, a)
    count = 0
    current = a
    while current < b:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
