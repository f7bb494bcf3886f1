"""The persons API: list, search, detail, create and update, each with its access-log entries."""

import datetime as dt

import pytest

from vagval.api.tests.helpers import (
    API,
    api_client_for,
    call,
    log_mark,
    logged_since,
    new_person_body,
    person_body,
    person_etag,
)
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.models import EnrolmentStatus, Person, PersonChange, Protection
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory, make_personnummer


@pytest.fixture
def alice_api(alice):
    return api_client_for(alice)


@pytest.fixture
def bob_api(bob):
    return api_client_for(bob)


@pytest.fixture
def caseload(alice, bob, project):
    """Five persons at Ludvika: three with alice as coach, one ended, one in another project."""
    other_project = ProjectFactory(name="KAA Ludvika")
    persons = []
    for index, (first, last) in enumerate(
        [("Ada", "Andersson"), ("Bea", "Berg"), ("Cilla", "Carlsson"), ("Dan", "Dahl"), ("Eva", "Ek")]
    ):
        person = PersonFactory(first_name=first, last_name=last)
        EnrolmentFactory(
            person=person,
            project=other_project if index == 4 else project,
            unit=alice.unit,
            coach=alice if index < 3 else bob,
            status=EnrolmentStatus.ENDED if index == 3 else EnrolmentStatus.ACTIVE,
            ends_on=dt.date(2026, 3, 1) if index == 3 else None,
        )
        persons.append(person)
    return persons


def names(response):
    return [item["first_name"] for item in response.json()["items"]]


def test_the_list_shows_the_units_persons_sorted_by_name(alice_api, caseload):
    response = alice_api.get(f"{API}/persons")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["limit"], body["offset"]) == (5, 50, 0)
    assert names(response) == ["Ada", "Bea", "Cilla", "Dan", "Eva"]


def test_the_list_is_paginated_with_limit_and_offset(alice_api, caseload):
    first = alice_api.get(f"{API}/persons?limit=2").json()
    second = alice_api.get(f"{API}/persons?limit=2&offset=2").json()
    last = alice_api.get(f"{API}/persons?limit=2&offset=4").json()
    beyond = alice_api.get(f"{API}/persons?limit=2&offset=10").json()
    assert [i["first_name"] for i in first["items"]] == ["Ada", "Bea"]
    assert [i["first_name"] for i in second["items"]] == ["Cilla", "Dan"]
    assert [i["first_name"] for i in last["items"]] == ["Eva"]
    assert beyond["items"] == []
    assert {first["count"], second["count"], last["count"], beyond["count"]} == {5}
    assert (second["limit"], second["offset"]) == (2, 2)


def test_the_list_logs_one_entry_per_person_returned(alice_api, caseload):
    mark = log_mark()
    alice_api.get(f"{API}/persons?limit=2&offset=1")
    assert logged_since(mark) == [
        ("person.listed", "alice", str(caseload[1].pk)),
        ("person.listed", "alice", str(caseload[2].pk)),
    ]


def test_an_empty_page_logs_nothing(alice_api, caseload):
    mark = log_mark()
    alice_api.get(f"{API}/persons?offset=100")
    assert logged_since(mark) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=ci", ["Cilla"]),
        ("q=EK", ["Eva"]),
        ("q=bea%20berg", ["Bea"]),
        ("status=avslutad", ["Dan"]),
        ("status=pagaende", ["Ada", "Bea", "Cilla", "Eva"]),
        ("mine=true", ["Ada", "Bea", "Cilla"]),
        ("mine=false", ["Ada", "Bea", "Cilla", "Dan", "Eva"]),
        ("mine=true&q=b", ["Bea"]),
    ],
)
def test_the_list_filters(alice_api, caseload, query, expected):
    response = alice_api.get(f"{API}/persons?{query}")
    assert response.status_code == 200
    assert names(response) == expected
    assert response.json()["count"] == len(expected)


