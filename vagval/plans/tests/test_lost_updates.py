"""No lost updates on the plan, step and step-end forms: a stale save is refused and shows both versions."""

import pytest
from django.urls import reverse

from conftest import client_for
from vagval.accounts.tests.factories import UserFactory
from vagval.common.tests.edit_versions import shown_version
from vagval.plans.models import EndReason, PlanVersion


@pytest.fixture
def colleague(alice):
    return client_for(UserFactory(username="kollega", unit=alice.unit))


def _plan_form(version, goal):
    return {
        "version": version,
        "mal-TOTAL_FORMS": "1",
        "mal-INITIAL_FORMS": "0",
        "mal-0-text": goal,
        "mal-0-achieved_on": "",
        "deltagare-TOTAL_FORMS": "0",
        "deltagare-INITIAL_FORMS": "0",
    }


def test_a_stale_plan_save_shows_both_versions_and_keeps_the_first_change(alice_client, colleague, alices_plan):
    url = reverse("plans:plan_edit", args=[alices_plan.pk])
    first_version = shown_version(alice_client.get(url))
    second_version = shown_version(colleague.get(url))
    assert alice_client.post(url, _plan_form(first_version, "Jag vill bli snickare")).status_code == 302
    versions = PlanVersion.objects.filter(plan=alices_plan).count()

    second = colleague.post(url, _plan_form(second_version, "Jag vill bli kock"))

    assert second.status_code == 409
    page = second.content.decode()
    assert "Ändringen sparades inte" in page
    assert "Jag vill bli kock" in page
    assert "Jag vill bli snickare" in page
    assert [g.text for g in alices_plan.goals.all()] == ["Jag vill bli snickare"]
    assert PlanVersion.objects.filter(plan=alices_plan).count() == versions


def test_a_stale_step_save_shows_both_versions_and_keeps_the_first_change(
    alice_client, colleague, alices_plan, youth_step
):
    url = reverse("plans:step_edit", args=[alices_plan.pk, youth_step.pk])
    first_version = shown_version(alice_client.get(url))
    second_version = shown_version(colleague.get(url))
    body = {"responsible_kind": youth_step.responsible_kind, "starts_on": "2026-03-01"}
    first = alice_client.post(url, {**body, "content": "Söka fem jobb i veckan", "version": first_version})
    assert first.status_code == 302

    second = colleague.post(url, {**body, "content": "Söka ett jobb om dagen", "version": second_version})

    assert second.status_code == 409
    page = second.content.decode()
    assert "Söka ett jobb om dagen" in page
    assert "Söka fem jobb i veckan" in page
    youth_step.refresh_from_db()
    assert youth_step.content == "Söka fem jobb i veckan"


def test_ending_a_step_someone_changed_meanwhile_is_refused(alice_client, colleague, alices_plan, youth_step):
    edit_url = reverse("plans:step_edit", args=[alices_plan.pk, youth_step.pk])
    end_url = reverse("plans:step_end", args=[alices_plan.pk, youth_step.pk])
    end_version = shown_version(colleague.get(end_url))
    edit_version = shown_version(alice_client.get(edit_url))
    body = {"responsible_kind": youth_step.responsible_kind, "starts_on": "2026-03-01"}
    assert alice_client.post(edit_url, {**body, "content": "Ny plan", "version": edit_version}).status_code == 302

    second = colleague.post(
        end_url, {"ends_on": "2026-04-01", "end_reason": EndReason.COMPLETED, "end_note": "", "version": end_version}
    )

    assert second.status_code == 409
    assert "Ändringen sparades inte" in second.content.decode()
    youth_step.refresh_from_db()
    assert (youth_step.content, youth_step.ends_on) == ("Ny plan", None)
