"""Targets against actuals: each figure read from the app that owns its rule, with status and trend.

The world, counted by hand for 2 July 2026 (183 of 365 days of the period 2026):
- participants who started in the period: P0–P4 at Ludvika (P0 also at Smedjebacken: once),
  S at Smedjebacken and R at Ludvika = 7; not counted: a planned one, one who started in 2025, one
  who starts in August. Target 300 → 300 × 183/365 = 150.4 expected → behind.
- 90-day outcome: 6 follow-ups due in the period by July: 2 in work, 1 in studies, 1 job seeking,
  2 unanswered → 3/6 = 50 % against 30 % → on track. One due in August does not count yet.
- closer: P0–P3 moved closer, P4 did not, R has one rating → 4/5 = 80 % against 70 % → on track.
- first contact: no outreach episodes → too few.
"""

import datetime as dt

import pytest

from conftest import ctx_for
from vagval.access.scope import scope_for
from vagval.assessments.tests.helpers import record, vf_answers
from vagval.audit.models import AccessLogEntry
from vagval.common.errors import NotFound
from vagval.followup.models import Situation
from vagval.people.models import EnrolmentStatus
from vagval.people.tests.factories import EnrolmentFactory
from vagval.targets.models import Figure
from vagval.targets.selectors import targets_against_actuals
from vagval.targets.tests.helpers import enrol, ninety_day, target

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
ON = dt.date(2026, 7, 2)


def _rows(user, project, on=ON):
    result = targets_against_actuals(scope=scope_for(ctx_for(user), "mål"), project=project, on_date=on)
    return {row.figure: row for row in result.rows if row.starts_on == START}


def _rate(person, coach, steps):
    for month, value in enumerate(steps, start=1):
        record(person, coach, answers=vf_answers(value), on=dt.date(2026, month, 20))


@pytest.fixture
def world(project, ludvika_unit, smedjebacken_unit, alice):
    p = [enrol(project, ludvika_unit, serial=100 + i, starts_on=dt.date(2026, 1 + i, 10)) for i in range(5)]
    EnrolmentFactory(person=p[0].person, project=project, unit=smedjebacken_unit, starts_on=dt.date(2026, 3, 1))
    enrol(project, smedjebacken_unit, serial=200, starts_on=dt.date(2026, 2, 1))
    r = enrol(project, ludvika_unit, serial=201, starts_on=dt.date(2026, 1, 5))
    enrol(project, ludvika_unit, serial=300, starts_on=dt.date(2026, 3, 1), status=EnrolmentStatus.PLANNED)
    enrol(project, ludvika_unit, serial=301, starts_on=dt.date(2025, 12, 1))
    enrol(project, ludvika_unit, serial=302, starts_on=dt.date(2026, 8, 1))
    outcomes = [Situation.WORKING, Situation.WORKING, Situation.STUDYING, Situation.JOB_SEEKING, None, None]
    for i, outcome in enumerate(outcomes):
        left = enrol(project, ludvika_unit, serial=400 + i, starts_on=dt.date(2025, 6, 1))
        ninety_day(left, due_on=dt.date(2026, 3, 1 + i), outcome=outcome)
    late = enrol(project, ludvika_unit, serial=410, starts_on=dt.date(2025, 6, 1))
    ninety_day(late, due_on=dt.date(2026, 8, 1), outcome=Situation.WORKING)
    for enrolment, steps in zip(p, [[2, 3], [2, 4], [1, 2], [3, 4], [4, 2]], strict=True):
        _rate(enrolment.person, alice, steps)
    _rate(r.person, alice, [2])
    target(project, Figure.PARTICIPANTS, "300", START, END)
    target(project, Figure.WORK_OR_STUDIES_90, "30", START, END)
    target(project, Figure.CLOSER, "70", START, END)
    target(project, Figure.FIRST_CONTACT, "5", START, END)
    target(project, Figure.PARTICIPANTS, "100", dt.date(2027, 1, 1), dt.date(2027, 12, 31))


def test_participants_are_counted_once_per_person_and_judged_pro_rata(pia, world, project):
    row = _rows(pia, project)[Figure.PARTICIPANTS]
    assert (row.actual, row.expected, row.status) == (7.0, 150.4, "efter")
    assert row.status_label == "Efter"
    assert row.actual_shown == "7"


def test_the_90_day_share_uses_the_follow_up_rule(pia, world, project):
    row = _rows(pia, project)[Figure.WORK_OR_STUDIES_90]
    assert (row.actual, row.base, row.expected, row.status) == (50.0, 6, 30.0, "i_fas")


def test_closer_to_the_labour_market_uses_the_cohort_rule(pia, world, project):
    row = _rows(pia, project)[Figure.CLOSER]
    assert (row.actual, row.base, row.status) == (80.0, 5, "i_fas")


def test_a_figure_resting_on_too_few_is_not_shown(pia, world, project):
    row = _rows(pia, project)[Figure.FIRST_CONTACT]
    assert (row.actual, row.status, row.actual_shown) == (None, "for_fa", "–")


def test_a_period_that_has_not_started_says_so(pia, world, project):
    rows = targets_against_actuals(scope=scope_for(ctx_for(pia), "mål"), project=project, on_date=ON).rows
    later = [row for row in rows if row.starts_on == dt.date(2027, 1, 1)]
    assert [(r.status, r.actual, r.trend) for r in later] == [("ej_startad", None, [])]


def test_the_trend_has_the_actual_at_each_months_end(pia, world, project):
    row = _rows(pia, project)[Figure.PARTICIPANTS]
    # Jan: P0, R; Feb: + P1, S; Mar: + P2; Apr: + P3; May: + P4; Jun and 2 Jul: 7.
    assert [(point.on.isoformat(), point.actual) for point in row.trend] == [
        ("2026-01-31", 2.0),
        ("2026-02-28", 4.0),
        ("2026-03-31", 5.0),
        ("2026-04-30", 6.0),
        ("2026-05-31", 7.0),
        ("2026-06-30", 7.0),
        ("2026-07-02", 7.0),
    ]
    # 300 × 31/365 = 25.47… in January.
    assert row.trend[0].expected == 25.5


def test_the_view_is_logged_without_a_person(pia, world, project):
    _rows(pia, project)
    entry = AccessLogEntry.objects.get(action="targets.viewed")
    assert entry.person_id is None
    assert entry.detail["project"] == str(project.pk)


@pytest.mark.parametrize("who", ["alice", "charlie", "dana", "erik"])
def test_only_the_projects_leaders_get_its_targets(request, world, project, who):
    with pytest.raises(NotFound):
        _rows(request.getfixturevalue(who), project)
