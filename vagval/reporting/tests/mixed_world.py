"""A larger, mixed project for comparing the report's set-based counts with the per-row ones.

Made from a seeded random generator, so every run builds the same figures: every gender, ages
from 12 to 33, protected persons, a merged person record, planned enrolments and ones that ended
before the period, persons enrolled at two units, re-entry (a superseded exit), follow-ups of
every kind and status answered around the 30-day limit (also late in the evening, when the UTC
date and the Swedish date differ), Vägen framåt ratings once, twice and three times (some areas
unanswered), a unit without municipality, enrolments without method, and small cells.
`snapshot()` is what the report shows: every table, chart table and paragraph.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from vagval.assessments.models import Instrument, Response
from vagval.budget.models import Cost, CostType
from vagval.followup.models import FollowUpKind, FollowUpStatus, Situation, Source
from vagval.followup.tests.factories import ExitFactory, FollowUpFactory
from vagval.organisations.models import Project, Unit
from vagval.organisations.tests.factories import MethodFactory
from vagval.people.models import EnrolmentStatus, Gender, Person, Protection
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory
from vagval.targets.models import Figure, Target

START, END, TODAY = dt.date(2026, 1, 1), dt.date(2026, 11, 30), dt.date(2026, 12, 1)
AREAS = ("motivation", "rutiner", "halsa", "natverk", "fardigheter", "soka", "arbetsvanor", "boende_ekonomi")


def _recorded_at(rng: random.Random, due: dt.date) -> dt.datetime:
    """Around the 30-day limit, sometimes at 23:30 UTC (the next day in Sweden)."""
    day = due + dt.timedelta(days=rng.choice((-3, 0, 12, 29, 30, 30, 31, 45)))
    clock = rng.choice((dt.time(9, 0), dt.time(23, 30), dt.time(22, 59)))
    return dt.datetime.combine(day, clock, tzinfo=dt.UTC)


def _follow_ups(rng: random.Random, exit_: Any, *, superseded: bool) -> None:
    for kind, days in ((FollowUpKind.WEEKS_4, 28), (FollowUpKind.DAYS_90, 90), (FollowUpKind.MONTHS_6, 182)):
        if rng.random() < 0.15:
            continue
        due = exit_.exit_on + dt.timedelta(days=days)
        status = FollowUpStatus.NOT_APPLICABLE if superseded else rng.choice(list(FollowUpStatus))
        done = status == FollowUpStatus.DONE
        FollowUpFactory(
            exit=exit_,
            kind=kind,
            due_on=due,
            status=status,
            outcome=rng.choice(list(Situation)) if done else "",
            source=Source.YOUNG_PERSON if done else "",
            recorded_at=_recorded_at(rng, due) if done or rng.random() < 0.2 else None,
        )


def _ratings(rng: random.Random, person: Person, unit: Unit, recorder: Any, instrument: Instrument) -> None:
    day = dt.date(2025, 9, 1) + dt.timedelta(days=rng.randrange(300))
    for _n in range(rng.choice((0, 1, 2, 2, 3))):
        scores = {area: (None if rng.random() < 0.1 else rng.randint(1, 5)) for area in AREAS}
        Response.objects.create(
            person=person,
            instrument=instrument,
            instrument_version=instrument.current_version,
            unit=unit,
            respondent="coach_med_den_unga",
            filled_by=recorder,
            context="start",
            answered_on=day,
            scores=scores,
        )
        day += dt.timedelta(days=rng.randrange(1, 90))


def _targets_and_costs(project: Project) -> None:
    """A target for every figure and a cost, so the figures behind the ratios show."""
    for figure in Figure:
        Target.objects.create(project=project, figure=figure, value=Decimal("40"), starts_on=START, ends_on=END)
    Cost.objects.create(project=project, month=START, cost_type=CostType.STAFF, amount=Decimal("1000003"))


def build(*, project: Project, units: list[Unit], recorder: Any, persons: int = 70, seed: int = 13) -> None:
    rng = random.Random(seed)
    _targets_and_costs(project)
    methods = [MethodFactory(name="Gnestamodellen"), MethodFactory(name="ACT"), None]
    instrument = Instrument.objects.select_related("current_version").get(slug="vagen-framat")
    made: list[Person] = []
    for n in range(persons):
        person = PersonFactory(
            unit=units[0],
            gender=rng.choice(list(Gender)),
            birth_date=dt.date(1993, 1, 1) + dt.timedelta(days=rng.randrange(365 * 21)),
            protection=Protection.PROTECTED_REGISTRATION if rng.random() < 0.1 else Protection.NONE,
            last_name=f"Blandad{n}",
        )
        if made and rng.random() < 0.03:
            Person.objects.filter(pk=person.pk).update(merged_into=made[0])
        made.append(person)
        _ratings(rng, person, units[0], recorder, instrument)
        for unit in rng.sample(units, rng.choice((1, 1, 1, 2))):  # one enrolment per unit and project
            starts_on = dt.date(2025, 6, 1) + dt.timedelta(days=rng.randrange(500))
            status = rng.choice((EnrolmentStatus.ACTIVE,) * 8 + (EnrolmentStatus.PLANNED,))
            left = status != EnrolmentStatus.PLANNED and rng.random() < 0.6
            exit_on = starts_on + dt.timedelta(days=rng.randrange(20, 200))
            enrolment = EnrolmentFactory(
                person=person,
                project=project,
                unit=unit,
                method=rng.choice(methods),
                starts_on=starts_on,
                status=EnrolmentStatus.ENDED if left else status,
                ends_on=exit_on if left else None,
            )
            if not left:
                continue
            if rng.random() < 0.2:  # re-entry: an earlier exit, superseded
                earlier = ExitFactory(
                    enrolment=enrolment,
                    exit_on=starts_on + dt.timedelta(days=10),
                    superseded_on=starts_on + dt.timedelta(days=15),
                    recorded_by=recorder,
                )
                _follow_ups(rng, earlier, superseded=True)
            exit_ = ExitFactory(
                enrolment=enrolment, exit_on=exit_on, recorded_by=recorder, situation=rng.choice(list(Situation))
            )
            _follow_ups(rng, exit_, superseded=False)


def snapshot(report: Any) -> list[dict[str, Any]]:
    """Everything the report shows, as plain lists (the JSON the comparison test reads)."""
    return [
        {
            "key": section.key,
            "paragraphs": [str(p) for p in section.paragraphs],
            "tables": [
                [table.key, str(table.caption), [str(c) for c in table.columns], [list(r) for r in table.rows]]
                for table in section.all_tables()
            ],
        }
        for section in report.sections
    ]
