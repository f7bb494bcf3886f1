"""New enrolment and changing an enrolment: status, dates, coach and method."""

from django.urls import reverse

from vagval.audit.models import AccessLogEntry
from vagval.organisations.tests.factories import MethodFactory, ProjectFactory
from vagval.people.models import EnrolmentStatus
from vagval.people.tests.versions import enrolment_form_version


def _edit_url(person):
    return reverse("people:enrolment_edit", args=[person.enrolments.get().pk])


def _version(person):
    return enrolment_form_version(person.enrolments.get())


def test_a_new_enrolment_in_another_project(alice, alice_client, alices_person):
    kaa = ProjectFactory(name="KAA Ludvika")
    method = MethodFactory(name="Gnestamodellen")
    response = alice_client.post(
        reverse("people:enrolment_create", args=[alices_person.pk]),
        {
            "project": str(kaa.pk),
            "starts_on": "2026-03-01",
            "status": "planerad",
            "coach": alice.pk,
            "method": method.pk,
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("people:detail", args=[alices_person.pk])
    enrolment = alices_person.enrolments.get(project=kaa)
    assert (enrolment.unit, enrolment.status, enrolment.method) == (alice.unit, EnrolmentStatus.PLANNED, method)
    assert AccessLogEntry.objects.get().action == "enrolment.created"


def test_enrolling_twice_in_the_same_project_is_a_field_error(alice_client, alices_person, project):
    response = alice_client.post(
        reverse("people:enrolment_create", args=[alices_person.pk]),
        {"project": str(project.pk), "starts_on": "2026-03-01", "status": "pagaende"},
    )
    page = response.content.decode()
    assert "Personen är redan inskriven i projektet." in page
    assert 'id="id_project_error"' in page


def test_the_edit_form_shows_the_project_without_letting_it_change(alice_client, alices_person):
    response = alice_client.get(_edit_url(alices_person))
    page = response.content.decode()
    assert "VBU insatser för ungdomar" in page
    assert 'name="project"' not in page
    assert 'value="2026-01-15"' in page


def test_an_end_before_the_start_is_a_field_error(alice, alice_client, alices_person):
    response = alice_client.post(
        _edit_url(alices_person),
        {"status": "pagaende", "starts_on": "2026-01-15", "ends_on": "2025-12-31", "version": _version(alices_person)},
    )
    assert "Slutdatum kan inte vara före startdatum." in response.content.decode()
