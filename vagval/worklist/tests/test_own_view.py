"""The young person's own view: created and revoked from the plan, opened without an account, logged."""

from __future__ import annotations

import re

import pytest

from conftest import client_for
from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.worklist.models import OwnViewLink


def _create(client, plan):
    response = client.post(f"/att-gora/egen-vy/plan/{plan.pk}/")
    assert response.status_code == 200
    url = re.search(r'value="(http[^"]+/att-gora/min-plan/[^"]+/)"', response.content.decode()).group(1)
    return url.split("testserver", 1)[1]


def test_the_coach_creates_a_link_that_shows_the_plan_in_plain_swedish(alice, world, client, on_today):
    path = _create(client_for(alice), world.step.plan)

    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Hej Moa! Här är din plan" in html
    assert "Jag vill börja plugga igen" in html  # the goal
    assert "Besöka Komvux" in html
    assert "Träffa arbetsförmedlare" in html
    assert "Vi hör av oss" in html  # the coming follow-up
    assert "Provsson" not in html  # the first name is enough
    assert response["Cache-Control"] == "no-store"
    assert 'name="viewport"' in html


def test_opening_is_logged_with_the_basis_own_link(alice, world, client):
    path = _create(client_for(alice), world.step.plan)

    client.get(path)

    entry = AccessLogEntry.objects.get(action="worklist.own_view_opened")
    assert entry.person_id == world.person.pk
    assert entry.basis == AccessBasis.SELF
    assert AccessLogEntry.objects.filter(action="worklist.own_view_created", person_id=world.person.pk).exists()
    assert OwnViewLink.objects.get().last_opened_at is not None


def test_a_revoked_link_shows_nothing_and_the_refusal_is_logged(alice, world, client):
    path = _create(client_for(alice), world.step.plan)
    link = OwnViewLink.objects.get()

    response = client_for(alice).post(f"/att-gora/egen-vy/{link.pk}/aterkalla/")
    assert response.status_code == 302

    refused = client.get(path)
    assert refused.status_code == 410
    assert "Besöka Komvux" not in refused.content.decode()
    assert AccessLogEntry.objects.filter(action="worklist.own_view_revoked", person_id=world.person.pk).exists()
    assert AccessLogEntry.objects.get(action="worklist.own_view_opened").detail["refused"] == "revoked"


def test_an_unknown_token_is_404_and_logs_nothing(client, db):
    assert client.get("/att-gora/min-plan/finns-inte/").status_code == 404
    assert not AccessLogEntry.objects.filter(action="worklist.own_view_opened").exists()


def test_read_only_users_see_the_links_but_cannot_create_or_revoke(alice, bob, world):
    _create(client_for(alice), world.step.plan)
    link = OwnViewLink.objects.get()

    assert client_for(bob).get(f"/att-gora/egen-vy/plan/{world.step.plan_id}/").status_code == 200
    assert client_for(bob).post(f"/att-gora/egen-vy/plan/{world.step.plan_id}/").status_code == 403
    assert client_for(bob).post(f"/att-gora/egen-vy/{link.pk}/aterkalla/").status_code == 403
    assert OwnViewLink.objects.count() == 1
    assert OwnViewLink.objects.get().revoked_at is None


@pytest.mark.parametrize("persona", ["charlie", "frida"])
def test_another_unit_and_a_partner_under_consent_get_404(alice, world, persona, request, on_today):
    _create(client_for(alice), world.step.plan)
    link = OwnViewLink.objects.get()
    user = request.getfixturevalue(persona)

    assert client_for(user).get(f"/att-gora/egen-vy/plan/{world.step.plan_id}/").status_code == 404
    assert client_for(user).post(f"/att-gora/egen-vy/plan/{world.step.plan_id}/").status_code == 404
    assert client_for(user).post(f"/att-gora/egen-vy/{link.pk}/aterkalla/").status_code == 404


def test_the_plan_page_links_to_the_own_view_for_the_own_unit_only(alice, frida, world, on_today):
    url = f"/plan/{world.step.plan_id}/"
    assert "/att-gora/egen-vy/plan/" in client_for(alice).get(url).content.decode()
    assert "/att-gora/egen-vy/plan/" not in client_for(frida).get(url).content.decode()
