"""No lost updates on the person and enrolment forms: a stale save is refused and shows both versions."""

import pytest
from django.urls import reverse

from conftest import client_for
from vagval.accounts.tests.factories import UserFactory
from vagval.common.tests.edit_versions import shown_version
from vagval.people.models import EnrolmentStatus, PersonChange, Protection
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory
from vagval.people.tests.versions import person_form_data


@pytest.fixture
def protected_person(alice, project):
    person = PersonFactory(protection=Protection.PROTECTED_REGISTRATION, address="Dold väg 9", phone="070-111")
    EnrolmentFactory(person=person, project=project, unit=alice.unit, coach=alice)
    return person


def _person_form(person, version, **overrides):
    return person_form_data(person, version, **overrides)


def test_a_stale_person_save_shows_both_versions_and_keeps_the_first_change(alice, alice_client, alices_person):
    colleague = client_for(UserFactory(username="kollega", unit=alice.unit))
    url = reverse("people:edit", args=[alices_person.pk])
    first_version = shown_version(alice_client.get(url))
    second_version = shown_version(colleague.get(url))
    assert first_version == second_version

    first = alice_client.post(url, _person_form(alices_person, first_version, city="Grangärde"))
    assert first.status_code == 302
    second = colleague.post(url, _person_form(alices_person, second_version, last_name="Skrivöver"))

    assert second.status_code == 409
    page = second.content.decode()
    assert "Ändringen sparades inte" in page
    assert "Skrivöver" in page  # what the colleague tried to save
    assert "Grangärde" in page  # what is saved now
    alices_person.refresh_from_db()
    assert (alices_person.city, alices_person.last_name) == ("Grangärde", "Provsson")
    assert PersonChange.objects.filter(person=alices_person, kind="changed").count() == 1
    # The form now carries the saved version: saving again, deliberately, replaces it.
    assert shown_version(second) != second_version
    again = colleague.post(url, _person_form(alices_person, shown_version(second), last_name="Skrivöver"))
    assert again.status_code == 302
    alices_person.refresh_from_db()
    assert alices_person.last_name == "Skrivöver"


def test_a_person_save_without_a_version_saves_nothing(alice_client, alices_person):
    url = reverse("people:edit", args=[alices_person.pk])
    data = _person_form(alices_person, "", last_name="Utanversion")
    response = alice_client.post(url, data)
    assert response.status_code == 200
    assert "Ladda om sidan" in response.content.decode()
    alices_person.refresh_from_db()
    assert alices_person.last_name == "Provsson"


def test_a_hidden_contact_change_does_not_make_a_colleagues_form_stale(alice, protected_person):
    colleague = client_for(UserFactory(username="kollega", unit=alice.unit))
    url = reverse("people:edit", args=[protected_person.pk])
    version = shown_version(colleague.get(url))
    protected_person.address = "Ny dold väg 1"
    protected_person.save()
    data = _person_form(protected_person, version, first_name="Nytt")
    for name in ("address", "postal_code", "city", "phone", "email"):
        del data[name]
    assert colleague.post(url, data).status_code == 302


def test_a_stale_enrolment_save_shows_both_versions_and_keeps_the_first_change(alice, alice_client, alices_person):
    colleague = client_for(UserFactory(username="kollega", unit=alice.unit))
    url = reverse("people:enrolment_edit", args=[alices_person.enrolments.get().pk])
    first_version = shown_version(alice_client.get(url))
    second_version = shown_version(colleague.get(url))

    first = alice_client.post(
        url,
        {
            "version": first_version,
            "status": "vilande",
            "starts_on": "2026-01-15",
            "coach": alice.pk,
        },
    )
    assert first.status_code == 302
    second = colleague.post(
        url, {"version": second_version, "status": "planerad", "starts_on": "2026-01-15", "coach": alice.pk}
    )

    assert second.status_code == 409
    page = second.content.decode()
    assert "Ändringen sparades inte" in page
    assert "Planerad" in page
    assert "Vilande" in page
    enrolment = alices_person.enrolments.get()
    assert enrolment.status == EnrolmentStatus.PAUSED
    assert enrolment.changes.filter(kind="changed").count() == 1
