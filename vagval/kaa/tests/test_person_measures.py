"""The person page's KAA measures (person_measures, read with sql.fetch_equal) against the queryset."""

import datetime as dt

from conftest import ctx_for
from vagval.access.checks import person_access
from vagval.kaa import services
from vagval.kaa.models import Measure
from vagval.kaa.selectors import person_measures
from vagval.kaa.tests.test_measure_services import data
from vagval.outreach.tests.factories import measure, on_list


def test_it_reads_the_units_measures_in_the_querysets_order(karin, sven, kaa_person, ludvika_kaa_unit):
    for starts in (dt.date(2026, 1, 13), dt.date(2026, 2, 3), dt.date(2026, 1, 13)):  # a tie: newest made first
        services.measure_create(ctx=ctx_for(karin), person=kaa_person, data=data(starts_on=starts))
    elsewhere = on_list(sven.unit, kaa_person, opened_on=dt.date(2026, 1, 5))
    measure(elsewhere, sven, starts_on=dt.date(2026, 3, 1))  # another unit's: not shown
    section = person_measures(viewer=karin, person=kaa_person, access=person_access(viewer=karin, person=kaa_person))
    expected = Measure.objects.filter(unit_id=ludvika_kaa_unit.pk, person=kaa_person)
    assert [row.measure.pk for row in section.measures] == [m.pk for m in expected]
    assert len(section.measures) == 3
    assert [row.measure.starts_on for row in section.measures] == [m.starts_on for m in expected]
