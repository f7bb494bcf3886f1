"""A small project world for the targets and budget tests: pia leads `project`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from vagval.followup.models import FollowUpKind, FollowUpStatus, Situation
from vagval.followup.tests.factories import ExitFactory, FollowUpFactory
from vagval.organisations.models import Project
from vagval.people.models import Enrolment
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory, make_personnummer
from vagval.targets.models import Target


def enrol(project: Project, unit: Any, *, serial: int, starts_on: dt.date, **fields: Any) -> Enrolment:
    birth = dt.date(2003, 4, 5)
    person = PersonFactory(birth_date=birth, id_number=make_personnummer(birth, serial))
    return EnrolmentFactory(person=person, project=project, unit=unit, starts_on=starts_on, **fields)


def ninety_day(enrolment: Enrolment, *, due_on: dt.date, outcome: str | None) -> None:
    """An exit with a 90-day follow-up due on `due_on`: done with `outcome`, or still to do (None)."""
    exit_ = ExitFactory(enrolment=enrolment, exit_on=due_on - dt.timedelta(days=90))
    if outcome is None:
        FollowUpFactory(exit=exit_, kind=FollowUpKind.DAYS_90, due_on=due_on, status=FollowUpStatus.DUE)
    else:
        FollowUpFactory(
            exit=exit_, kind=FollowUpKind.DAYS_90, due_on=due_on, status=FollowUpStatus.DONE, outcome=outcome
        )


def target(project: Project, figure: str, value: str, starts_on: dt.date, ends_on: dt.date) -> Target:
    return Target.objects.create(
        project=project, figure=figure, value=Decimal(value), starts_on=starts_on, ends_on=ends_on
    )


POSITIVE = Situation.WORKING
