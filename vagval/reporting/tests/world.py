"""A small project for the report's tests, with counts chosen so that some cells are small.

Ludvika (Gnestamodellen): 8 women and 4 men; 6 of them left on 2026-03-31 and have a 90-day
follow-up due 2026-06-29: 5 in work (answered the day it was due), 1 not reached. Smedjebacken
(ACT): 4 women, one with protected identity. Report period 2026-01-01 – 2026-11-30, today 2026-12-01.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from vagval.followup.models import FollowUpStatus, Situation, Source
from vagval.followup.tests.factories import ExitFactory, FollowUpFactory
from vagval.organisations.models import Method, Project, Unit
from vagval.organisations.tests.factories import MethodFactory
from vagval.people.models import EnrolmentStatus, Gender, Person, Protection
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

START, END, TODAY = dt.date(2026, 1, 1), dt.date(2026, 11, 30), dt.date(2026, 12, 1)
EXIT_ON = dt.date(2026, 3, 31)


@dataclass
class ReportWorld:
    project: Project
    gnesta: Method
    act: Method
    persons: list[Person]


def build(*, project: Project, ludvika: Unit, smedjebacken: Unit, recorder: object) -> ReportWorld:
    gnesta, act = MethodFactory(name="Gnestamodellen"), MethodFactory(name="ACT")
    project.methods.add(gnesta, act)
    persons = []
    for n in range(12):
        person = PersonFactory(unit=ludvika, gender=Gender.WOMAN if n < 8 else Gender.MAN, last_name=f"Ludviksson{n}")
        persons.append(person)
        left = n < 6
        enrolment = EnrolmentFactory(
            person=person,
            project=project,
            unit=ludvika,
            method=gnesta,
            starts_on=dt.date(2026, 2, 1),
            status=EnrolmentStatus.ENDED if left else EnrolmentStatus.ACTIVE,
            ends_on=EXIT_ON if left else None,
        )
        if left:
            exit_ = ExitFactory(enrolment=enrolment, exit_on=EXIT_ON, recorded_by=recorder)
            due = EXIT_ON + dt.timedelta(days=90)
            answered = n < 5
            FollowUpFactory(
                exit=exit_,
                due_on=due,
                status=FollowUpStatus.DONE if answered else FollowUpStatus.NOT_REACHED,
                outcome=Situation.WORKING if answered else "",
                source=Source.YOUNG_PERSON if answered else "",
                recorded_at=timezone.make_aware(dt.datetime.combine(due, dt.time(12))) if answered else None,
            )
    for n in range(4):
        person = PersonFactory(
            unit=smedjebacken,
            last_name=f"Smedsson{n}",
            protection=Protection.PROTECTED_REGISTRATION if n == 0 else Protection.NONE,
        )
        persons.append(person)
        EnrolmentFactory(person=person, project=project, unit=smedjebacken, method=act, starts_on=dt.date(2026, 4, 1))
    return ReportWorld(project=project, gnesta=gnesta, act=act, persons=persons)
