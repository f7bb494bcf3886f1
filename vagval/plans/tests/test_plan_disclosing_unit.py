"""A consent lifts only the secrecy of the unit that documented it."""

import pytest

from conftest import ctx_for
from vagval.common.errors import NotFound
from vagval.consent.models import ConsentCategory
from vagval.consent.tests.factories import share
from vagval.people.tests.factories import EnrolmentFactory
from vagval.plans import selectors


def test_a_consent_documented_by_another_unit_does_not_open_this_plan(
    alices_plan, alices_person, charlie, frida, af_unit, project
):
    EnrolmentFactory(person=alices_person, project=project, unit=charlie.unit, coach=charlie)
    share(alices_person, documented_by=charlie, to_unit=af_unit, categories=[ConsentCategory.PLAN])
    assert selectors.plan_access(viewer=frida, plan=alices_plan) is None
    with pytest.raises(NotFound):
        selectors.person_plans(viewer=frida, ctx=ctx_for(frida), person_id=alices_person.pk)


def test_the_plans_own_unit_documenting_the_consent_opens_it(alices_plan, alices_person, alice, frida, af_unit):
    consent = share(alices_person, documented_by=alice, to_unit=af_unit, categories=[ConsentCategory.PLAN])
    assert selectors.plan_access(viewer=frida, plan=alices_plan).consent_id == consent.pk
