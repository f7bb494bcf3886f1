"""Who may do what through the API: another municipality gets 404, read-only gets 403 on writes,
evaluators and administrators see no persons."""

import pytest

from vagval.api.tests.helpers import API, api_client_for, call, log_mark, logged_since, new_person_body, person_body
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.models import Enrolment, Person


def person_operations(person, project):
    """Every operation on one person's data, with a body that would be valid for alice."""
    enrolment = person.enrolments.get()
    other = ProjectFactory(name="KAA Ludvika")
    return [
        ("GET", f"/persons/{person.pk}", None),
        ("PUT", f"/persons/{person.pk}", person_body(person, first_name="Ändrad")),
        ("GET", f"/persons/{person.pk}/enrolments", None),
        ("POST", f"/persons/{person.pk}/enrolments", {"project_id": str(other.pk), "starts_on": "2026-03-01"}),
        ("PUT", f"/enrolments/{enrolment.pk}", {"starts_on": "2026-01-15", "status": "vilande"}),
        ("GET", f"/enrolments/{enrolment.pk}", None),
    ]


def write_operations(person, project):
    return [op for op in person_operations(person, project) if op[0] != "GET"] + [
        ("POST", "/persons", new_person_body(project)),
    ]


OPERATION_NAMES = ["get", "update", "enrolment_list", "enrolment_create", "enrolment_update", "enrolment_get"]
WRITE_NAMES = ["update", "enrolment_create", "enrolment_update", "create"]


@pytest.mark.parametrize("index", range(6), ids=OPERATION_NAMES)
def test_charlie_gets_404_on_ludvikas_person_for_every_operation(charlie, alices_person, project, index):
    method, path, body = person_operations(alices_person, project)[index]
    mark = log_mark()
    response = call(api_client_for(charlie), method, path, body)
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}
    assert "Provsson" not in response.content.decode()
    assert logged_since(mark) == []
    alices_person.refresh_from_db()
    assert alices_person.first_name == "Moa"
    assert alices_person.enrolments.get().status == "pagaende"


def test_charlie_does_not_find_ludvikas_person_in_lists_or_search(charlie, alices_person, charlies_person):
    client = api_client_for(charlie)
    listed = client.get(f"{API}/persons").json()
    assert [item["id"] for item in listed["items"]] == [str(charlies_person.pk)]
    assert listed["count"] == 1
    for query in (alices_person.id_number, "Moa", "Provsson"):
        assert call(client, "POST", "/persons/search", {"query": query}).json() == {"items": []}


@pytest.mark.parametrize("index", range(4), ids=WRITE_NAMES)
def test_read_only_bob_gets_403_on_every_write(bob, alices_person, project, index):
    method, path, body = write_operations(alices_person, project)[index]
    persons, enrolments = Person.objects.count(), Enrolment.objects.count()
    mark = log_mark()
    response = call(api_client_for(bob), method, path, body)
    assert response.status_code == 403
    assert response.json() == {"detail": "Du har endast läsbehörighet."}
    assert logged_since(mark) == []
    assert (Person.objects.count(), Enrolment.objects.count()) == (persons, enrolments)
    alices_person.refresh_from_db()
    assert alices_person.first_name == "Moa"
    assert alices_person.enrolments.get().status == "pagaende"


def test_read_only_bob_can_read(bob, alices_person):
    client = api_client_for(bob)
    assert client.get(f"{API}/persons/{alices_person.pk}").status_code == 200
    assert client.get(f"{API}/persons/{alices_person.pk}/enrolments").status_code == 200
    assert client.get(f"{API}/enrolments/{alices_person.enrolments.get().pk}").status_code == 200
    assert [i["id"] for i in client.get(f"{API}/persons").json()["items"]] == [str(alices_person.pk)]


def test_the_evaluator_sees_an_empty_list_and_gets_404_on_a_person(erik, alices_person):
    client = api_client_for(erik)
    assert client.get(f"{API}/persons").json()["items"] == []
    assert call(client, "POST", "/persons/search", {"query": alices_person.id_number}).json() == {"items": []}
    assert client.get(f"{API}/persons/{alices_person.pk}").status_code == 404
    assert client.get(f"{API}/persons/{alices_person.pk}/enrolments").status_code == 404


@pytest.mark.parametrize("index", range(4), ids=WRITE_NAMES)
def test_the_evaluator_cannot_write(erik, alices_person, project, index):
    method, path, body = write_operations(alices_person, project)[index]
    response = call(api_client_for(erik), method, path, body)
    # Someone else's person does not exist for the evaluator; registering a new one is refused.
    assert response.status_code == (403 if WRITE_NAMES[index] == "create" else 404)
    assert Person.objects.count() == 1


def test_the_administrator_gets_404_on_a_person(dana, alices_person):
    client = api_client_for(dana)
    assert client.get(f"{API}/persons/{alices_person.pk}").status_code == 404
    assert client.get(f"{API}/persons/{alices_person.pk}/enrolments").status_code == 404


def test_the_administrator_sees_an_empty_list_and_finds_nobody(dana, alices_person):
    client = api_client_for(dana)
    response = client.get(f"{API}/persons")
    assert response.status_code == 200
    assert response.json()["items"] == []
    assert call(client, "POST", "/persons/search", {"query": alices_person.id_number}).json() == {"items": []}


@pytest.mark.parametrize("index", range(4), ids=WRITE_NAMES)
def test_the_administrator_cannot_write(dana, alices_person, project, index):
    method, path, body = write_operations(alices_person, project)[index]
    response = call(api_client_for(dana), method, path, body)
    # Without a unit: persons do not exist for dana; unit-bound actions are refused outright.
    assert response.status_code == (404 if WRITE_NAMES[index] in {"update", "enrolment_create"} else 403)
    assert Person.objects.count() == 1
