"""Bearer tokens: the only way in. Anonymous, unknown, revoked and session callers get 401 JSON."""

import uuid

import pytest
from django.test import Client
from django.utils import timezone

from conftest import ctx_for
from vagval.accounts.models import ApiToken
from vagval.accounts.services import api_token_revoke
from vagval.accounts.tests.factories import api_token_create
from vagval.api.tests.helpers import API, api_client_for, call, log_mark, logged_since

# Every operation, with a placeholder id: authentication is checked before anything else.
SOME_ID = "00000000-0000-4000-8000-000000000000"
OPERATIONS = [
    ("GET", "/persons"),
    ("POST", "/persons"),
    ("POST", "/persons/search"),
    ("GET", f"/persons/{SOME_ID}"),
    ("PUT", f"/persons/{SOME_ID}"),
    ("GET", f"/persons/{SOME_ID}/enrolments"),
    ("POST", f"/persons/{SOME_ID}/enrolments"),
    ("GET", f"/enrolments/{SOME_ID}"),
    ("PUT", f"/enrolments/{SOME_ID}"),
]


def assert_401(response):
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert set(body) == {"detail"}
    assert "API-nyckel" in body["detail"]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_anonymous_gets_401_on_every_operation(db, method, path):
    assert_401(call(Client(), method, path, {} if method in {"POST", "PUT"} else None))


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_an_unknown_token_gets_401_on_every_operation(db, method, path):
    client = Client(headers={"Authorization": "Bearer vv_detta-ar-ingen-nyckel"})
    assert_401(call(client, method, path, {} if method in {"POST", "PUT"} else None))


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer ", "Basic YWxpY2U6aGVtbGln", "Token vv_x", "vv_x"])
def test_malformed_authorization_headers_get_401(db, header):
    assert_401(Client(headers={"Authorization": header}).get(f"{API}/persons"))


def test_a_revoked_token_gets_401(alice, alices_person):
    token = api_token_create(user=alice)
    api_token_revoke(ctx=ctx_for(alice), token=ApiToken.objects.get(user=alice))
    assert_401(Client(headers={"Authorization": f"Bearer {token}"}).get(f"{API}/persons"))


def test_an_expired_token_gets_401(alice, alices_person):
    token = api_token_create(user=alice)
    ApiToken.objects.filter(user=alice).update(expires_at=timezone.now())
    assert_401(Client(headers={"Authorization": f"Bearer {token}"}).get(f"{API}/persons"))


def test_a_token_of_a_deactivated_user_gets_401(alice, alices_person):
    client = api_client_for(alice)
    alice.is_active = False
    alice.save()
    assert_401(client.get(f"{API}/persons"))


def test_a_logged_in_browser_session_is_not_enough(alice_client, alices_person):
    """The API has no cookie authentication, so cross-site requests cannot ride on a session."""
    assert_401(alice_client.get(f"{API}/persons"))
    assert_401(alice_client.get(f"{API}/persons/{alices_person.pk}"))


def test_a_valid_token_works_and_is_marked_as_used(alice, alices_person):
    client = api_client_for(alice)
    response = client.get(f"{API}/persons")
    assert response.status_code == 200
    assert ApiToken.objects.get(user=alice).last_used_at is not None


def test_the_token_owner_is_the_user_in_the_access_log(alice, alices_person):
    client = api_client_for(alice)
    mark = log_mark()
    client.get(f"{API}/persons/{alices_person.pk}")
    assert logged_since(mark) == [("person.viewed", "alice", str(alices_person.pk))]


def test_a_write_with_a_token_needs_no_csrf_token(alice, project):
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {api_token_create(user=alice)}"})
    response = call(client, "POST", "/persons/search", {"query": "Moa"})
    assert response.status_code == 200


def test_unauthenticated_requests_write_nothing_to_the_access_log(db, alices_person):
    mark = log_mark()
    Client().get(f"{API}/persons/{alices_person.pk}")
    Client().get(f"{API}/persons")
    assert logged_since(mark) == []


def test_the_openapi_schema_is_public(db):
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Vägval API"
    assert schema["info"]["version"] == "1"
    assert schema["components"]["securitySchemes"] == {"ApiTokenAuth": {"type": "http", "scheme": "bearer"}}


def test_unknown_ids_do_not_reveal_anything_to_anonymous_callers(db):
    assert_401(Client().get(f"{API}/persons/{uuid.uuid4()}"))
