"""Every ESF+ indicator against hand-computed fixtures."""

from __future__ import annotations

import datetime as dt

import pytest

from vagval.common.scoping import unscoped
from vagval.esf.indicators import REGISTRY
from vagval.esf.indicators.compute import count_indicators
from vagval.esf.models import Answer, LabourStatus
from vagval.esf.tests.factories import EsfEntryFactory, EsfProjectFactory
from vagval.followup.models import FollowUpKind, FollowUpStatus, Situation
from vagval.followup.tests.factories import ExitFactory, FollowUpFactory
from vagval.organisations.tests.factories import ProjectFactory, UnitFactory
from vagval.people.models import EnrolmentStatus, Gender
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


@pytest.fixture
def project():
    return EsfProjectFactory(project=ProjectFactory(name="#redonu")).project


@pytest.fixture
def unit():
    return UnitFactory()


def participant(project, unit, *, gender=Gender.WOMAN, starts_on=dt.date(2026, 2, 1), person=None, **entry):
    person = person or PersonFactory(gender=gender)
    enrolment = EnrolmentFactory(person=person, project=project, unit=unit, starts_on=starts_on)
    if entry is not None:
        EsfEntryFactory(enrolment=enrolment, **entry)
    return enrolment


def counts(project, start=START, end=END):
    with unscoped("a test counts aggregates"):
        return {code: c.as_dict() for code, c in count_indicators(project=project, start=start, end=end).items()}


def cells(total, kvinnor=0, man=0, icke_binara=0):
    return {"total": total, "kvinnor": kvinnor, "man": man, "icke_binara": icke_binara}


def test_the_registry_has_every_common_indicator_in_order():
    assert list(REGISTRY) == [f"EECO{n:02d}" for n in range(1, 18)] + [f"EECR{n:02d}" for n in range(1, 7)]
    assert all(indicator.definition for indicator in REGISTRY.values())


def test_output_indicators_count_status_age_and_education_by_gender(project, unit):
    participant(project, unit, gender=Gender.WOMAN, labour_status=LabourStatus.UNEMPLOYED, age_at_entry=17, isced=2)
    participant(
        project,
        unit,
        gender=Gender.MAN,
        labour_status=LabourStatus.UNEMPLOYED,
        long_term_unemployed=True,
        age_at_entry=24,
        isced=3,
    )
    participant(project, unit, gender=Gender.NON_BINARY, labour_status=LabourStatus.EMPLOYED, age_at_entry=56, isced=6)
    participant(project, unit, gender=Gender.OTHER, labour_status=LabourStatus.INACTIVE, age_at_entry=29, isced=4)
    result = counts(project)
    assert result["EECO01"] == cells(4, 1, 1, 2)
    assert result["EECO02"] == cells(2, 1, 1)
    assert result["EECO03"] == cells(1, 0, 1)
    assert result["EECO04"] == cells(1, 0, 0, 1)
    assert result["EECO05"] == cells(1, 0, 0, 1)
    assert result["EECO06"] == cells(1, 1)
    assert result["EECO07"] == cells(2, 0, 1, 1)
    assert result["EECO08"] == cells(1, 0, 0, 1)
    assert result["EECO09"] == cells(1, 1)
    assert result["EECO10"] == cells(2, 0, 1, 1)
    assert result["EECO11"] == cells(1, 0, 0, 1)


def test_voluntary_items_count_only_a_yes(project, unit):
    participant(project, unit, disability=Answer.YES, third_country=Answer.YES, minority=Answer.DECLINED)
    participant(project, unit, gender=Gender.MAN, foreign_background=Answer.YES, homeless=Answer.YES, rural=True)
    participant(project, unit, disability=Answer.DECLINED, minority=Answer.YES, homeless=Answer.NO)
    result = counts(project)
    assert result["EECO12"] == cells(1, 1)
    assert result["EECO13"] == cells(1, 1)
    assert result["EECO14"] == cells(1, 0, 1)
    assert result["EECO15"] == cells(1, 1)
    assert result["EECO16"] == cells(1, 0, 1)
    assert result["EECO17"] == cells(1, 0, 1)


def test_incomplete_records_count_only_in_the_total(project, unit):
    participant(project, unit)  # complete
    participant(project, unit, gender=Gender.NOT_STATED)  # no gender
    participant(project, unit, labour_status="")  # no status
    participant(project, unit, age_at_entry=None)  # no age
    participant(project, unit, isced=None)  # no education
    enrolment = EnrolmentFactory(person=PersonFactory(), project=project, unit=unit, starts_on=dt.date(2026, 3, 1))
    ExitFactory(enrolment=enrolment, exit_on=dt.date(2026, 5, 1), situation=Situation.WORKING)  # no entry data
    result = counts(project)
    assert result["EECO01"] == cells(6, 1)
    assert result["EECO04"] == cells(1, 1)
    assert result["EECO07"] == cells(1, 1)
    assert result["EECR04"] == cells(0)


