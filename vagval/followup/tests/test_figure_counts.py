"""The follow-up figures counted by the database are what counting row by row gave.

`_per_row` is the counting as it was written before the GROUP BY (every follow-up read into
Python); it stays here as the reference the set-based counts are checked against.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import pytest
from django.utils import timezone

from vagval.followup.figures import figure_counts, project_follow_up_counts, project_follow_ups
from vagval.followup.models import POSITIVE_SITUATIONS, FollowUp, FollowUpKind, FollowUpStatus, Situation, Source
from vagval.followup.tests.factories import ExitFactory, FollowUpFactory
from vagval.organisations.tests.factories import MethodFactory
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

TODAY = dt.date(2026, 12, 1)


def _add(cell, kind, status, outcome, due_on, recorded_at):
    cell[0] += 1
    cell[1] += (
        status == FollowUpStatus.DONE
        and recorded_at is not None
        and timezone.localdate(recorded_at) <= due_on + dt.timedelta(days=30)
    )
    if kind == FollowUpKind.DAYS_90:
        cell[2] += 1
        cell[3] += status == FollowUpStatus.DONE and outcome in POSITIVE_SITUATIONS


def _per_row(follow_ups, paths, today):
    rows = (
        follow_ups.filter(due_on__lte=today)
        .exclude(status=FollowUpStatus.NOT_APPLICABLE)
        .values_list(*paths, "kind", "status", "outcome", "due_on", "recorded_at")
    )
    counts = defaultdict(lambda: [0, 0, 0, 0])
    for row in rows:
        _add(counts[tuple(row[: len(paths)])], *row[len(paths) :])
    return dict(counts)


@pytest.fixture
def follow_ups(project, ludvika_unit, smedjebacken_unit, alice):
    """Follow-ups of every kind and status, answered around the 30-day limit, some at 23:30 UTC
    (the next day in Sweden), for two methods and no method, at two units."""
    rng = random.Random(12)
    methods = [MethodFactory(name="Gnestamodellen"), MethodFactory(name="ACT"), None]
    for n in range(40):
        unit = (ludvika_unit, smedjebacken_unit)[n % 2]
        enrolment = EnrolmentFactory(
            person=PersonFactory(unit=unit), project=project, unit=unit, method=rng.choice(methods)
        )
        exit_on = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(330))
        exit_ = ExitFactory(enrolment=enrolment, exit_on=exit_on, recorded_by=alice)
        for kind, days in ((FollowUpKind.WEEKS_4, 28), (FollowUpKind.DAYS_90, 90), (FollowUpKind.MONTHS_6, 182)):
            due = exit_on + dt.timedelta(days=days)
            status = rng.choice(list(FollowUpStatus))
            done = status == FollowUpStatus.DONE
            day = due + dt.timedelta(days=rng.choice((-2, 0, 29, 30, 31, 60)))
            clock = rng.choice((dt.time(8), dt.time(22, 59), dt.time(23, 30)))
            FollowUpFactory(
                exit=exit_,
                kind=kind,
                due_on=due,
                status=status,
                outcome=rng.choice(list(Situation)) if done else "",
                source=Source.YOUNG_PERSON if done else "",
                recorded_at=dt.datetime.combine(day, clock, tzinfo=dt.UTC) if done or n % 5 == 0 else None,
            )
    return FollowUp.objects.filter(exit__enrolment__project=project)


@pytest.mark.parametrize(
    "paths",
    [
        ("kind",),
        ("exit__enrolment__unit__organisation__municipality__name",),
        ("exit__enrolment__method__name", "exit__enrolment__unit__organisation__municipality__name"),
        ("person__gender",),
    ],
)
def test_the_grouped_counts_are_the_per_row_counts(follow_ups, paths):
    counted = figure_counts(follow_ups=follow_ups, paths=paths, today=TODAY)
    shown = {key: [r.due, r.answered, r.days_90, r.positive] for key, r in counted.items()}
    expected = _per_row(follow_ups, paths, TODAY)
    assert shown == expected
    assert sum(cell[1] for cell in expected.values()) > 0  # the fixture has answers in time


def test_the_30_day_limit_is_the_swedish_date_of_the_answer(project, alice):
    exit_ = ExitFactory(enrolment=EnrolmentFactory(project=project), exit_on=dt.date(2026, 1, 1), recorded_by=alice)
    due = dt.date(2026, 4, 1)
    FollowUpFactory(
        exit=exit_,
        due_on=due,
        status=FollowUpStatus.DONE,
        outcome=Situation.WORKING,
        source=Source.YOUNG_PERSON,
        # 23:30 UTC on the 30th day is 01:30 on the 31st in Sweden: too late.
        recorded_at=dt.datetime.combine(due + dt.timedelta(days=30), dt.time(23, 30), tzinfo=dt.UTC),
    )
    (row,) = figure_counts(follow_ups=FollowUp.objects.all(), paths=("kind",), today=TODAY).values()
    assert (row.due, row.answered, row.days_90, row.positive) == (1, 0, 1, 1)


def test_a_projects_counts_for_a_due_period_are_the_per_row_counts(follow_ups, project):
    start, end = dt.date(2026, 3, 1), dt.date(2027, 3, 1)
    counts = project_follow_up_counts(project_id=project.pk, due_from=start, due_to=end)
    in_period = project_follow_ups(project_id=project.pk, start=start, end=end)
    expected = [0, 0, 0, 0]
    for cell in _per_row(in_period, (), end).values():
        expected = [a + b for a, b in zip(expected, cell, strict=True)]
    assert [counts.due, counts.answered, counts.days_90, counts.positive] == expected
