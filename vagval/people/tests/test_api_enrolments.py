"""The enrolments API: list, create (and reopen), update, each with its access-log entries."""

import datetime as dt

import pytest

from vagval.api.tests.helpers import API, api_client_for, call, enrolment_etag, log_mark, logged_since
from vagval.organisations.tests.factories import MethodFactory, ProjectFactory
from vagval.people.models import Enrolment, EnrolmentChange, EnrolmentStatus


@pytest.fixture
def alice_api(alice):
    return api_client_for(alice)


@pytest.fixture
def other_project(db):
    return ProjectFactory(name="Second Chance School Västerbergslagen")


def test_the_list_shows_only_enrolments_at_the_unit_and_logs_a_view(alice, alice_api, alices_person, charlie, project):
    # An enrolment at another municipality's unit is another secrecy domain: not shown.
    Enrolment.objects.create(person=alices_person, project=project, unit=charlie.unit, starts_on=dt.date(2025, 1, 1))
    mark = log_mark()
    response = alice_api.get(f"{API}/persons/{alices_person.pk}/enrolments")
    assert response.status_code == 200
    [enrolment] = response.json()
    assert enrolment["unit_id"] == str(alice.unit.pk)
    assert logged_since(mark) == [("person.viewed", "alice", str(alices_person.pk))]


def test_create_enrols_the_person_in_another_project(alice, alice_api, alices_person, other_project):
    method = MethodFactory(name="Gnestamodellen")
    body = {
        "project_id": str(other_project.pk),
        "starts_on": "2026-03-01",
        "status": "planerad",
        "coach_id": alice.pk,
        "method_id": str(method.pk),
    }
    mark = log_mark()
    response = call(alice_api, "POST", f"/persons/{alices_person.pk}/enrolments", body)
    assert response.status_code == 201
    created = response.json()
    enrolment = Enrolment.objects.get(pk=created["id"])
    assert (enrolment.project, enrolment.unit, enrolment.coach, enrolment.method) == (
        other_project,
        alice.unit,
        alice,
        method,
    )
    assert created["status"] == "planerad"
    assert created["starts_on"] == "2026-03-01"
    assert created["coach_id"] == alice.pk
    assert logged_since(mark) == [("enrolment.created", "alice", str(alices_person.pk))]


def test_create_in_a_project_the_person_is_already_in_gets_422(alice_api, alices_person, project):
    body = {"project_id": str(project.pk), "starts_on": "2026-03-01"}
    response = call(alice_api, "POST", f"/persons/{alices_person.pk}/enrolments", body)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["project_id"]


def test_create_in_an_ended_project_reopens_the_same_enrolment(alice_api, alices_person, project):
    enrolment = alices_person.enrolments.get()
    enrolment.status = EnrolmentStatus.ENDED
    enrolment.ends_on = dt.date(2026, 2, 1)
    enrolment.save()
    mark = log_mark()
    body = {"project_id": str(project.pk), "starts_on": "2026-04-01"}
    response = call(alice_api, "POST", f"/persons/{alices_person.pk}/enrolments", body)
    assert response.status_code == 201
    assert response.json()["id"] == str(enrolment.pk)
    assert response.json()["starts_on"] == "2026-01-15"  # the first start is kept
    assert response.json()["status"] == "pagaende"
    assert logged_since(mark) == [("enrolment.reopened", "alice", str(alices_person.pk))]


def test_create_with_a_coach_from_another_unit_gets_422(alice_api, alices_person, charlie, other_project):
    body = {"project_id": str(other_project.pk), "starts_on": "2026-03-01", "coach_id": charlie.pk}
    response = call(alice_api, "POST", f"/persons/{alices_person.pk}/enrolments", body)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["coach_id"]


def test_update_changes_status_and_dates_and_logs_the_change(alice_api, alices_person):
    enrolment = alices_person.enrolments.get()
    body = {"starts_on": "2026-01-15", "status": "vilande", "ends_on": "2026-06-30", "coach_id": enrolment.coach_id}
    mark = log_mark()
    response = call(alice_api, "PUT", f"/enrolments/{enrolment.pk}", body, if_match=enrolment_etag(enrolment))
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["ends_on"]) == ("vilande", "2026-06-30")
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.ends_on) == (EnrolmentStatus.PAUSED, dt.date(2026, 6, 30))
    assert EnrolmentChange.objects.get(enrolment=enrolment, kind="changed").changes["status"] == [
        "Pågående",
        "Vilande",
    ]
    assert logged_since(mark) == [("enrolment.changed", "alice", str(alices_person.pk))]


def test_update_cannot_end_an_enrolment_that_is_the_exit(alice_api, alices_person):
    enrolment = alices_person.enrolments.get()
    response = call(
        alice_api,
        "PUT",
        f"/enrolments/{enrolment.pk}",
        {"starts_on": "2026-01-15", "status": "avslutad"},
        if_match=enrolment_etag(enrolment),
    )
    assert response.status_code == 422
    assert "status" in response.json()["errors"]


def test_update_cannot_move_the_enrolment_to_another_project(alice_api, alices_person, other_project):
    enrolment = alices_person.enrolments.get()
    body = {"starts_on": "2026-01-15", "status": "pagaende", "project_id": str(other_project.pk)}
    response = call(alice_api, "PUT", f"/enrolments/{enrolment.pk}", body, if_match=enrolment_etag(enrolment))
    assert response.status_code == 422
    assert response.json()["errors"] == {"project_id": ["Okänt fält."]}


def test_update_needs_the_status(alice_api, alices_person):
    enrolment = alices_person.enrolments.get()
    response = call(
        alice_api, "PUT", f"/enrolments/{enrolment.pk}", {"starts_on": "2026-01-15"}, if_match=enrolment_etag(enrolment)
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"status": ["Fältet måste fyllas i."]}


def test_an_enrolment_update_that_changes_nothing_logs_nothing(alice_api, alices_person):
    enrolment = alices_person.enrolments.get()
    body = {"starts_on": "2026-01-15", "status": "pagaende", "coach_id": enrolment.coach_id}
    mark = log_mark()
    assert (
        call(alice_api, "PUT", f"/enrolments/{enrolment.pk}", body, if_match=enrolment_etag(enrolment)).status_code
        == 200
    )
    assert logged_since(mark) == []


def test_reopening_with_an_end_before_the_first_start_gets_422(alice_api, alices_person, project):
    enrolment = alices_person.enrolments.get()
    enrolment.status = EnrolmentStatus.ENDED
    enrolment.ends_on = dt.date(2026, 2, 1)
    enrolment.save()
    body = {"project_id": str(project.pk), "starts_on": "2020-01-01", "ends_on": "2021-01-01", "status": "pagaende"}
    response = call(alice_api, "POST", f"/persons/{alices_person.pk}/enrolments", body)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["ends_on"]
