"""When each follow-up falls due: days or calendar months after the exit date.

Months are calendar months: 6 months from 31 August is the last day of February (28th, or 29th
in a leap year), from 31 March the 30th of September. Written here rather than taken from
dateutil (not a declared dependency); tests/test_dates.py checks it against the rule.
"""

from __future__ import annotations

import calendar
import datetime as dt

from vagval.followup.models import FollowUpKind, FollowUpSettings

DEFAULT_WEEKS_4_DAYS = 28
DEFAULT_DAYS_90_DAYS = 90
DEFAULT_MONTHS_6_MONTHS = 6


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole calendar months; a day past the target month's end becomes its last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def follow_up_dates(*, exit_on: dt.date, settings: FollowUpSettings | None) -> dict[str, dt.date]:
    """Due date of each kind of follow-up for an exit on `exit_on`, with the project's offsets."""
    first = settings.weeks_4_days if settings else DEFAULT_WEEKS_4_DAYS
    second = settings.days_90_days if settings else DEFAULT_DAYS_90_DAYS
    months = settings.months_6_months if settings else DEFAULT_MONTHS_6_MONTHS
    return {
        FollowUpKind.WEEKS_4: exit_on + dt.timedelta(days=first),
        FollowUpKind.DAYS_90: exit_on + dt.timedelta(days=second),
        FollowUpKind.MONTHS_6: add_months(exit_on, months),
    }
