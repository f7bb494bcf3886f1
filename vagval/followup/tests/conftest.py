"""A young person at Ludvika with everything an exit closes: a placement, a plan with steps (one
Arbetsförmedlingen's), a consent opening the plan to frida and an unanswered referral to her unit."""

import datetime as dt

import pytest

from conftest import ctx_for
from vagval.catalogue.tests.factories import PlacementFactory
from vagval.consent.models import ConsentCategory
from vagval.consent.tests.factories import share
from vagval.followup import services
from vagval.people.models import Enrolment
from vagval.plans.tests.factories import add_step, make_plan
from vagval.referrals import services as referral_services

EXIT_ON = dt.date(2026, 6, 30)


@pytest.fixture
def enrolment(alices_person):
    return Enrolment.objects.get(person=alices_person)


@pytest.fixture
def consent(alice, alices_person, af_unit):
    return share(
        alices_person,
        documented_by=alice,
        to_unit=af_unit,
        categories=[ConsentCategory.IDENTITY, ConsentCategory.PLAN],
    )


@pytest.fixture
def plan(alice, alices_person, project):
    return make_plan(alices_person, by=alice, project=project)


@pytest.fixture
def steps(alice, plan, af_unit):
    return [add_step(plan, by=alice, content="Söka jobb"), add_step(plan, by=alice, content="Kurs", unit=af_unit)]


@pytest.fixture
def placement(enrolment):
    return PlacementFactory(enrolment=enrolment)


@pytest.fixture
def referral(alice, alices_person, af_unit, consent):
    return referral_services.referral_send(
        ctx=ctx_for(alice),
        person=alices_person,
        data=referral_services.ReferralData(to_unit_id=af_unit.pk, reason="Stöd", requested_measure="Praktik"),
    )


@pytest.fixture
def everything(placement, steps, referral):
    return placement, steps, referral


def exit_data(**overrides):
    values = dict(exit_on=EXIT_ON, reason="malet_natt", situation="i_arbete", source="ungdomen")
    values.update(overrides)
    return services.ExitData(**values)


@pytest.fixture
def exited(alice, enrolment):
    return services.enrolment_exit(ctx=ctx_for(alice), enrolment=enrolment, data=exit_data())
