"""The access log is append-only: the model and queryset refuse changes on every database, and on
PostgreSQL a trigger (audit migration 0002) refuses raw SQL UPDATE and DELETE in the database itself."""

import pytest
from django.db import DatabaseError, connection, transaction

from vagval.audit.models import AccessLogEntry, AppendOnlyError
from vagval.audit.services import AccessContext, access_log_record

pytestmark = pytest.mark.django_db

requires_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the append-only trigger exists only on PostgreSQL (run: scripts/with-postgres.sh .venv/bin/pytest)",
)


@pytest.fixture
def entry(alice, alices_person) -> AccessLogEntry:
    return access_log_record(
        ctx=AccessContext(user=alice, client_address="127.0.0.1"),
        action="person.viewed",
        person_id=alices_person.pk,
    )


def test_saving_an_existing_entry_again_raises_append_only_error(entry):
    entry.action = "person.changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    entry.refresh_from_db()
    assert entry.action == "person.viewed"


def test_deleting_an_entry_raises_append_only_error(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


def test_queryset_update_raises_append_only_error(entry):
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(action="person.changed")
    entry.refresh_from_db()
    assert entry.action == "person.viewed"


def test_queryset_delete_raises_append_only_error(entry):
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


@requires_postgresql
@pytest.mark.postgresql
def test_the_append_only_trigger_is_installed_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_accesslogentry'::regclass AND NOT tgisinternal"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert "audit_access_log_append_only" in names


@requires_postgresql
@pytest.mark.postgresql
def test_raw_sql_update_on_the_access_log_fails_in_the_database(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_accesslogentry SET action = %s WHERE id = %s", ["person.changed", entry.pk])
    entry.refresh_from_db()
    assert entry.action == "person.viewed"


@requires_postgresql
@pytest.mark.postgresql
def test_raw_sql_delete_on_the_access_log_fails_in_the_database(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [entry.pk])
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


@requires_postgresql
@pytest.mark.postgresql
def test_new_entries_can_still_be_written_with_the_trigger_in_place(entry):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audit_accesslogentry")
        before = cursor.fetchone()[0]
    access_log_record(ctx=AccessContext(user=entry.user), action="person.viewed", person_id=entry.person_id)
    assert AccessLogEntry.objects.count() == before + 1
