"""The notes pages for every persona: who gets the page, a 404 or a 403."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import client_for, ctx_for
from vagval.consent import services as consent_services
from vagval.consent.models import ConsentCategory
from vagval.consent.tests.factories import share
from vagval.journal import services
from vagval.journal.models import Note, NoteVisibility


@pytest.fixture
def notes(alice, alices_person):
    own = services.note_write(ctx=ctx_for(alice), person=alices_person, data=services.NoteData(text="Bara enheten"))
    shared = services.note_write(
        ctx=ctx_for(alice),
        person=alices_person,
        data=services.NoteData(text="Delas med AF", visibility=NoteVisibility.SHARED),
    )
    return own, shared


def _list_url(person):
    return reverse("journal:person_notes", args=[person.pk])


def _correct_url(note):
    return reverse("journal:note_correct", args=[note.pk])


def _assert_csp_clean(response):
    html = response.content.decode()
    assert "style=" not in html
    assert "onclick" not in html.lower()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_anonymous_users_are_sent_to_login(alices_person, notes):
    for url in (_list_url(alices_person), _correct_url(notes[0])):
        response = Client().get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_alice_reads_and_writes(alice_client, alices_person, notes):
    response = alice_client.get(_list_url(alices_person))
    assert response.status_code == 200
    _assert_csp_clean(response)
    html = response.content.decode()
    assert "Bara enheten" in html
    assert "Delas med AF" in html
    assert "I KAA får du inte skriva känsliga uppgifter" in html
    posted = alice_client.post(
        _list_url(alices_person), {"text": "Ny anteckning", "context": "allmant", "visibility": "egen_enhet"}
    )
    assert posted.status_code == 302
    assert Note.objects.filter(text="Ny anteckning").exists()


def test_the_form_refuses_a_sensitive_note_in_kaa(alice_client, alices_person):
    response = alice_client.post(
        _list_url(alices_person),
        {"text": "Mår dåligt", "context": "kaa", "sensitive": "on", "visibility": "egen_enhet"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_sensitive_error"' in html
    assert "får inte dokumenteras i KAA" in html
    assert not Note.objects.exists()


def test_alice_corrects_a_note_and_both_versions_show(alice_client, alices_person, notes):
    own, _shared = notes
    page = alice_client.get(_correct_url(own))
    assert page.status_code == 200
    _assert_csp_clean(page)
    response = alice_client.post(
        _correct_url(own), {"text": "Bara enheten, rättad", "context": "allmant", "visibility": "egen_enhet"}
    )
    assert response.status_code == 302
    html = alice_client.get(_list_url(alices_person)).content.decode()
    assert "Bara enheten, rättad" in html
    assert "Har rättats." in html
    assert "Bara enheten<" in html


def test_charlie_gets_404_on_both_pages(charlie_client, alices_person, notes):
    assert charlie_client.get(_list_url(alices_person)).status_code == 404
    assert charlie_client.post(_list_url(alices_person), {"text": "x"}).status_code == 404
    assert charlie_client.get(_correct_url(notes[0])).status_code == 404


def test_bob_reads_but_cannot_write_or_correct(bob_client, alices_person, notes):
    response = bob_client.get(_list_url(alices_person))
    assert response.status_code == 200
    assert 'name="text"' not in response.content.decode()
    posted = bob_client.post(_list_url(alices_person), {"text": "x", "context": "allmant", "visibility": "egen_enhet"})
    assert posted.status_code == 403
    assert bob_client.get(_correct_url(notes[0])).status_code == 403
    assert Note.objects.count() == 2


def test_a_partner_without_consent_gets_404(harald, alices_person, notes):
    client = client_for(harald)
    assert client.get(_list_url(alices_person)).status_code == 404
    assert client.get(_correct_url(notes[1])).status_code == 404


def test_a_partner_with_a_consent_for_other_categories_gets_404(alice, frida, frida_client, alices_person, notes):
    share(
        alices_person,
        documented_by=alice,
        to_unit=frida.unit,
        categories=[c for c in ConsentCategory.values if c != ConsentCategory.NOTES],
    )
    response = frida_client.get(_list_url(alices_person))
    assert response.status_code == 404
    assert "Delas med AF" not in response.content.decode()


def test_a_partner_under_a_notes_consent_sees_shared_notes_only_and_cannot_write(
    alice, frida, frida_client, alices_person, notes
):
    share(alices_person, documented_by=alice, to_unit=frida.unit, categories=[ConsentCategory.NOTES])
    response = frida_client.get(_list_url(alices_person))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Delas med AF" in html
    assert "Bara enheten" not in html
    assert 'name="text"' not in html
    posted = frida_client.post(
        _list_url(alices_person), {"text": "x", "context": "allmant", "visibility": "egen_enhet"}
    )
    assert posted.status_code == 403
    assert frida_client.get(_correct_url(notes[1])).status_code == 404


def test_consent_withdrawal_takes_effect_on_the_partners_next_request(alice, frida, frida_client, alices_person, notes):
    consent = share(alices_person, documented_by=alice, to_unit=frida.unit, categories=[ConsentCategory.NOTES])
    assert frida_client.get(_list_url(alices_person)).status_code == 200
    consent_services.consent_withdraw(ctx=ctx_for(alice), consent=consent)
    assert frida_client.get(_list_url(alices_person)).status_code == 404
