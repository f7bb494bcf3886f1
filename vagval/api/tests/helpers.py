"""Helpers for API tests: a client that sends a bearer token (and no cookies), and request bodies."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client

from vagval.accounts.models import User
from vagval.accounts.tests.factories import api_token_create
from vagval.audit.models import AccessLogEntry
from vagval.organisations.models import Project
from vagval.people.models import Person
from vagval.people.tests.factories import make_personnummer

API = "/api/v1"


def api_client_for(user: User) -> Client:
    token = api_token_create(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {token}"})


def call(client: Client, method: str, path: str, body: Any = None, *, if_match: str | None = None) -> Any:
    """Call the API; a body that is not already a string or bytes is sent as JSON."""
    kwargs: dict[str, Any] = {}
    if body is not None:
        raw = body if isinstance(body, str | bytes) else json.dumps(body)
        kwargs = {"data": raw, "content_type": "application/json"}
    if if_match is not None:
        kwargs["headers"] = {"If-Match": if_match}
    return getattr(client, method.lower())(API + path, **kwargs)


def person_etag(viewer: User, person: Person) -> str:
    """The ETag GET /persons/{id} would answer the viewer now (without logging a view)."""
    from vagval.people.tests.versions import person_form_version

    return f'"{person_form_version(viewer, person)}"'


def enrolment_etag(enrolment: Any) -> str:
    """The ETag GET /enrolments/{id} would answer now (without logging a view)."""
    from vagval.people.tests.versions import enrolment_form_version

    return f'"{enrolment_form_version(enrolment)}"'


def new_person_body(project: Project, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id_type": "personnummer",
        "id_number": make_personnummer(dt.date(2006, 5, 1), 123),
        "first_name": "Nora",
        "last_name": "Exempel",
        "gender": "kvinna",
        "address": "Provvägen 3",
        "postal_code": "77131",
        "city": "Ludvika",
        "phone": "070-111 11 11",
        "email": "nora@example.org",
        "home_municipality_code": "2085",
        "project_id": str(project.pk),
        "starts_on": "2026-02-01",
    }
    body.update(overrides)
    return body


def person_body(person: Person, **overrides: Any) -> dict[str, Any]:
    """A complete PUT body for `person`, unchanged unless overridden."""
    body: dict[str, Any] = {
        "id_type": person.id_type,
        "id_number": person.id_number,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_date": person.birth_date.isoformat() if person.birth_date else None,
        "gender": person.gender,
        "protection": person.protection,
        "address": person.address,
        "postal_code": person.postal_code,
        "city": person.city,
        "phone": person.phone,
        "email": person.email,
        "home_municipality_code": person.home_municipality_id,
    }
    body.update(overrides)
    return body


def log_mark() -> int:
    """The newest access-log entry's id, to compare against after a request."""
    last = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first()
    return last or 0


def logged_since(mark: int) -> list[tuple[str, str, str]]:
    """(action, username, person id) of the access-log entries written after `mark`, oldest first."""
    return [(e.action, e.username, str(e.person_id)) for e in AccessLogEntry.objects.filter(id__gt=mark).order_by("id")]
