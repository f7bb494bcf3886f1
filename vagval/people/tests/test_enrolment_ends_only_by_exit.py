"""Ending an enrolment is the exit (followup): the edit form, the API and the service refuse the
status "avslutad", so placements, plan steps, referrals and follow-ups are never left behind."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import ctx_for
from vagval.api.tests.helpers import API, api_client_for, call, enrolment_etag
from vagval.common.errors import InvalidInput
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people import services
from vagval.people.models import EnrolmentStatus
from vagval.people.tests.versions import enrolment_form_version


def _enrolment(person):
    return person.enrolments.get()


def test_the_edit_form_offers_no_ended_status_and_points_to_the_exit(alice_client, alices_person):
    enrolment = _enrolment(alices_person)
    page = alice_client.get(reverse("people:enrolment_edit", args=[enrolment.pk])).content.decode()
    assert 'value="avslutad"' not in page
    assert reverse("followup:exit_create", args=[enrolment.pk]) in page


def test_posting_the_ended_status_in_the_edit_form_is_refused(alice, alice_client, alices_person):
    enrolment = _enrolment(alices_person)
    response = alice_client.post(
        reverse("people:enrolment_edit", args=[enrolment.pk]),
        {
            "status": "avslutad",
            "starts_on": "2026-01-15",
            "ends_on": "2026-06-30",
            "coach": alice.pk,
            "version": enrolment_form_version(enrolment),
        },
    )
    assert response.status_code == 200
    assert 'id="id_status_error"' in response.content.decode()
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.ends_on) == (EnrolmentStatus.ACTIVE, None)


def test_the_api_refuses_to_end_an_enrolment_by_put(alice, alices_person):
    enrolment = _enrolment(alices_person)
    body = {"starts_on": "2026-01-15", "status": "avslutad", "ends_on": "2026-06-30", "coach_id": enrolment.coach_id}
    response = call(
        api_client_for(alice), "PUT", f"/enrolments/{enrolment.pk}", body, if_match=enrolment_etag(enrolment)
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["status"]
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert API  # the helpers' prefix, imported for the reader: /api/v1


def test_the_service_refuses_the_ended_status_on_change_and_on_a_new_enrolment(alice, alices_person):
    enrolment = _enrolment(alices_person)
    data = services.EnrolmentData(
        project_id=enrolment.project_id,
        starts_on=enrolment.starts_on,
        status=EnrolmentStatus.ENDED,
        ends_on=dt.date(2026, 6, 30),
    )
    with pytest.raises(InvalidInput) as error:
        services.enrolment_update(ctx=ctx_for(alice), enrolment=enrolment, data=data)
    assert "status" in error.value.field_errors
    other = ProjectFactory(name="Annat projekt")
    other.organisations.add(alice.unit.organisation)
    with pytest.raises(InvalidInput) as error:
        services.enrolment_create(
            ctx=ctx_for(alice),
            person=alices_person,
            data=services.EnrolmentData(
                project_id=other.pk,
                starts_on=dt.date(2026, 1, 1),
                status=EnrolmentStatus.ENDED,
                ends_on=dt.date(2026, 2, 1),
            ),
        )
    assert "status" in error.value.field_errors
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE


def test_enrolment_end_is_the_one_write_that_ends(alice, alices_person):
    enrolment = _enrolment(alices_person)
    ended = services.enrolment_end(ctx=ctx_for(alice), enrolment=enrolment, ends_on=dt.date(2026, 6, 30))
    assert (ended.status, ended.ends_on) == (EnrolmentStatus.ENDED, dt.date(2026, 6, 30))
    assert ended.changes.get(kind="changed").changes["status"] == ["Pågående", "Avslutad"]


def test_an_ended_enrolment_can_still_be_corrected_and_reopened_in_the_form(alice, alice_client, alices_person):
    enrolment = _enrolment(alices_person)
    services.enrolment_end(ctx=ctx_for(alice), enrolment=enrolment, ends_on=dt.date(2026, 6, 30))
    url = reverse("people:enrolment_edit", args=[enrolment.pk])
    assert 'value="avslutad" selected' in alice_client.get(url).content.decode()
    response = alice_client.post(
        url,
        {
            "status": "avslutad",
            "starts_on": "2026-01-15",
            "ends_on": "2026-06-30",
            "coach": "",
            "version": enrolment_form_version(enrolment),
        },
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.coach_id) == (EnrolmentStatus.ENDED, None)
