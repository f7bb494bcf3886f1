"""The dates of a retention rule, written once: when a file's time has run out, by when it must be
gone, and who the research exception keeps. Pure functions, no database."""

from __future__ import annotations

import datetime as dt

# Persons born on these days of the month are kept for research (the social-services
# regulations' research exception, e.g. SOSFS/HSLF: "födda den 5, 15 och 25").
RESEARCH_DAYS = frozenset({5, 15, 25})


def years_later(day: dt.date, years: int) -> dt.date:
    """`day` moved `years` years on (29 February becomes 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def cutoff(*, as_of: dt.date, years: int, by_end_of_following_year: bool) -> dt.date:
    """A file whose last entry is on or before this day is due for removal on `as_of`.

    Without the yearly rhythm: `years` years after the last entry, to the day. With it
    (by_end_of_following_year): what ran out during a calendar year is removed during the next
    one, so on any day of year Y the files whose time ran out by 31 December of Y-1 are due.
    """
    if by_end_of_following_year:
        return dt.date(as_of.year - 1 - years, 12, 31)
    return years_later(as_of, -years)


def due_on(*, last_entry: dt.date, years: int) -> dt.date:
    """The day the file's time runs out."""
    return years_later(last_entry, years)


def deadline(*, last_entry: dt.date, years: int, by_end_of_following_year: bool) -> dt.date:
    """The last day by which the file must be removed."""
    due = due_on(last_entry=last_entry, years=years)
    return dt.date(due.year + 1, 12, 31) if by_end_of_following_year else due


def birth_day(*, id_number: str | None, birth_date: dt.date | None) -> int | None:
    """The day of the month the person was born, from the identity number (a co-ordination
    number's day has 60 added), else from the birth date."""
    if id_number and len(id_number) == 12 and id_number.isdigit():
        day = int(id_number[6:8])
        return day - 60 if day > 60 else day
    return birth_date.day if birth_date else None


def research_exception_applies(*, id_number: str | None, birth_date: dt.date | None) -> bool:
    return birth_day(id_number=id_number, birth_date=birth_date) in RESEARCH_DAYS