def test_the_list_filters_on_project(alice_api, caseload, project):
    assert names(alice_api.get(f"{API}/persons?project_id={project.pk}")) == ["Ada", "Bea", "Cilla", "Dan"]
    other = caseload[4].enrolments.get().project_id
    assert names(alice_api.get(f"{API}/persons?project_id={other}")) == ["Eva"]


def test_a_number_is_refused_in_the_list_query_string(alice_api, caseload):
    response = alice_api.get(f"{API}/persons?q={caseload[0].id_number}")
    assert response.status_code == 422
    assert "POST /persons/search" in response.json()["errors"]["q"][0]
    assert caseload[0].id_number not in response.content.decode()


def test_search_by_post_finds_a_person_by_number(alice_api, caseload):
    target = caseload[2]
    mark = log_mark()
    response = call(alice_api, "POST", "/persons/search", {"query": target.id_number})
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [str(target.pk)]
    assert logged_since(mark) == [("person.search_hit", "alice", str(target.pk))]


def test_search_by_post_accepts_the_written_form_and_names(alice_api, caseload):
    target = caseload[1]
    written = f"{target.id_number[2:8]}-{target.id_number[8:]}"
    assert [i["id"] for i in call(alice_api, "POST", "/persons/search", {"query": written}).json()["items"]] == [
        str(target.pk)
    ]
    assert names(call(alice_api, "POST", "/persons/search", {"query": "cilla c"})) == ["Cilla"]


def test_a_one_letter_search_finds_nothing_and_logs_nothing(alice_api, caseload):
    mark = log_mark()
    response = call(alice_api, "POST", "/persons/search", {"query": "a"})
    assert response.json() == {"items": []}
    assert logged_since(mark) == []


def test_search_refuses_unknown_fields(alice_api, caseload):
    response = call(alice_api, "POST", "/persons/search", {"query": "Ada", "limit": 5})
    assert response.status_code == 422
    assert response.json()["errors"] == {"limit": ["Okänt fält."]}


