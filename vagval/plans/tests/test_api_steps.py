"""The plan steps API for partner systems: a partner reads a plan that a consent opens to them and
keeps the steps their own unit is responsible for up to date, with each step's ETag."""

from __future__ import annotations

import datetime as dt

import pytest

from vagval.api.tests.helpers import api_client_for, call
from vagval.audit.models import AccessLogEntry
from vagval.consent.tests.factories import share
from vagval.plans.models import PlanStep
from vagval.plans.tests.factories import add_step, make_plan


@pytest.fixture
def plan(alice, alices_person, project, af_unit):
    share(alices_person, documented_by=alice, to_unit=af_unit)
    plan = make_plan(alices_person, by=alice, project=project)
    add_step(plan, by=alice, content="Besöka Komvux", unit=alice.unit)
    add_step(plan, by=alice, content="Inskrivning hos Arbetsförmedlingen", unit=af_unit)
    return plan


def _steps(client, plan) -> dict[str, dict]:
    response = call(client, "GET", f"/plans/{plan.pk}/steps")
    assert response.status_code == 200
    return {s["content"]: s for s in response.json()}


def _body(step: dict, **changes) -> dict:
    keys = ("content", "responsible_kind", "responsible_unit_id", "starts_on", "follow_up_on")
    return {**{k: step[k] for k in keys}, **changes}


def test_a_partner_sees_every_step_and_may_change_only_their_own(frida, plan):
    steps = _steps(api_client_for(frida), plan)
    assert steps["Besöka Komvux"]["may_change"] is False
    assert steps["Inskrivning hos Arbetsförmedlingen"]["may_change"] is True
    assert AccessLogEntry.objects.filter(action="plan.viewed", user=frida).count() == 1


def test_a_partner_updates_their_own_step_with_its_etag(frida, plan):
    client = api_client_for(frida)
    own = _steps(client, plan)["Inskrivning hos Arbetsförmedlingen"]
    body = _body(own, follow_up_on="2026-12-20")
    response = call(client, "PUT", f"/plans/{plan.pk}/steps/{own['id']}", body, if_match=own["etag"])
    assert response.status_code == 200, response.json()
    assert response.json()["follow_up_on"] == "2026-12-20"
    assert PlanStep.objects.get(pk=own["id"]).follow_up_on == dt.date(2026, 12, 20)
    assert AccessLogEntry.objects.filter(action="plan_step.changed", user=frida).count() == 1


def test_a_partner_may_not_change_the_coordinators_step_or_hand_their_own_on(frida, alice, plan):
    client = api_client_for(frida)
    steps = _steps(client, plan)
    other = steps["Besöka Komvux"]
    assert (
        call(client, "PUT", f"/plans/{plan.pk}/steps/{other['id']}", _body(other), if_match=other["etag"]).status_code
        == 403
    )
    own = steps["Inskrivning hos Arbetsförmedlingen"]
    handed_on = _body(own, responsible_unit_id=str(alice.unit_id))
    assert (
        call(client, "PUT", f"/plans/{plan.pk}/steps/{own['id']}", handed_on, if_match=own["etag"]).status_code == 403
    )


def test_a_stale_etag_is_412_and_a_missing_one_428(frida, alice, plan):
    client = api_client_for(frida)
    own = _steps(client, plan)["Inskrivning hos Arbetsförmedlingen"]
    assert call(client, "PUT", f"/plans/{plan.pk}/steps/{own['id']}", _body(own)).status_code == 428
    alices = _steps(api_client_for(alice), plan)["Inskrivning hos Arbetsförmedlingen"]
    call(
        api_client_for(alice),
        "PUT",
        f"/plans/{plan.pk}/steps/{own['id']}",
        _body(alices, content="Ny text"),
        if_match=alices["etag"],
    )
    stale = call(
        client, "PUT", f"/plans/{plan.pk}/steps/{own['id']}", _body(own, content="Min text"), if_match=own["etag"]
    )
    assert stale.status_code == 412
    assert PlanStep.objects.get(pk=own["id"]).content == "Ny text"


def test_without_a_consent_the_partner_learns_nothing_of_the_plan(fk_unit, plan):
    from vagval.accounts.models import Role
    from vagval.accounts.tests.factories import UserFactory

    gustav = UserFactory(username="gustav", unit=fk_unit, role=Role.PARTNER)
    assert call(api_client_for(gustav), "GET", f"/plans/{plan.pk}/steps").status_code == 404
