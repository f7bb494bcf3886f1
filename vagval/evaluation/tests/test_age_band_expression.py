"""The age band counted in the database is evaluation's age_band, day for day around birthdays."""

from __future__ import annotations

import datetime as dt

from vagval.evaluation.dataset import age_band, age_band_expression
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
