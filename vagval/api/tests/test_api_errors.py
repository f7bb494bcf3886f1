"""One error format for every error, documented on every operation; never a 500 for bad input."""

import datetime as dt

import pytest

from vagval.api.tests.helpers import API, api_client_for, call, new_person_body
from vagval.people.models import Person
from vagval.people.tests.factories import make_personnummer


@pytest.fixture
def alice_api(alice):
    return api_client_for(alice)


def assert_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert set(body) <= {"detail", "errors"}
    return body


@pytest.mark.parametrize("raw", [b"{", b'{"first_name": "Nora",}', b"inte json", b'{"first_name": "\xff"}'])
def test_malformed_json_gets_400(alice_api, project, raw):
    body = assert_error(call(alice_api, "POST", "/persons", raw), 400)
    assert body == {"detail": "Begäran kunde inte tolkas. Skicka giltig JSON."}


def test_malformed_json_gets_400_on_every_body_operation(alice_api, alices_person):
    enrolment = alices_person.enrolments.get()
    for method, path in [
        ("POST", "/persons/search"),
        ("PUT", f"/persons/{alices_person.pk}"),
        ("POST", f"/persons/{alices_person.pk}/enrolments"),
        ("PUT", f"/enrolments/{enrolment.pk}"),
    ]:
        assert_error(call(alice_api, method, path, "{"), 400)


def test_an_unknown_field_gets_422(alice_api, project):
    body = assert_error(call(alice_api, "POST", "/persons", new_person_body(project, nickname="Nono")), 422)
    assert body["errors"] == {"nickname": ["Okänt fält."]}
    assert Person.objects.count() == 0


def test_missing_fields_get_422_per_field_in_swedish(alice_api, project):
    body = assert_error(call(alice_api, "POST", "/persons", {"id_type": "none"}), 422)
    assert body["detail"] == "Uppgifterna innehåller fel."
    assert body["errors"] == {
        "first_name": ["Fältet måste fyllas i."],
        "last_name": ["Fältet måste fyllas i."],
        "project_id": ["Fältet måste fyllas i."],
        "starts_on": ["Fältet måste fyllas i."],
    }


def test_wrong_types_enums_dates_and_lengths_get_422_per_field(alice_api, project):
    body = new_person_body(
        project,
        id_type="pass",
        gender="okänt",
        first_name="x" * 101,
        starts_on="1 februari",
        coach_id="alice",
        email="inte-en-adress",
        home_municipality_code="Ludvika",
    )
    errors = assert_error(call(alice_api, "POST", "/persons", body), 422)["errors"]
    assert set(errors) == {
        "id_type",
        "gender",
        "first_name",
        "starts_on",
        "coach_id",
        "email",
        "home_municipality_code",
    }
    assert errors["first_name"] == ["Högst 100 tecken."]
    assert errors["starts_on"] == ["Ange ett datum som ÅÅÅÅ-MM-DD."]
    assert "'personnummer'" in errors["id_type"][0]
    assert errors["email"] == ["Ange en giltig e-postadress."]


def test_control_characters_are_refused(alice_api, project):
    errors = assert_error(call(alice_api, "POST", "/persons", new_person_body(project, last_name="A\x00B")), 422)
    assert list(errors["errors"]) == ["last_name"]


def test_a_json_body_that_is_not_an_object_gets_422(alice_api, project):
    body = assert_error(call(alice_api, "POST", "/persons", [1, 2]), 422)
    assert body["errors"] == {"__all__": ["Skicka ett JSON-objekt."]}


def test_an_empty_body_gets_422(alice_api, project):
    response = alice_api.post(f"{API}/persons", data="", content_type="application/json")
    assert assert_error(response, 422)["errors"] == {"__all__": ["Fältet måste fyllas i."]}


def test_a_bad_check_digit_gets_422_without_echoing_the_number(alice_api, project):
    good = make_personnummer(dt.date(2006, 5, 1), 123)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    response = call(alice_api, "POST", "/persons", new_person_body(project, id_number=bad))
    body = assert_error(response, 422)
    assert "kontrollsiffran" in body["errors"]["id_number"][0]
    assert bad not in response.content.decode()
    assert bad[:8] not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("offset=-1", "offset"),
        ("status=okand", "status"),
        ("mine=kanske", "mine"),
        ("project_id=abc", "project_id"),
    ],
)
def test_bad_query_parameters_get_422(alice_api, query, field):
    body = assert_error(alice_api.get(f"{API}/persons?{query}"), 422)
    assert list(body["errors"]) == [field]


