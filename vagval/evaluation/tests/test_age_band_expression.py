"""The age band counted in the database is evaluation's age_band, day for day around birthdays."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, Q, When
from django.db.models import Value as V
from django.db.models.lookups import GreaterThanOrEqual, LessThan

from vagval.common.sql import DateNumber
from vagval.evaluation.dataset import AGE_BANDS, age_band, age_band_expression
from vagval.people.models import Enrolment
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

BIRTHS = [dt.date(2008, 2, 29), dt.date(2010, 6, 15), dt.date(1996, 12, 31), dt.date(2006, 1, 1), None]
STARTS = [
    dt.date(2024, 2, 28),
    dt.date(2024, 2, 29),
    dt.date(2026, 3, 1),
    dt.date(2026, 6, 14),
    dt.date(2026, 6, 15),
    dt.date(2026, 12, 30),
    dt.date(2026, 12, 31),
    dt.date(2005, 1, 1),  # before some births: no band in Python either
]


def test_the_database_age_band_is_the_python_age_band(project, ludvika_unit):
    for birth in BIRTHS:
        for starts_on in STARTS:
            person = PersonFactory(unit=ludvika_unit, birth_date=birth)
            EnrolmentFactory(person=person, project=project, unit=ludvika_unit, starts_on=starts_on)
    rows = Enrolment.objects.annotate(band=age_band_expression("person__birth_date", "starts_on")).values_list(
        "person__birth_date", "starts_on", "band"
    )
    assert len(rows) == len(BIRTHS) * len(STARTS)
    for birth, starts_on, band in rows:
        assert band == age_band(birth, starts_on), (birth, starts_on)
    assert {band for _b, _s, band in rows} >= {"under 16", "16-17", "18-19", "20-24", "25-29", "30+", ""}


def _two_bounds_per_band(birth: str, on: str) -> Case:
    """The expression as it was before it tested only upper bounds: both bounds of every band."""
    difference = DateNumber(on) - DateNumber(birth)
    bands = [
        When(
            Q(GreaterThanOrEqual(difference, low * 10_000)) & Q(LessThan(difference, (high + 1) * 10_000)),
            then=V(label),
        )
        for low, high, label in AGE_BANDS
    ]
    return Case(When(**{f"{birth}__isnull": True}, then=V("")), *bands, default=V("30+"), output_field=CharField())


def test_the_bands_follow_each_other_from_zero():
    lows = [low for low, _high, _label in AGE_BANDS]
    ends = [high + 1 for _low, high, _label in AGE_BANDS]
    assert lows == [0, *ends[:-1]]


def test_the_expression_gives_what_both_bounds_of_every_band_give_on_each_boundary_birthday(project, ludvika_unit):
    starts = [dt.date(2024, 2, 29), dt.date(2025, 2, 28), dt.date(2025, 3, 1), dt.date(2026, 1, 1)]
    pairs: set[tuple[dt.date | None, dt.date]] = {(None, starts[0])}
    for starts_on in starts:
        for years in (0, *(high + 1 for _low, high, _label in AGE_BANDS)):
            # The birthday `years` before the start (29 February falls back to the 28th), and a day either side.
            try:
                birthday = starts_on.replace(year=starts_on.year - years)
            except ValueError:
                birthday = starts_on.replace(year=starts_on.year - years, day=28)
            pairs |= {(birthday + dt.timedelta(days=shift), starts_on) for shift in (-1, 0, 1)}
        pairs |= {(birth, starts_on) for birth in (dt.date(2008, 2, 29), dt.date(2009, 2, 28), dt.date(2009, 3, 1))}
    for birth, starts_on in pairs:
        person = PersonFactory(unit=ludvika_unit, birth_date=birth)
        EnrolmentFactory(person=person, project=project, unit=ludvika_unit, starts_on=starts_on)
    rows = Enrolment.objects.annotate(
        new=age_band_expression("person__birth_date", "starts_on"),
        old=_two_bounds_per_band("person__birth_date", "starts_on"),
    ).values_list("person__birth_date", "starts_on", "new", "old")
    assert len(rows) == len(pairs)
    for birth, starts_on, new, old in rows:
        assert new == old == age_band(birth, starts_on), (birth, starts_on)
    assert {new for _b, _s, new, _o in rows} >= {"under 16", "16-17", "18-19", "20-24", "25-29", "30+", ""}
