"""Who may use the outreach pages: the KAA-ansvarig and coaches for their own unit's persons, nobody else."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from conftest import client_for
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.consent.tests.factories import share
from vagval.outreach.models import ContactAttempt, Occupation
from vagval.outreach.tests.factories import on_list, young_person

PERSON_PAGES = ["outreach:contact_create", "outreach:occupation_create", "outreach:letter"]
VALID_POST = {
    "outreach:contact_create": {"channel": "telefon", "outcome": "nadd", "made_at": "2026-03-03T10:00"},
    "outreach:occupation_create": {"category": "arbete", "from_date": "2026-03-01", "source": "ungdomen"},
    "outreach:letter": {},
}
# What a valid POST answers and what it writes: the contact and occupation forms go back to the
# person page; the letter is the PDF itself, recorded as a contact attempt by letter.
WRITTEN = {
    "outreach:contact_create": (302, ContactAttempt),
    "outreach:occupation_create": (302, Occupation),
    "outreach:letter": (200, ContactAttempt),
}


@pytest.fixture
def karins_episode(ludvika_kaa_unit):
    return on_list(ludvika_kaa_unit, young_person(first_name="Karinsung"), opened_on=dt.date(2026, 3, 2))


@pytest.fixture
def alices_episode(alice):
    return on_list(alice.unit, young_person(first_name="Alicesung"), opened_on=dt.date(2026, 3, 2))


def _client(request, persona):
    """A logged-in client; the administrator has passed two-factor, so the page itself answers."""
    user = request.getfixturevalue(persona)
    return verified_admin_client(user) if persona == "dana" else client_for(user)


def _worklist_names(client):
    response = client.get(reverse("outreach:worklist"))
    assert response.status_code == 200
    return [row.person.first_name for row in response.context["worklist"].rows]


def test_karin_and_alice_see_their_own_units_worklist_only(karin_client, alice_client, karins_episode, alices_episode):
    assert _worklist_names(karin_client) == ["Karinsung"]
    assert _worklist_names(alice_client) == ["Alicesung"]


def test_a_read_only_colleague_sees_the_worklist(bob_client, alices_episode):
    assert _worklist_names(bob_client) == ["Alicesung"]


@pytest.mark.parametrize("persona", ["charlie", "sven"])
def test_another_municipality_sees_none_of_ludvikas_persons(request, persona, karins_episode, alices_episode):
    assert _worklist_names(_client(request, persona)) == []


@pytest.mark.parametrize("persona", ["dana", "erik"])
@pytest.mark.parametrize("name", ["outreach:worklist", "outreach:followup"])
def test_administrators_and_evaluators_get_403_on_the_unit_pages(request, persona, name, karins_episode):
    response = _client(request, persona).get(reverse(name))
    assert response.status_code == 403
    assert "Karinsung" not in response.content.decode()


@pytest.mark.parametrize("name", ["outreach:worklist", "outreach:followup", *PERSON_PAGES])
def test_anonymous_users_are_sent_to_the_login_page(name, karins_episode):
    args = [] if name in {"outreach:worklist", "outreach:followup"} else [karins_episode.person_id]
    response = Client().get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", PERSON_PAGES)
def test_karin_opens_and_uses_every_person_page_for_her_person(karin_client, karins_episode, name):
    url = reverse(name, args=[karins_episode.person_id])
    assert karin_client.get(url).status_code == 200
    response = karin_client.post(url, VALID_POST[name])
    assert response.status_code in {200, 302}
    status, model = WRITTEN[name]
    assert response.status_code == status
    assert model.objects.filter(person_id=karins_episode.person_id).count() == 1


@pytest.mark.parametrize("name", PERSON_PAGES)
def test_alice_uses_the_person_pages_for_her_enrolled_person(alice_client, alices_person, name):
    url = reverse(name, args=[alices_person.pk])
    assert alice_client.get(url).status_code == 200
    response = alice_client.post(url, VALID_POST[name])
    assert response.status_code in {200, 302}
    status, model = WRITTEN[name]
    assert response.status_code == status
    assert model.objects.filter(person_id=alices_person.pk).count() == 1


@pytest.mark.parametrize("persona", ["alice", "charlie", "sven", "dana", "erik"])
@pytest.mark.parametrize("name", PERSON_PAGES)
def test_everyone_else_gets_404_for_karins_person_and_nothing_is_written(request, persona, name, karins_episode):
    client = _client(request, persona)
    url = reverse(name, args=[karins_episode.person_id])
    assert client.get(url).status_code == 404
    response = client.post(url, VALID_POST[name])
    assert response.status_code == 404
    assert "Karinsung" not in response.content.decode()
    assert not ContactAttempt.objects.exists()
    assert not Occupation.objects.exists()


@pytest.mark.parametrize("name", PERSON_PAGES)
def test_a_read_only_colleague_cannot_write(bob_client, alices_person, name):
    url = reverse(name, args=[alices_person.pk])
    assert bob_client.get(url).status_code == 403
    assert bob_client.post(url, VALID_POST[name]).status_code == 403
    assert not ContactAttempt.objects.exists()
    assert not Occupation.objects.exists()


@pytest.mark.parametrize("name", PERSON_PAGES)
def test_a_partner_who_sees_the_person_under_consent_gets_no_outreach(
    alice, charlie_client, charlie, alices_person, name
):
    share(alices_person, documented_by=alice, to_unit=charlie.unit)
    assert charlie_client.get(reverse("people:detail", args=[alices_person.pk])).status_code == 200
    assert charlie_client.get(reverse(name, args=[alices_person.pk])).status_code == 404


def test_the_person_section_shows_outreach_to_the_unit_and_write_links_only_to_writers(
    bob_client, alice_client, alices_person
):
    contact_url = reverse("outreach:contact_create", args=[alices_person.pk])
    alice_page = alice_client.get(reverse("people:detail", args=[alices_person.pk])).content.decode()
    bob_page = bob_client.get(reverse("people:detail", args=[alices_person.pk])).content.decode()
    assert "Uppsökande" in alice_page
    assert contact_url in alice_page
    assert "Uppsökande" in bob_page
    assert contact_url not in bob_page
    # "Uppsökande" is also the menu link both coaches have: the section itself is shown to both.
    assert 'id="outreach-heading"' in alice_page
    assert 'id="outreach-heading"' in bob_page


def test_the_person_section_is_empty_for_a_partner_under_consent(alice, charlie, charlie_client, alices_person):
    share(alices_person, documented_by=alice, to_unit=charlie.unit)
    page = charlie_client.get(reverse("people:detail", args=[alices_person.pk])).content.decode()
    assert 'id="outreach-heading"' not in page
