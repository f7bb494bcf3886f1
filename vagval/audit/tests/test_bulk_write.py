"""Many entries go in by COPY on PostgreSQL (common.sql.write_rows), few by executemany: the
entries are the same either way, on both databases (on SQLite both are executemany)."""

import uuid

import pytest

from conftest import ctx_for
from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.audit.services import access_log_record_many
from vagval.common import sql

_COMPARED = ("user_id", "username", "unit_id", "role", "action", "basis", "consent_id", "detail", "client_address")


def _written(alice, grants, threshold, monkeypatch):
    monkeypatch.setattr(sql, "COPY_FROM_ROWS", threshold)
    before = set(AccessLogEntry.objects.values_list("pk", flat=True))
    access_log_record_many(ctx=ctx_for(alice), action="person.listed", grants=grants, detail={"sida": "lista"})
    entries = AccessLogEntry.objects.exclude(pk__in=before).order_by("person_id")
    return [(e.person_id, *(getattr(e, name) for name in _COMPARED)) for e in entries]


@pytest.mark.parametrize("rows", [1, 3])
def test_copy_and_executemany_write_the_same_entries(alice, monkeypatch, rows):
    grants = [(uuid.uuid4(), AccessBasis.OWN_UNIT, None) for _ in range(rows)]
    grants.append((uuid.uuid4(), AccessBasis.CONSENT, uuid.uuid4()))

    by_copy = _written(alice, grants, 1, monkeypatch)
    by_executemany = _written(alice, grants, 10**9, monkeypatch)

    assert by_copy == by_executemany
    assert len(by_copy) == rows + 1
    assert {entry[0] for entry in by_copy} == {person_id for person_id, _b, _c in grants}
