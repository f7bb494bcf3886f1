"""The benchmark's hand-written SQL counts exactly what the ORM counts (the indicator fixtures)."""

from __future__ import annotations

import datetime as dt

import pytest

from vagval.common.scoping import unscoped
from vagval.esf.indicators.compute import count_indicators
from vagval.esf.indicators.handsql import count_indicators_sql
from vagval.esf.models import Answer, LabourStatus
from vagval.esf.tests.factories import EsfEntryFactory, EsfProjectFactory
from vagval.followup.models import FollowUpKind, FollowUpStatus, Situation
from vagval.followup.tests.factories import ExitFactory, FollowUpFactory
from vagval.organisations.tests.factories import UnitFactory
from vagval.people.models import Gender
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_the_hand_sql_counts_what_the_orm_counts():
    project = EsfProjectFactory().project
    unit = UnitFactory()
    genders = [Gender.WOMAN, Gender.MAN, Gender.NON_BINARY, Gender.OTHER, Gender.NOT_STATED]
    statuses = [LabourStatus.UNEMPLOYED, LabourStatus.INACTIVE, LabourStatus.EMPLOYED, ""]
    situations = [Situation.WORKING, Situation.JOB_SEEKING, Situation.STUDYING, Situation.QUALIFIED]
    first = None
    for n in range(40):
        person = PersonFactory(gender=genders[n % 5])
        first = first or person
        enrolment = EnrolmentFactory(person=person, project=project, unit=unit, starts_on=dt.date(2026, 1 + n % 12, 1))
        if n % 7:
            EsfEntryFactory(
                enrolment=enrolment,
                labour_status=statuses[n % 4],
                long_term_unemployed=n % 4 == 0 and n % 3 == 0,
                age_at_entry=[16, 20, 29, 56, None][n % 5],
                isced=[1, 3, 4, 6, None][(n // 2) % 5],
                disability=Answer.YES if n % 3 == 0 else Answer.DECLINED,
                minority=Answer.YES if n % 5 == 1 else "",
                rural=n % 2 == 0,
                improved_after_6_months=Answer.YES if n % 2 else Answer.NO,
            )
        if n % 3 == 0:
            exit_ = ExitFactory(enrolment=enrolment, exit_on=dt.date(2026, 1 + n % 11, 10), situation=situations[n % 4])
            FollowUpFactory(
                exit=exit_,
                kind=FollowUpKind.WEEKS_4,
                due_on=exit_.exit_on + dt.timedelta(days=28 + n % 2 * 5),
                status=FollowUpStatus.DONE,
                outcome=situations[(n + 1) % 4],
            )
            FollowUpFactory(
                exit=exit_,
                kind=FollowUpKind.MONTHS_6,
                due_on=exit_.exit_on + dt.timedelta(days=182),
                status=FollowUpStatus.DONE,
                outcome=situations[n % 2],
            )
    # A second unit's record of one participant.
    twin = PersonFactory(gender=Gender.WOMAN, id_number=first.id_number)
    EnrolmentFactory(person=twin, project=project, unit=UnitFactory(), starts_on=dt.date(2026, 3, 3))
    for start, end in [(dt.date(2026, 1, 1), dt.date(2026, 12, 31)), (dt.date(2026, 3, 1), dt.date(2026, 6, 30))]:
        with unscoped("a test compares two counts"):
            orm = count_indicators(project=project, start=start, end=end)
            hand = count_indicators_sql(project_id=project.pk, start=start, end=end)
        assert hand == orm
        assert orm["EECO01"].total > 0
        assert orm["EECR04"].total + orm["EECR01"].total > 0
