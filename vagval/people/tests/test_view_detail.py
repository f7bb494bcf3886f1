"""The person page: facts, protected identity, enrolments, timeline, and one log entry per view."""

import pytest
from django.urls import reverse

from vagval.audit.models import AccessLogEntry
from vagval.people.models import Gender, Protection
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory
from vagval.people.tests.versions import enrolment_form_version


def _url(person):
    return reverse("people:detail", args=[person.pk])


@pytest.fixture
def protected_person(alice, project):
    """A person with skyddad folkbokföring; alice is the responsible coach."""
    person = PersonFactory(
        first_name="Skydda", last_name="Hemligsson", protection=Protection.PROTECTED_REGISTRATION, address="Dold väg 9"
    )
    EnrolmentFactory(person=person, project=project, unit=alice.unit, coach=alice)
    return person


def test_it_shows_the_facts_with_the_full_number_and_gender_as_stated(alice_client, alices_person):
    alices_person.gender = Gender.NON_BINARY
    alices_person.save()
    page = alice_client.get(_url(alices_person)).content.decode()
    number = alices_person.id_number
    assert "<h1>Moa Provsson</h1>" in page
    assert f"{number[:8]}-{number[8:]}" in page
    assert "Icke-binär" in page
    assert "Juridiskt kön" not in page
    assert "Provgatan 1" in page


def test_viewing_writes_exactly_one_person_viewed_entry(alice_client, alices_person):
    alice_client.get(_url(alices_person))
    entries = AccessLogEntry.objects.all()
    assert [(e.action, e.person_id) for e in entries] == [("person.viewed", alices_person.pk)]


def test_it_lists_enrolments_with_edit_links(alice, alice_client, alices_person):
    page = alice_client.get(_url(alices_person)).content.decode()
    assert "VBU insatser för ungdomar" in page
    assert "Pågående" in page
    assert reverse("people:enrolment_edit", args=[alices_person.enrolments.get().pk]) in page


def test_timeline_entries_have_machine_readable_times(alice_client, alices_person):
    alice_client.post(
        reverse("people:enrolment_edit", args=[alices_person.enrolments.get().pk]),
        {
            "status": "vilande",
            "starts_on": "2026-01-15",
            "coach": "",
            "version": enrolment_form_version(alices_person.enrolments.get()),
        },
    )
    page = alice_client.get(_url(alices_person)).content.decode()
    assert '<ol class="timeline"' in page
    assert "<time datetime=" in page
    assert "Vilande" in page


def test_protected_person_shows_a_warning_banner(bob_client, protected_person):
    page = bob_client.get(_url(protected_person)).content.decode()
    assert 'role="alert"' in page
    assert "Skyddad folkbokföring" in page


def test_protected_persons_address_is_hidden_from_a_colleague(bob_client, protected_person):
    page = bob_client.get(_url(protected_person)).content.decode()
    assert "Dold väg 9" not in page
    assert "070-000 00 00" not in page
    assert "Dolda – skyddade personuppgifter. Endast ansvarig coach ser dem." in page


def test_protected_persons_address_is_shown_to_the_responsible_coach(alice_client, protected_person):
    page = alice_client.get(_url(protected_person)).content.decode()
    assert "Dold väg 9" in page
    assert "Dolda – skyddade personuppgifter" not in page


def test_write_links_for_a_coach(alice_client, alices_person):
    page = alice_client.get(_url(alices_person)).content.decode()
    for name in ("edit", "enrolment_create", "merge"):
        assert reverse(f"people:{name}", args=[alices_person.pk]) in page


def test_an_unknown_person_is_404(alice_client, alices_person):
    assert alice_client.get(reverse("people:detail", args=["00000000-0000-0000-0000-000000000000"])).status_code == 404
