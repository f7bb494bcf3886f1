"""ETag and If-Match on the persons API: no lost updates, the same check as the pages."""

import pytest
from django.urls import reverse

from conftest import client_for
from vagval.api.tests.helpers import API, api_client_for, call, log_mark, logged_since, person_body
from vagval.people.models import EnrolmentStatus, PersonChange
from vagval.people.tests.versions import person_form_version

STALE = "Posten har ändrats sedan du hämtade den"
MISSING = "Huvudet If-Match saknas"


@pytest.fixture
def alice_api(alice):
    return api_client_for(alice)


def _enrolment_body(**overrides):
    return {"starts_on": "2026-01-15", "status": "pagaende", **overrides}


def test_a_person_answers_an_etag_and_a_put_with_it_answers_the_new_one(alice_api, alices_person):
    got = alice_api.get(f"{API}/persons/{alices_person.pk}")
    etag = got["ETag"]
    assert etag.startswith('"')
    assert etag.endswith('"')
    response = call(
        alice_api, "PUT", f"/persons/{alices_person.pk}", person_body(alices_person, city="Grangärde"), if_match=etag
    )
    assert response.status_code == 200
    assert response["ETag"] not in ("", etag)
    assert response["ETag"] == alice_api.get(f"{API}/persons/{alices_person.pk}")["ETag"]


def test_two_clients_the_second_put_on_a_person_gets_412_and_the_first_change_stays(alice, alice_api, alices_person):
    url = f"{API}/persons/{alices_person.pk}"
    first_etag = alice_api.get(url)["ETag"]
    second_etag = api_client_for(alice).get(url)["ETag"]
    first = call(
        alice_api,
        "PUT",
        f"/persons/{alices_person.pk}",
        person_body(alices_person, city="Grangärde"),
        if_match=first_etag,
    )
    assert first.status_code == 200
    mark = log_mark()
    second = call(
        alice_api,
        "PUT",
        f"/persons/{alices_person.pk}",
        person_body(alices_person, last_name="Skrivöver"),
        if_match=second_etag,
    )
    assert second.status_code == 412
    assert set(second.json()) == {"detail"}
    assert STALE in second.json()["detail"]
    assert logged_since(mark) == []
    alices_person.refresh_from_db()
    assert (alices_person.city, alices_person.last_name) == ("Grangärde", "Provsson")
    assert PersonChange.objects.filter(person=alices_person, kind="changed").count() == 1


def test_a_person_put_without_if_match_gets_428_and_saves_nothing(alice_api, alices_person):
    response = call(alice_api, "PUT", f"/persons/{alices_person.pk}", person_body(alices_person, last_name="Utan"))
    assert response.status_code == 428
    assert MISSING in response.json()["detail"]
    alices_person.refresh_from_db()
    assert alices_person.last_name == "Provsson"


def test_a_change_on_the_page_makes_the_apis_etag_stale(alice, alice_api, alices_person):
    etag = alice_api.get(f"{API}/persons/{alices_person.pk}")["ETag"]
    page = client_for(alice).post(
        reverse("people:edit", args=[alices_person.pk]),
        {
            "version": person_form_version(alice, alices_person),
            "id_type": alices_person.id_type,
            "id_number": alices_person.id_number,
            "first_name": "Från sidan",
            "last_name": alices_person.last_name,
            "gender": alices_person.gender,
            "protection": alices_person.protection,
        },
    )
    assert page.status_code == 302
    response = call(alice_api, "PUT", f"/persons/{alices_person.pk}", person_body(alices_person), if_match=etag)
    assert response.status_code == 412
    alices_person.refresh_from_db()
    assert alices_person.first_name == "Från sidan"


def test_a_garbled_or_weak_if_match(alice_api, alices_person):
    url = f"/persons/{alices_person.pk}"
    etag = alice_api.get(f"{API}{url}")["ETag"]
    assert call(alice_api, "PUT", url, person_body(alices_person), if_match="*").status_code == 412
    assert call(alice_api, "PUT", url, person_body(alices_person), if_match=f"{etag}, {etag}").status_code == 412
    assert call(alice_api, "PUT", url, person_body(alices_person), if_match=f"W/{etag}").status_code == 200


def test_an_enrolment_answers_an_etag_also_in_lists_and_a_put_with_it_answers_the_new_one(alice_api, alices_person):
    enrolment = alices_person.enrolments.get()
    mark = log_mark()
    got = alice_api.get(f"{API}/enrolments/{enrolment.pk}")
    assert got.status_code == 200
    assert logged_since(mark) == [("person.viewed", "alice", str(alices_person.pk))]
    etag = got["ETag"]
    assert got.json()["etag"] == etag
    listed = alice_api.get(f"{API}/persons/{alices_person.pk}/enrolments").json()
    assert [item["etag"] for item in listed] == [etag]
    response = call(alice_api, "PUT", f"/enrolments/{enrolment.pk}", _enrolment_body(status="vilande"), if_match=etag)
    assert response.status_code == 200
    assert response["ETag"] == response.json()["etag"] != etag


def test_two_clients_the_second_put_on_an_enrolment_gets_412_and_the_first_change_stays(
    alice, alice_api, alices_person
):
    enrolment = alices_person.enrolments.get()
    url = f"/enrolments/{enrolment.pk}"
    first_etag = alice_api.get(API + url)["ETag"]
    second_etag = api_client_for(alice).get(API + url)["ETag"]
    body = _enrolment_body(status="vilande")
    assert call(alice_api, "PUT", url, body, if_match=first_etag).status_code == 200
    second = call(alice_api, "PUT", url, _enrolment_body(status="planerad"), if_match=second_etag)
    assert second.status_code == 412
    assert STALE in second.json()["detail"]
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.PAUSED


def test_an_enrolment_put_without_if_match_gets_428_and_saves_nothing(alice_api, alices_person):
    enrolment = alices_person.enrolments.get()
    response = call(alice_api, "PUT", f"/enrolments/{enrolment.pk}", _enrolment_body(status="vilande"))
    assert response.status_code == 428
    assert MISSING in response.json()["detail"]
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE


def test_the_schema_documents_etag_412_and_428(client, db):
    schema = client.get(f"{API}/openapi.json").json()
    for path in ("/api/v1/persons/{person_id}", "/api/v1/enrolments/{enrolment_id}"):
        put = schema["paths"][path]["put"]
        assert {"412", "428"} <= set(put["responses"])
        assert "If-Match" in [p["name"] for p in put["parameters"] if p["in"] == "header"]
        assert "ETag" in put["responses"]["200"]["headers"]
        assert "ETag" in schema["paths"][path]["get"]["responses"]["200"]["headers"]