def test_a_participant_is_counted_once_per_project_after_re_entry_and_at_two_units(project, unit):
    person = PersonFactory(gender=Gender.MAN)
    enrolment = participant(project, unit, person=person, starts_on=dt.date(2026, 1, 10))
    # The first exit was superseded by a re-entry; the current exit is the one that counts.
    ExitFactory(
        enrolment=enrolment,
        exit_on=dt.date(2026, 3, 1),
        situation=Situation.JOB_SEEKING,
        superseded_on=dt.date(2026, 4, 1),
    )
    ExitFactory(enrolment=enrolment, exit_on=dt.date(2026, 9, 1), situation=Situation.STUDYING)
    # Another unit's record of the same young person (the same identity number).
    other = PersonFactory(gender=Gender.MAN, id_number=person.id_number)
    participant(project, UnitFactory(), person=other, starts_on=dt.date(2026, 5, 1))
    result = counts(project)
    assert result["EECO01"] == cells(1, 0, 1)
    assert result["EECO04"] == cells(1, 0, 1)
    assert result["EECR01"] == cells(0)
    assert result["EECR02"] == cells(1, 0, 1)


def test_only_participants_who_started_in_the_period_count_as_outputs_and_who_left_in_it_as_results(project, unit):
    early = participant(project, unit, starts_on=dt.date(2025, 6, 1))
    ExitFactory(enrolment=early, exit_on=dt.date(2026, 2, 1), situation=Situation.WORKING)
    participant(project, unit, starts_on=dt.date(2027, 1, 5))
    other_project = EsfProjectFactory().project
    participant(other_project, unit)
    planned = participant(project, unit)
    planned.status = EnrolmentStatus.PLANNED
    planned.save()
    result = counts(project)
    assert result["EECO01"] == cells(0)
    assert result["EECR04"] == cells(1, 1)


def test_the_last_event_within_four_weeks_counts_and_job_seeking_excludes_work(project, unit):
    # Left job seeking, working at the 28-day follow-up: only EECR04.
    a = participant(project, unit)
    exit_a = ExitFactory(enrolment=a, exit_on=dt.date(2026, 6, 1), situation=Situation.JOB_SEEKING)
    FollowUpFactory(
        exit=exit_a,
        kind=FollowUpKind.WEEKS_4,
        due_on=dt.date(2026, 6, 29),
        status=FollowUpStatus.DONE,
        outcome=Situation.WORKING,
    )
    # Left working; the follow-up lies after 4 weeks: the exit situation counts.
    b = participant(project, unit, gender=Gender.MAN)
    exit_b = ExitFactory(enrolment=b, exit_on=dt.date(2026, 6, 1), situation=Situation.WORKING)
    FollowUpFactory(
        exit=exit_b,
        kind=FollowUpKind.WEEKS_4,
        due_on=dt.date(2026, 7, 10),
        status=FollowUpStatus.DONE,
        outcome=Situation.JOB_SEEKING,
    )
    # Left studying; the 28-day follow-up not reached and the 90-day one says qualified: studying.
    c = participant(project, unit, gender=Gender.NON_BINARY)
    exit_c = ExitFactory(enrolment=c, exit_on=dt.date(2026, 6, 1), situation=Situation.STUDYING)
    FollowUpFactory(
        exit=exit_c, kind=FollowUpKind.WEEKS_4, due_on=dt.date(2026, 6, 29), status=FollowUpStatus.NOT_REACHED
    )
    FollowUpFactory(exit=exit_c, kind=FollowUpKind.DAYS_90, status=FollowUpStatus.DONE, outcome=Situation.QUALIFIED)
    # Left with a qualification.
    d = participant(project, unit)
    ExitFactory(enrolment=d, exit_on=dt.date(2026, 6, 1), situation=Situation.QUALIFIED)
    result = counts(project)
    assert result["EECR01"] == cells(0)
    assert result["EECR04"] == cells(2, 1, 1)
    assert result["EECR02"] == cells(1, 0, 0, 1)
    assert result["EECR03"] == cells(1, 1)


def test_longer_term_results_come_from_the_six_month_follow_up_and_eecr06_only_for_the_employed_at_entry(project, unit):
    def left(gender, status, improved, outcome):
        enrolment = participant(project, unit, gender=gender, labour_status=status, improved_after_6_months=improved)
        exit_ = ExitFactory(enrolment=enrolment, exit_on=dt.date(2026, 3, 1), situation=Situation.JOB_SEEKING)
        FollowUpFactory(
            exit=exit_,
            kind=FollowUpKind.MONTHS_6,
            due_on=dt.date(2026, 9, 1),
            status=FollowUpStatus.DONE,
            outcome=outcome,
        )

    left(Gender.WOMAN, LabourStatus.EMPLOYED, Answer.YES, Situation.WORKING)  # EECR05 and EECR06
    left(Gender.MAN, LabourStatus.UNEMPLOYED, Answer.YES, Situation.WORKING)  # EECR05 only: not employed at entry
    left(Gender.MAN, LabourStatus.EMPLOYED, Answer.NO, Situation.WORKING)  # EECR05 only: not improved
    left(Gender.NON_BINARY, LabourStatus.EMPLOYED, Answer.YES, Situation.STUDYING)  # neither
    result = counts(project)
    assert result["EECR05"] == cells(3, 1, 2)
    assert result["EECR06"] == cells(1, 1)


def test_a_project_without_participants_counts_zero_everywhere(project):
    assert all(value == cells(0) for value in counts(project).values())
