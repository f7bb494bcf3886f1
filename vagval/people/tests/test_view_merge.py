"""Merging a samordningsnummer registration into the personnummer registration."""

import datetime as dt

import pytest
from django.urls import reverse

from vagval.audit.models import AccessLogEntry
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.models import IdentityType, Person
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory, make_samordningsnummer


@pytest.fixture
def coordination_record(alice):
    """The same young person registered earlier with a samordningsnummer, in another project."""
    person = PersonFactory(
        first_name="Moa",
        last_name="Provsson",
        id_type=IdentityType.SAMORDNINGSNUMMER,
        id_number=make_samordningsnummer(dt.date(2005, 3, 14), 77),
    )
    EnrolmentFactory(person=person, project=ProjectFactory(name="KAA Ludvika"), unit=alice.unit, coach=alice)
    return person


def _url(person):
    return reverse("people:merge", args=[person.pk])


def test_step_one_finds_the_other_registration_but_not_the_person_itself(
    alice_client, alices_person, coordination_record
):
    page = alice_client.post(_url(coordination_record), {"step": "search", "q": "Provsson"}).content.decode()
    assert f'name="other" value="{alices_person.pk}"' in page
    assert f'name="other" value="{coordination_record.pk}"' not in page


def test_step_two_shows_both_and_keeps_the_personnummer_record_by_default(
    alice_client, alices_person, coordination_record
):
    response = alice_client.post(_url(coordination_record), {"step": "confirm", "other": str(alices_person.pk)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bekräfta sammanslagning" in page
    assert '<input type="radio" name="keep" value="other" id="id_keep_1" required checked>' in page
    assert '<input type="radio" name="keep" value="this" id="id_keep_0" required>' in page
    assert "KAA Ludvika" in page
    assert "VBU insatser för ungdomar" in page
    assert AccessLogEntry.objects.filter(action="person.viewed").count() == 2


def test_merging_moves_the_enrolments_and_goes_to_the_kept_person(alice_client, alices_person, coordination_record):
    response = alice_client.post(
        _url(coordination_record), {"step": "merge", "other": str(alices_person.pk), "keep": "other"}
    )
    assert response.status_code == 302
    assert response.url == reverse("people:detail", args=[alices_person.pk])
    coordination_record.refresh_from_db()
    assert coordination_record.merged_into == alices_person
    assert sorted(e.project.name for e in alices_person.enrolments.all()) == [
        "KAA Ludvika",
        "VBU insatser för ungdomar",
    ]
    assert not coordination_record.enrolments.exists()
    assert AccessLogEntry.objects.filter(action="person.merged").count() == 2
    page = alice_client.get(response.url).content.decode()
    assert "ihopslagna" in page


def test_the_user_may_keep_the_other_direction(alice_client, alices_person, coordination_record):
    response = alice_client.post(
        _url(coordination_record), {"step": "merge", "other": str(alices_person.pk), "keep": "this"}
    )
    assert response.url == reverse("people:detail", args=[coordination_record.pk])
    assert Person.objects.get(pk=alices_person.pk).merged_into_id == coordination_record.pk


def test_a_person_from_another_municipality_cannot_be_chosen(alice_client, alices_person, charlies_person):
    response = alice_client.post(_url(alices_person), {"step": "confirm", "other": str(charlies_person.pk)})
    assert response.status_code == 404
    response = alice_client.post(
        _url(alices_person), {"step": "merge", "other": str(charlies_person.pk), "keep": "this"}
    )
    assert response.status_code == 404
    assert not Person.objects.filter(merged_into__isnull=False).exists()


def test_a_person_cannot_be_merged_with_itself(alice_client, alices_person):
    response = alice_client.post(_url(alices_person), {"step": "merge", "other": str(alices_person.pk), "keep": "this"})
    assert response.status_code == 302
    assert response.url == _url(alices_person)
    assert not Person.objects.filter(merged_into__isnull=False).exists()
