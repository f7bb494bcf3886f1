"""A small world for the to-do list: alice's person with one item of every kind at Ludvika, a
referral and a plan step for frida's unit (Arbetsförmedlingen), and charlie's person at
Smedjebacken with a follow-up of its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from vagval.assessments.tests.helpers import record
from vagval.catalogue.models import Placement, PlacementStatus
from vagval.catalogue.tests.factories import PlacementFactory
from vagval.consent.models import ConsentCategory
from vagval.consent.tests.factories import share
from vagval.followup.models import FollowUp
from vagval.followup.tests.factories import ExitFactory, FollowUpFactory
from vagval.people.models import Enrolment, Person
from vagval.plans.models import PlanStep
from vagval.plans.tests.factories import add_step, make_plan
from vagval.referrals.models import Referral
from vagval.referrals.tests.factories import ReferralFactory

TODAY = dt.date(2026, 3, 5)


@pytest.fixture(autouse=True)
def _fresh_counts():
    """The menu's counts are cached per user id; ids are reused between tests."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    person: Person
    follow_up: FollowUp
    step: PlanStep
    partner_step: PlanStep
    referral: Referral
    placement: Placement
    other_follow_up: FollowUp
    supervised: Placement  # under way, its supervisor assessment due in four days


@pytest.fixture
def world(alice, charlie, alices_person, charlies_person, project, af_unit) -> World:
    enrolment = Enrolment.objects.get(person=alices_person, unit=alice.unit)
    follow_up = FollowUpFactory(
        exit=ExitFactory(enrolment=enrolment, recorded_by=alice), due_on=TODAY - dt.timedelta(days=2)
    )
    consent = share(
        alices_person,
        documented_by=alice,
        to_unit=af_unit,
        categories=[ConsentCategory.IDENTITY, ConsentCategory.PLAN],
        valid_to=TODAY + dt.timedelta(days=10),
    )
    plan = make_plan(alices_person, by=alice, project=project)
    step = add_step(plan, by=alice, content="Besöka Komvux", follow_up_on=TODAY + dt.timedelta(days=3))
    partner_step = add_step(
        plan, by=alice, content="Träffa arbetsförmedlare", unit=af_unit, follow_up_on=TODAY + dt.timedelta(days=5)
    )
    referral = ReferralFactory(person=alices_person, from_user=alice, to_unit=af_unit, consent=consent)
    placement = PlacementFactory(enrolment=enrolment, starts_on=TODAY + dt.timedelta(days=7))
    supervised = PlacementFactory(
        enrolment=enrolment,
        status=PlacementStatus.STARTED,
        starts_on=TODAY - dt.timedelta(days=24),
        assessment_next_due_on=TODAY + dt.timedelta(days=4),
    )
    record(alices_person, alice, on=dt.date(2025, 12, 10))  # Vägen framåt: again after 3 months
    other_enrolment = Enrolment.objects.get(person=charlies_person, unit=charlie.unit)
    other = FollowUpFactory(exit=ExitFactory(enrolment=other_enrolment, recorded_by=charlie), due_on=TODAY)
    return World(alices_person, follow_up, step, partner_step, referral, placement, other, supervised)


def set_today(monkeypatch, day: dt.date) -> dt.date:
    """Make today's date `day` for the code under test (the access check decides on today)."""
    from django.utils import timezone

    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return day if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return day


@pytest.fixture
def on_today(monkeypatch):
    """Pages use today's date: make it TODAY (dates given explicitly are converted as usual)."""
    return set_today(monkeypatch, TODAY)