def test_the_detail_shows_the_person_with_enrolments_and_logs_one_view(alice_api, alices_person, project):
    mark = log_mark()
    response = alice_api.get(f"{API}/persons/{alices_person.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(alices_person.pk)
    assert body["access_basis"] == "own_unit"
    assert body["id_number"] == alices_person.id_number
    assert (body["first_name"], body["last_name"]) == ("Moa", "Provsson")
    assert body["birth_date"] == "2005-03-14"
    assert (body["gender"], body["protection"], body["is_protected"]) == ("kvinna", "none", False)
    assert body["address"] == "Provgatan 1"
    [enrolment] = body["enrolments"]
    assert enrolment["project_id"] == str(project.pk)
    assert enrolment["project_name"] == project.name
    assert enrolment["status"] == "pagaende"
    assert logged_since(mark) == [("person.viewed", "alice", str(alices_person.pk))]


@pytest.fixture
def protected_person(alices_person):
    alices_person.protection = Protection.PROTECTED_REGISTRATION
    alices_person.save()
    return alices_person


CONTACT_FIELDS = ("address", "postal_code", "city", "phone", "email", "home_municipality")


def test_a_protected_persons_contact_details_are_null_for_bob(bob_api, protected_person):
    for response in (
        bob_api.get(f"{API}/persons/{protected_person.pk}"),
        bob_api.get(f"{API}/persons"),
        call(bob_api, "POST", "/persons/search", {"query": "Moa"}),
    ):
        assert response.status_code == 200
        body = response.json()
        item = body if "id" in body else body["items"][0]
        assert item["is_protected"] is True
        assert item["contact_details_hidden"] is True
        assert all(item[name] is None for name in CONTACT_FIELDS)
        assert "Provgatan" not in response.content.decode()


def test_a_protected_persons_contact_details_are_shown_to_the_responsible_coach(alice_api, protected_person):
    for response in (alice_api.get(f"{API}/persons/{protected_person.pk}"), alice_api.get(f"{API}/persons")):
        body = response.json()
        item = body if "id" in body else body["items"][0]
        assert item["contact_details_hidden"] is False
        assert item["address"] == "Provgatan 1"
        assert item["city"] == "Ludvika"


def test_create_registers_and_enrols_the_person_at_the_coachs_unit(alice, alice_api, project):
    mark = log_mark()
    response = call(alice_api, "POST", "/persons", new_person_body(project, coach_id=alice.pk))
    assert response.status_code == 201
    body = response.json()
    person = Person.objects.get()
    assert body["id"] == str(person.pk)
    assert body["created"] is True
    assert body["id_number"] == make_personnummer(dt.date(2006, 5, 1), 123)
    assert body["birth_date"] == "2006-05-01"
    assert body["home_municipality"] == "2085"
    assert person.enrolments.get().unit == alice.unit
    assert person.enrolments.get().coach == alice
    assert logged_since(mark) == [
        ("person.created", "alice", str(person.pk)),
        ("enrolment.created", "alice", str(person.pk)),
    ]


def test_create_accepts_the_written_form_of_the_number(alice_api, project):
    number = make_personnummer(dt.date(2006, 5, 1), 123)
    response = call(alice_api, "POST", "/persons", new_person_body(project, id_number=f"{number[2:8]}-{number[8:]}"))
    assert response.status_code == 201
    assert Person.objects.get().id_number == number


def test_create_without_a_number_needs_a_birth_date(alice_api, project):
    body = new_person_body(project, id_type="none", id_number=None)
    response = call(alice_api, "POST", "/persons", body)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["birth_date"]
    response = call(alice_api, "POST", "/persons", {**body, "birth_date": "2007-07-07"})
    assert response.status_code == 201
    assert response.json()["id_number"] is None


def test_create_with_a_bad_check_digit_gets_422_and_creates_nothing(alice_api, project):
    good = make_personnummer(dt.date(2006, 5, 1), 123)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    mark = log_mark()
    response = call(alice_api, "POST", "/persons", new_person_body(project, id_number=bad))
    assert response.status_code == 422
    assert "kontrollsiffran" in response.json()["errors"]["id_number"][0]
    assert Person.objects.count() == 0
    assert logged_since(mark) == []


def test_create_with_an_unknown_project_gets_a_field_error(alice_api, project):
    body = new_person_body(project, project_id="00000000-0000-4000-8000-000000000000")
    response = call(alice_api, "POST", "/persons", body)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["project_id"]


def test_create_with_a_number_another_unit_holds_answers_as_for_a_new_number(alice_api, charlies_person, project):
    other_project = ProjectFactory(name="Second Chance School Västerbergslagen")
    body = new_person_body(other_project, id_number=charlies_person.id_number, first_name="Annat")
    mark = log_mark()
    response = call(alice_api, "POST", "/persons", body)
    assert response.status_code == 201
    assert response.json()["created"] is True
    assert response.json()["id"] != str(charlies_person.pk)
    assert response.json()["first_name"] == "Annat"
    new_id = response.json()["id"]
    assert logged_since(mark) == [("person.created", "alice", new_id), ("enrolment.created", "alice", new_id)]
    charlies_person.refresh_from_db()
    assert charlies_person.first_name == "Ville"


def test_create_with_a_number_the_unit_holds_enrols_that_record(alice_api, alices_person, project):
    other_project = ProjectFactory(name="Second Chance School Västerbergslagen")
    body = new_person_body(other_project, id_number=alices_person.id_number, first_name="Annat")
    mark = log_mark()
    response = call(alice_api, "POST", "/persons", body)
    assert response.status_code == 200
    assert response.json()["created"] is False
    assert response.json()["id"] == str(alices_person.pk)
    assert logged_since(mark) == [("enrolment.created", "alice", str(alices_person.pk))]


def test_update_replaces_the_persons_fields_and_logs_the_change(alice, alice_api, alices_person):
    mark = log_mark()
    body = person_body(alices_person, last_name="Nyttnamn", address="Ny väg 2", gender="icke_binar")
    response = call(alice_api, "PUT", f"/persons/{alices_person.pk}", body, if_match=person_etag(alice, alices_person))
    assert response.status_code == 200
    assert response.json()["last_name"] == "Nyttnamn"
    alices_person.refresh_from_db()
    assert (alices_person.last_name, alices_person.address, alices_person.gender) == (
        "Nyttnamn",
        "Ny väg 2",
        "icke_binar",
    )
    assert logged_since(mark) == [("person.changed", "alice", str(alices_person.pk))]
    assert PersonChange.objects.filter(person=alices_person, kind="changed").count() == 1


def test_update_empties_optional_fields_left_out(alice, alice_api, alices_person):
    body = person_body(alices_person)
    for name in ("address", "postal_code", "city", "phone"):
        del body[name]
    assert (
        call(
            alice_api, "PUT", f"/persons/{alices_person.pk}", body, if_match=person_etag(alice, alices_person)
        ).status_code
        == 200
    )
    alices_person.refresh_from_db()
    assert (alices_person.address, alices_person.city, alices_person.phone) == ("", "", "")


def test_update_needs_the_protection_level_so_it_is_never_lowered_by_omission(alice, alice_api, alices_person):
    alices_person.protection = Protection.PROTECTED_REGISTRATION
    alices_person.save()
    body = person_body(alices_person, last_name="Nyttnamn")
    del body["protection"]
    response = call(alice_api, "PUT", f"/persons/{alices_person.pk}", body, if_match=person_etag(alice, alices_person))
    assert response.status_code == 422
    assert response.json()["errors"] == {"protection": ["Fältet måste fyllas i."]}
    alices_person.refresh_from_db()
    assert (alices_person.protection, alices_person.last_name) == ("skyddad_folkbokforing", "Provsson")


def test_an_update_that_changes_nothing_logs_nothing(alice, alice_api, alices_person):
    call(
        alice_api,
        "PUT",
        f"/persons/{alices_person.pk}",
        person_body(alices_person),
        if_match=person_etag(alice, alices_person),
    )  # derives legal sex
    mark = log_mark()
    response = call(
        alice_api,
        "PUT",
        f"/persons/{alices_person.pk}",
        person_body(alices_person),
        if_match=person_etag(alice, alices_person),
    )
    assert response.status_code == 200
    assert logged_since(mark) == []


def test_update_hides_contact_details_at_once_when_the_person_becomes_protected(alice, bob, alice_api, alices_person):
    # While alice is the responsible coach she still sees them; once she is not, she does not.
    body = person_body(alices_person, protection="sekretessmarkering")
    response = call(alice_api, "PUT", f"/persons/{alices_person.pk}", body, if_match=person_etag(alice, alices_person))
    assert response.json()["is_protected"] is True
    assert response.json()["address"] == "Provgatan 1"
    enrolment = alices_person.enrolments.get()
    enrolment.coach = bob
    enrolment.save()
    alices_person.refresh_from_db()
    response = call(
        alice_api,
        "PUT",
        f"/persons/{alices_person.pk}",
        person_body(alices_person, first_name="Mo"),
        if_match=person_etag(alice, alices_person),
    )
    assert response.status_code == 200
    assert response.json()["address"] is None
    alices_person.refresh_from_db()
    assert alices_person.address == "Provgatan 1"  # fields the coach cannot see are kept


def test_update_to_a_number_that_another_person_has_gets_422(alice, alice_api, alices_person, caseload):
    body = person_body(alices_person, id_number=caseload[0].id_number)
    response = call(alice_api, "PUT", f"/persons/{alices_person.pk}", body, if_match=person_etag(alice, alices_person))
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["id_number"]