def test_an_invalid_uuid_in_the_path_gets_422(alice_api):
    body = assert_error(alice_api.get(f"{API}/persons/inte-ett-id"), 422)
    assert list(body["errors"]) == ["person_id"]


def test_an_unknown_path_gets_404_json(alice_api):
    assert_error(alice_api.get(f"{API}/personer"), 404)
    assert_error(call(alice_api, "POST", "/nagot/annat/", {}), 404)


def test_an_unsupported_method_gets_405_json(alice_api):
    response = alice_api.delete(f"{API}/persons")
    assert assert_error(response, 405) == {"detail": "Metoden är inte tillåten här."}
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_the_api_root_points_to_the_schema(db, client):
    response = client.get(f"{API}/")
    assert response.status_code == 200
    assert response.json()["openapi"].endswith("/api/v1/openapi.json")


def test_every_operation_documents_the_error_format(client, db):
    schema = client.get(f"{API}/openapi.json").json()
    assert schema["components"]["schemas"]["ErrorOut"]["required"] == ["detail"]
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    assert len(operations) >= 14  # persons, enrolments, referrals, plan steps, and more as apps add theirs
    for path, method, operation in operations:
        documented = set(operation["responses"])
        expected = {"400", "401", "403", "422"} | ({"404"} if "{" in path else set())
        if method in {"put", "patch"}:
            expected |= {"412", "428"}
        assert expected <= documented, (method, path)
        for status in expected:
            content = operation["responses"][status]["content"]["application/json"]["schema"]
            assert content == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, status)
        assert operation["security"] == [{"ApiTokenAuth": []}]


# Every query parameter of the API, checked to be no way of putting an identity number in an
# address (name searches in `q` refuse digits; numbers are searched with POST /persons/search).
QUERY_PARAMETERS = {"limit", "offset", "q", "project_id", "status", "mine", "riktning"} | {
    # catalogue: the offer list's filters
    "kind",
    "municipality",
    "ssyk_area",
    "period_from",
    "period_to",
    "free_only",
    # placements: filters by opaque keys; ESF+ indicators: the period's dates
    "person_id",
    "offer_id",
    "from",
    "to",
}


def test_no_operation_takes_an_identity_number_in_the_url(client, db):
    schema = client.get(f"{API}/openapi.json").json()
    for item in schema["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                assert "number" not in parameter["name"]
                if parameter["in"] == "header":
                    assert parameter["name"] == "If-Match"
                elif parameter["in"] == "path":
                    # Every record in a path is named by its opaque key, never by a number.
                    assert parameter["name"].endswith("_id")
                    assert parameter["schema"]["format"] == "uuid", parameter
                else:
                    assert parameter["name"] in QUERY_PARAMETERS, parameter["name"]


def test_a_too_large_body_gets_400(alice_api):
    raw = b'{"query": "' + b"a" * 3_000_000 + b'"}'
    assert assert_error(call(alice_api, "POST", "/persons/search", raw), 400) == {"detail": "Begäran är för stor."}


def test_deeply_nested_json_gets_400(alice_api):
    assert_error(call(alice_api, "POST", "/persons/search", b"[" * 100_000 + b"]" * 100_000), 400)


def test_an_unexpected_error_is_a_json_500_and_its_log_has_no_identity_number(alice_api, monkeypatch, caplog):
    number = make_personnummer(dt.date(2006, 5, 1), 123)

    def broken(**kwargs):
        raise RuntimeError(f"Failing row contains ({number})")

    monkeypatch.setattr("vagval.people.selectors.person_search", broken)
    response = call(alice_api, "POST", "/persons/search", {"query": "Moa"})
    assert assert_error(response, 500) == {"detail": "Ett oväntat fel inträffade. Försök igen senare."}
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "vagval.api")
    assert "RuntimeError" in logged
    assert number not in logged
    assert number not in response.content.decode()
