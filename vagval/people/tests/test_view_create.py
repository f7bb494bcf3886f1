"""Registering a person and their first enrolment, with Swedish field errors."""

import datetime as dt

from django.urls import reverse

from vagval.audit.models import AccessLogEntry
from vagval.people.models import Enrolment, Person
from vagval.people.tests.factories import make_personnummer, make_samordningsnummer

URL = reverse("people:create")
NUMBER = make_personnummer(dt.date(2006, 5, 1), 123)


def _form(project, **overrides):
    data = {
        "id_type": "personnummer",
        "id_number": f"{NUMBER[:8]}-{NUMBER[8:]}",
        "first_name": "Nora",
        "last_name": "Exempel",
        "gender": "kvinna",
        "protection": "none",
        "home_municipality": "2085",
        "project": str(project.pk),
        "starts_on": "2026-02-01",
        "status": "pagaende",
    }
    data.update(overrides)
    return data


def test_the_form_offers_me_as_coach_and_the_stated_genders(alice, alice_client, project):
    page = alice_client.get(URL).content.decode()
    assert f'<option value="{alice.pk}" selected>' in page
    for label in ("Kvinna", "Man", "Icke-binär", "Annat", "Vill inte svara"):
        assert label in page
    assert "<h1>Registrera ny person</h1>" in page


def test_it_registers_the_person_enrolled_at_my_unit_and_shows_the_person(alice, alice_client, project):
    response = alice_client.post(URL, _form(project, coach=str(alice.pk)))
    person = Person.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("people:detail", args=[person.pk])
    assert person.id_number == NUMBER
    assert person.home_municipality_id == "2085"
    enrolment = person.enrolments.get()
    assert (enrolment.unit, enrolment.coach, enrolment.project) == (alice.unit, alice, project)
    assert "registrerad" in alice_client.get(response.url).content.decode()


def test_a_wrong_check_digit_gives_a_swedish_field_error_and_creates_nothing(alice_client, project):
    bad = NUMBER[:-1] + str((int(NUMBER[-1]) + 1) % 10)
    response = alice_client.post(URL, _form(project, id_number=bad))
    assert response.status_code == 200
    page = response.content.decode()
    assert "kontrollsiffran stämmer inte" in page
    assert 'id="id_id_number_error"' in page
    assert Person.objects.count() == 0
    assert not AccessLogEntry.objects.exists()


def test_a_number_another_unit_holds_registers_a_record_of_alices_own(alice, alice_client, project, charlies_person):
    response = alice_client.post(URL, _form(project, id_number=charlies_person.id_number, first_name="Annat"))
    assert response.status_code == 302
    person = Person.objects.exclude(pk=charlies_person.pk).get()
    assert response.url == reverse("people:detail", args=[person.pk])
    assert not Enrolment.objects.filter(person=charlies_person, unit=alice.unit).exists()
    page = alice_client.get(response.url).content.decode()
    assert "Personen är registrerad" in page
    assert "Ville" not in page
    assert "Annat" in page


def test_a_person_without_number_needs_a_birth_date(alice_client, project):
    response = alice_client.post(URL, _form(project, id_type="none", id_number=""))
    assert "Ange födelsedatum när personen saknar nummer." in response.content.decode()
    response = alice_client.post(URL, _form(project, id_type="none", id_number="", birth_date="2007-08-09"))
    assert response.status_code == 302
    assert Person.objects.get().id_number is None


def test_a_samordningsnummer_must_be_registered_as_one(alice_client, project):
    number = make_samordningsnummer(dt.date(2004, 2, 3), 45)
    response = alice_client.post(URL, _form(project, id_number=number))
    assert "Numret är ett samordningsnummer." in response.content.decode()
    response = alice_client.post(URL, _form(project, id_type="samordningsnummer", id_number=number))
    assert response.status_code == 302


def test_a_new_enrolment_cannot_be_registered_as_ended(alice_client, project):
    # Ending is the exit (followup), which a new person has not had.
    response = alice_client.post(URL, _form(project, status="avslutad", ends_on="2026-06-30"))
    assert 'id="id_status_error"' in response.content.decode()
    assert Person.objects.count() == 0


def test_missing_names_are_field_errors(alice_client, project):
    response = alice_client.post(URL, _form(project, first_name="", last_name=""))
    page = response.content.decode()
    assert 'id="id_first_name_error"' in page
    assert 'id="id_last_name_error"' in page
