"""The plan follows the person: studies start, KAA ends at 20; the new coach sees the history."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import client_for, ctx_for
from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.audit.models import AccessLogEntry
from vagval.common.errors import InvalidInput, PermissionDenied
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.tests.factories import EnrolmentFactory
from vagval.plans import selectors, services
from vagval.plans.models import EndReason, PlanChange


@pytest.fixture
def uvas(alice, alices_person):
    """The 20–29 project the person moves on to at the same unit, with a new coach."""
    project = ProjectFactory(name="UVAS Ludvika")
    greta = UserFactory(username="greta", first_name="Greta", unit=alice.unit, role=Role.COACH)
    EnrolmentFactory(person=alices_person, project=project, unit=alice.unit, coach=greta)
    return project


def test_continuing_carries_goals_and_open_steps_and_links_back(alice, alices_plan, youth_step, af_step, uvas):
    services.plan_step_end(
        ctx=ctx_for(alice), step=af_step, ends_on=dt.date(2026, 3, 1), end_reason=EndReason.COMPLETED
    )
    new = services.plan_continue_in_project(ctx=ctx_for(alice), plan=alices_plan, project=uvas)
    assert new.previous == alices_plan
    assert new.project == uvas
    assert [g.text for g in new.goals.all()] == ["Jag vill ha ett jobb", "Jag vill ta körkort"]
    assert [s.content for s in new.steps.all()] == ["Söka tre jobb i veckan"]
    assert new.overall_responsibility_id == alices_plan.overall_responsibility_id
    assert new.versions.get().change == PlanChange.CONTINUED_FROM
    latest_old = alices_plan.versions.order_by("-number").first()
    assert latest_old.change == PlanChange.CONTINUED_IN
    assert latest_old.snapshot["continued_in"]["project_name"] == "UVAS Ludvika"
    # The previous plan is kept as it was.
    assert alices_plan.steps.count() == 2
    entry = AccessLogEntry.objects.get(action="plan.continued")
    assert entry.detail["previous_plan"] == str(alices_plan.pk)


def test_the_previous_plan_can_no_longer_be_changed(alice, alices_plan, youth_step, uvas):
    services.plan_continue_in_project(ctx=ctx_for(alice), plan=alices_plan, project=uvas)
    with pytest.raises(PermissionDenied):
        services.plan_update(ctx=ctx_for(alice), plan=alices_plan, data=services.PlanData())
    with pytest.raises(PermissionDenied):
        services.plan_step_end(
            ctx=ctx_for(alice), step=youth_step, ends_on=dt.date(2026, 3, 1), end_reason=EndReason.COMPLETED
        )
    with pytest.raises(InvalidInput, match="fortsätter redan"):
        services.plan_continue_in_project(ctx=ctx_for(alice), plan=alices_plan, project=uvas)


def test_the_new_coach_sees_the_plan_and_its_history(alice, alices_plan, uvas):
    new = services.plan_continue_in_project(ctx=ctx_for(alice), plan=alices_plan, project=uvas)
    greta = alice.unit.users.get(username="greta")
    view = selectors.plan_get(viewer=greta, ctx=ctx_for(greta), plan_id=new.pk)
    assert [(link.plan_id, link.visible) for link in view.earlier] == [(alices_plan.pk, True)]
    body = client_for(greta).get(reverse("plans:detail", args=[new.pk])).content.decode()
    assert reverse("plans:detail", args=[alices_plan.pk]) in body
    assert "Tidigare plan i VBU insatser för ungdomar" in body
    old_body = client_for(greta).get(reverse("plans:detail", args=[alices_plan.pk])).content.decode()
    assert "Planen fortsätter i UVAS Ludvika" in old_body
    assert reverse("plans:plan_edit", args=[alices_plan.pk]) not in old_body


def test_continuing_needs_an_enrolment_in_the_new_project(alice, alices_plan):
    elsewhere = ProjectFactory(name="Inte inskriven här")
    with pytest.raises(InvalidInput) as err:
        services.plan_continue_in_project(ctx=ctx_for(alice), plan=alices_plan, project=elsewhere)
    assert "project_id" in err.value.field_errors
    with pytest.raises(InvalidInput):
        services.plan_continue_in_project(ctx=ctx_for(alice), plan=alices_plan, project=alices_plan.project)


def test_the_continue_page_continues_the_plan(alice_client, alices_plan, uvas):
    url = reverse("plans:plan_continue", args=[alices_plan.pk])
    assert "UVAS Ludvika" in alice_client.get(url).content.decode()
    response = alice_client.post(url, {"project": str(uvas.pk)})
    assert response.status_code == 302
    new = alices_plan.continued_by
    assert response["Location"] == reverse("plans:detail", args=[new.pk])
    listing = alice_client.get(reverse("plans:person_plans", args=[alices_plan.person_id])).content.decode()
    assert "Fortsätter i UVAS Ludvika" in listing
