"""The KAA register and the register extract: who sees them, what they hold, and the access log."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from conftest import client_for, ctx_for
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.assessments.models import Response
from vagval.audit.models import AccessLogEntry
from vagval.journal.models import Note
from vagval.kaa import services
from vagval.kaa.tests.conftest import occupation
from vagval.kaa.tests.test_measure_services import data
from vagval.outreach.models import OccupationCategory
from vagval.people.models import Protection
from vagval.people.tests.factories import PersonFactory
from vagval.plans.models import PlanGoal
from vagval.targetgroup.tests.factories import kaa_episode


def _register_urls(person):
    return [reverse("kaa:register"), reverse("kaa:extract", args=[person.pk])]


def test_anonymous_users_are_sent_to_login(kaa_person):
    for url in _register_urls(kaa_person):
        response = Client().get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_karin_sees_ludvikas_register_with_the_full_number_and_contact_details(karin_client, kaa_person):
    html = karin_client.get(reverse("kaa:register")).content.decode()
    number = kaa_person.id_number
    assert f"{number[:8]}-{number[8:]}" in html
    assert "Elsa" in html
    assert "Provgatan 1" in html
    assert "elsa@example.invalid" in html
    assert "070-000 00 00" in html


def test_the_register_logs_one_entry_per_person_shown(karin_client, kaa_person, ludvika_kaa_unit):
    other = PersonFactory()
    kaa_episode(other, ludvika_kaa_unit)
    karin_client.get(reverse("kaa:register"))
    logged = AccessLogEntry.objects.filter(action="kaa.register_viewed")
    assert sorted(e.person_id for e in logged) == sorted([kaa_person.pk, other.pk])


def test_sven_sees_his_own_register_but_not_ludvikas(sven_client, kaa_person):
    response = sven_client.get(reverse("kaa:register"))
    assert response.status_code == 200
    assert "Elsa" not in response.content.decode()
    assert sven_client.get(reverse("kaa:extract", args=[kaa_person.pk])).status_code == 404
    assert not AccessLogEntry.objects.filter(action="kaa.register_viewed").exists()


def test_users_who_are_not_kaa_ansvarig_are_refused(charlie_client, alice_client, bob_client, kaa_person, dana, erik):
    clients = [charlie_client, alice_client, bob_client, client_for(erik), verified_admin_client(dana)]
    for client in clients:
        for url in _register_urls(kaa_person):
            assert client.get(url).status_code == 403, url
    assert not AccessLogEntry.objects.filter(action="kaa.register_viewed").exists()


def test_the_register_is_read_only_for_writes(karin_client, kaa_person):
    for url in _register_urls(kaa_person):
        assert karin_client.post(url).status_code == 405


def test_persons_who_left_show_only_when_a_period_is_asked_for(karin_client, ludvika_kaa_unit, kaa_person):
    left = PersonFactory(first_name="Lämnad")
    kaa_episode(left, ludvika_kaa_unit, closed_on=dt.date(2026, 3, 10), close_code="studier")
    assert "Lämnad" not in karin_client.get(reverse("kaa:register")).content.decode()
    html = karin_client.get(reverse("kaa:register"), {"left_from": "2026-03-01", "left_to": "2026-03-31"}).content
    assert "Lämnad" in html.decode()
    assert "Elsa" in html.decode()
    html = karin_client.get(reverse("kaa:register"), {"left_from": "2026-04-01"}).content
    assert "Lämnad" not in html.decode()


def test_a_bad_period_is_a_form_error(karin_client, kaa_person):
    response = karin_client.get(reverse("kaa:register"), {"left_from": "2026-05-01", "left_to": "2026-04-01"})
    assert response.status_code == 400
    assert "Slutet av perioden kan inte vara före början." in response.content.decode()
    response = karin_client.get(reverse("kaa:register"), {"left_from": "inte ett datum", "sida": "x"})
    assert response.status_code == 400


def test_protected_persons_address_and_contact_are_hidden(karin_client, ludvika_kaa_unit):
    protected = PersonFactory(
        first_name="Ronja", protection=Protection.PROTECTED_REGISTRATION, address="Hemliga vägen 3", email="r@x.invalid"
    )
    kaa_episode(protected, ludvika_kaa_unit)
    for url in _register_urls(protected):
        html = karin_client.get(url).content.decode()
        assert "Ronja" in html
        assert "Hemliga vägen 3" not in html
        assert "r@x.invalid" not in html
        assert "070-000 00 00" not in html


def test_the_extract_shows_occupation_and_measures(karin, karin_client, kaa_person, ludvika_kaa_unit):
    occupation(kaa_person, ludvika_kaa_unit, karin, OccupationCategory.NONE, dt.date(2026, 1, 12))
    occupation(kaa_person, ludvika_kaa_unit, karin, OccupationCategory.WORK, dt.date(2026, 2, 1))
    occupation(
        kaa_person, ludvika_kaa_unit, karin, OccupationCategory.STUDIES_KOMVUX, dt.date(2026, 8, 17), planned=True
    )
    services.measure_create(ctx=ctx_for(karin), person=kaa_person, data=data())
    html = karin_client.get(reverse("kaa:extract", args=[kaa_person.pk])).content.decode()
    assert "Nuvarande: Arbete" in html
    assert "Tidigare: Ingen sysselsättning" in html
    assert "Planerad: Studier – Komvux" in html
    assert "Vägledning" in html
    assert "Studie- och yrkesvägledning om Komvux" in html
    entry = AccessLogEntry.objects.get(action="kaa.register_viewed")
    assert entry.person_id == kaa_person.pk
    assert entry.detail == {"view": "extract"}


@pytest.fixture
def sensitive_elsewhere(karin, kaa_person, project):
    """Sensitive data about the same person in other modules, written by karin's own unit."""
    from vagval.assessments.tests.helpers import record
    from vagval.journal import services as journal
    from vagval.people.tests.factories import EnrolmentFactory
    from vagval.plans.tests.factories import make_plan

    EnrolmentFactory(person=kaa_person, project=project, unit=karin.unit, coach=karin)
    journal.note_write(ctx=ctx_for(karin), person=kaa_person, data=journal.NoteData(text="HEMLIG-ANTECKNING om mående"))
    make_plan(kaa_person, by=karin, project=project, goals=("HEMLIGT-MÅL att sluta med droger",))
    record(
        kaa_person,
        karin,
        slug="halsokartlaggning",
        answers={"levnadsvanor__andra_vana": "HEMLIGT-SVAR om spel"},
    )
    return ["HEMLIG-ANTECKNING", "HEMLIGT-MÅL", "HEMLIGT-SVAR", "Hälsokartläggning", "VBU insatser"]


def test_sensitive_data_from_other_modules_never_appears_in_the_register(karin_client, kaa_person, sensitive_elsewhere):
    # The sensitive data really exists, about this person, at karin's own unit.
    assert Note.objects.filter(person=kaa_person, text__startswith="HEMLIG-ANTECKNING").exists()
    assert PlanGoal.objects.filter(plan__person=kaa_person, text__startswith="HEMLIGT-MÅL").exists()
    assert "HEMLIGT-SVAR om spel" in str(Response.objects.get(person=kaa_person).answers)
    for url in _register_urls(kaa_person):
        html = karin_client.get(url).content.decode()
        assert "Elsa" in html
        for secret in sensitive_elsewhere:
            assert secret not in html, (url, secret)


def test_no_identity_number_in_any_link_of_the_register(karin_client, kaa_person):
    html = karin_client.get(reverse("kaa:register")).content.decode()
    assert kaa_person.id_number not in html.replace(f"{kaa_person.id_number[:8]}-{kaa_person.id_number[8:]}", "")
    assert f'href="{reverse("kaa:extract", args=[kaa_person.pk])}"' in html
