"""The API is as strict as the forms: dates only as ÅÅÅÅ-MM-DD, and only the projects the form offers."""

import datetime as dt

import pytest
from django.urls import reverse

from vagval.api.tests.helpers import api_client_for, call, new_person_body
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.models import Enrolment, IdentityType, Person
from vagval.people.selectors import enrolment_projects

DATE_ERROR = ["Ange ett datum som ÅÅÅÅ-MM-DD."]


@pytest.fixture
def alice_api(alice):
    return api_client_for(alice)


@pytest.mark.parametrize(
    "value", [0, 1700000000, 20260201.0, "2026-02-01T00:00:00", "2026-02-01T10:30:00+01:00", "20260201", "2026-2-1"]
)
def test_a_start_date_that_is_not_an_iso_date_gets_422(alice_api, project, value):
    response = call(alice_api, "POST", "/persons", new_person_body(project, starts_on=value))
    assert response.status_code == 422
    assert response.json()["errors"] == {"starts_on": DATE_ERROR}
    assert Person.objects.count() == 0


def test_a_birth_date_as_a_number_gets_422(alice_api, project):
    body = new_person_body(project, id_type=IdentityType.NONE, id_number=None, birth_date=0)
    response = call(alice_api, "POST", "/persons", body)
    assert response.status_code == 422
    assert response.json()["errors"] == {"birth_date": DATE_ERROR}


def test_an_end_date_as_a_date_time_gets_422_on_an_enrolment_change(alice_api, alices_person):
    enrolment = alices_person.enrolments.get()
    body = {"starts_on": "2026-01-15", "status": "avslutad", "ends_on": "2026-06-30T00:00:00"}
    response = call(alice_api, "PUT", f"/enrolments/{enrolment.pk}", body, if_match='"x"')
    assert response.status_code == 422
    assert response.json()["errors"] == {"ends_on": DATE_ERROR}


def test_an_iso_date_is_accepted(alice_api, project):
    response = call(alice_api, "POST", "/persons", new_person_body(project, starts_on="2026-02-01"))
    assert response.status_code == 201
    assert Enrolment.objects.get().starts_on == dt.date(2026, 2, 1)


def test_a_project_that_has_ended_gets_422(alice_api, alices_person):
    ended = ProjectFactory(name="Avslutat 2009", starts_on=dt.date(2008, 1, 1), ends_on=dt.date(2009, 12, 31))
    body = {"project_id": str(ended.pk), "starts_on": "2026-03-01"}
    response = call(alice_api, "POST", f"/persons/{alices_person.pk}/enrolments", body)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["project_id"]
    assert alices_person.enrolments.count() == 1


def test_a_project_of_another_organisation_gets_422(alice_api, alices_person, smedjebacken_unit):
    theirs = ProjectFactory(name="Smedjebackens projekt")
    theirs.organisations.add(smedjebacken_unit.organisation)
    body = {"project_id": str(theirs.pk), "starts_on": "2026-03-01"}
    response = call(alice_api, "POST", f"/persons/{alices_person.pk}/enrolments", body)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["project_id"]
    created = call(alice_api, "POST", "/persons", new_person_body(theirs))
    assert created.status_code == 422
    assert list(created.json()["errors"]) == ["project_id"]


def test_a_project_of_the_own_organisation_or_of_none_is_accepted(alice, alice_api, alices_person):
    ours = ProjectFactory(name="Ludvikas projekt")
    ours.organisations.add(alice.unit.organisation)
    open_to_all = ProjectFactory(name="Gemensamt projekt")
    for project in (ours, open_to_all):
        body = {"project_id": str(project.pk), "starts_on": "2026-03-01"}
        assert call(alice_api, "POST", f"/persons/{alices_person.pk}/enrolments", body).status_code == 201


def test_the_form_offers_exactly_the_projects_the_api_accepts(alice, alice_client, alices_person, smedjebacken_unit):
    ended = ProjectFactory(name="Avslutat 2009", starts_on=dt.date(2008, 1, 1), ends_on=dt.date(2009, 12, 31))
    theirs = ProjectFactory(name="Smedjebackens projekt")
    theirs.organisations.add(smedjebacken_unit.organisation)
    ours = ProjectFactory(name="Ludvikas projekt")
    ours.organisations.add(alice.unit.organisation)
    page = alice_client.get(reverse("people:enrolment_create", args=[alices_person.pk])).content.decode()
    assert "Ludvikas projekt" in page
    assert "Smedjebackens projekt" not in page
    assert "Avslutat 2009" not in page
    offered = set(enrolment_projects(viewer=alice))
    assert ours in offered
    assert not offered & {ended, theirs}
