"""The report's breakdowns counted in one statement (common.sql.distinct_counts) give what one ORM
GROUP BY per breakdown gives, on the mixed project (re-entry, two units, merged and protected persons)."""

from __future__ import annotations

import pytest
from django.db.models import Count, F

from vagval.common.sql import distinct_counts
from vagval.evaluation.dataset import age_band_expression
from vagval.people.models import Enrolment
from vagval.reporting.groups import (
    AGE_BAND,
    ENDS_ON,
    GENDER,
    METHOD,
    MUNICIPALITY,
    REPORT_GROUPINGS,
    STARTS_ON,
    UNIT,
    _counts,
    enrolment_counts,
    participant_counts,
)
from vagval.reporting.report import ReportContext
from vagval.reporting.tests import mixed_world

COLUMNS = {
    "gender": F(GENDER),
    "place": F(MUNICIPALITY),
    "way": F(METHOD),
    "band": age_band_expression("person__birth_date", "starts_on"),
}
GROUPINGS = [("gender",), ("place",), ("way", "place"), ("band",), ()]


@pytest.fixture
def ctx(project, ludvika_unit, smedjebacken_unit, af_unit, alice):
    mixed_world.build(project=project, units=[ludvika_unit, smedjebacken_unit, af_unit], recorder=alice)
    return ReportContext(project=project, start=mixed_world.START, end=mixed_world.END, today=mixed_world.TODAY)


def _orm_counts(queryset, grouping):  # type: ignore[no-untyped-def]
    if not grouping:
        total = queryset.aggregate(n=Count("person_id", distinct=True))["n"]
        return {(): total} if total else {}
    rows = queryset.annotate(**{name: COLUMNS[name] for name in grouping}).values_list(*grouping)
    return {tuple(row[:-1]): row[-1] for row in rows.annotate(n=Count("person_id", distinct=True)).order_by()}


def test_each_grouping_counts_what_its_own_orm_group_by_counts(ctx):
    enrolments = ctx.enrolments()
    rows = enrolments.values(who=F("person_id"), **COLUMNS)
    counted = distinct_counts(rows, groupings=[("who", grouping) for grouping in GROUPINGS])
    for grouping, counts in zip(GROUPINGS, counted, strict=True):
        assert counts == _orm_counts(enrolments, grouping), grouping
    assert sum(counted[-1].values()) > 5  # the fixture is not trivially small


def test_a_person_enrolled_twice_counts_once_per_group_and_once_in_all(ctx):
    twice = Enrolment.objects.filter(project=ctx.project).values("person_id").annotate(n=Count("pk")).filter(n__gt=1)
    assert twice.exists()  # re-entry is in the fixture
    (total,) = distinct_counts(ctx.enrolments().values(who=F("person_id")), groupings=[("who", ())])
    assert total == {(): ctx.enrolments().values("person_id").distinct().count()}


def test_no_rows_give_no_groups(ctx):
    rows = ctx.enrolments().none().values(who=F("person_id"), gender=F(GENDER))
    assert distinct_counts(rows, groupings=[("who", ("gender",)), ("who", ())]) == [{}, {}]
    empty = ctx.enrolments().filter(starts_on__lt="1900-01-01").values(who=F("person_id"), gender=F(GENDER))
    assert distinct_counts(empty, groupings=[("who", ("gender",)), ("who", ())]) == [{}, {}]


def test_the_report_groupings_counted_together_equal_each_counted_alone(ctx, project):
    together = {grouping: participant_counts(ctx, *grouping) for grouping in REPORT_GROUPINGS}
    for grouping, counts in together.items():
        alone = ReportContext(project=project, start=ctx.start, end=ctx.end, today=ctx.today)
        ((counted_alone,), _enrolments, _entrants) = _counts(alone, (grouping,), ())
        assert counts == counted_alone
    assert sum(together[(GENDER,)].values()) == participant_counts(ctx)[()]
    assert together[(AGE_BAND,)]


def test_enrolments_per_start_day_end_day_and_unit_are_the_orm_counts(ctx):
    enrolments = ctx.enrolments()
    for path in (STARTS_ON, ENDS_ON, UNIT):
        expected = dict(enrolments.values_list(path).annotate(n=Count("pk")).order_by())
        assert enrolment_counts(ctx, path) == expected, path
    assert None in enrolment_counts(ctx, ENDS_ON)  # open enrolments are in the fixture
