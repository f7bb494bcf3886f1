"""Changing a person's details: prefilled form, change logged, hidden contact details untouched."""

import pytest
from django.urls import reverse

from conftest import client_for
from vagval.accounts.tests.factories import UserFactory
from vagval.audit.models import AccessLogEntry
from vagval.people.models import Protection
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory
from vagval.people.tests.versions import person_form_data, person_form_version


def _url(person):
    return reverse("people:edit", args=[person.pk])


def _form(person, viewer=None, **overrides):
    version = person_form_version(viewer or person.enrolments.first().coach, person)
    return person_form_data(person, version, **overrides)


def test_the_form_is_prefilled_with_the_formatted_number(alice_client, alices_person):
    page = alice_client.get(_url(alices_person)).content.decode()
    number = alices_person.id_number
    assert f'value="{number[:8]}-{number[8:]}"' in page
    assert 'value="Moa"' in page
    assert "Provgatan 1" in page
    assert AccessLogEntry.objects.get().action == "person.viewed"


def test_saving_changes_the_fields_and_logs_person_changed(alice_client, alices_person):
    response = alice_client.post(_url(alices_person), _form(alices_person, last_name="Nyttnamn", city="Grangärde"))
    assert response.status_code == 302
    assert response.url == reverse("people:detail", args=[alices_person.pk])
    alices_person.refresh_from_db()
    assert (alices_person.last_name, alices_person.city) == ("Nyttnamn", "Grangärde")
    entry = AccessLogEntry.objects.get()
    assert entry.action == "person.changed"
    assert entry.person_id == alices_person.pk
    assert sorted(entry.detail["fields"]) == ["efternamn", "postort"]


def test_a_bad_number_is_a_field_error_and_changes_nothing(alice_client, alices_person):
    response = alice_client.post(_url(alices_person), _form(alices_person, id_number="20050314-0000", last_name="X"))
    assert response.status_code == 200
    assert 'id="id_id_number_error"' in response.content.decode()
    alices_person.refresh_from_db()
    assert alices_person.last_name == "Provsson"
    assert not AccessLogEntry.objects.filter(action="person.changed").exists()


def test_a_number_already_on_another_person_suggests_merging(alice, alice_client, alices_person, project):
    other = PersonFactory()
    EnrolmentFactory(person=other, project=project, unit=alice.unit)
    response = alice_client.post(_url(alices_person), _form(alices_person, id_number=other.id_number))
    assert "Slå ihop personerna i stället." in response.content.decode()


@pytest.fixture
def protected_person(alice, project):
    person = PersonFactory(protection=Protection.PROTECTED_REGISTRATION, address="Dold väg 9", phone="070-111")
    EnrolmentFactory(person=person, project=project, unit=alice.unit, coach=alice)
    return person


def test_a_colleague_who_is_not_the_coach_never_sees_nor_changes_hidden_contact_details(alice, protected_person):
    colleague_user = UserFactory(username="kollega", unit=alice.unit)
    colleague = client_for(colleague_user)
    page = colleague.get(_url(protected_person)).content.decode()
    assert "Dold väg 9" not in page
    assert 'name="address"' not in page
    data = _form(protected_person, colleague_user, first_name="Nytt")
    for name in ("address", "postal_code", "city", "phone", "email"):
        del data[name]
    assert colleague.post(_url(protected_person), data).status_code == 302
    protected_person.refresh_from_db()
    assert (protected_person.first_name, protected_person.address, protected_person.phone) == (
        "Nytt",
        "Dold väg 9",
        "070-111",
    )
