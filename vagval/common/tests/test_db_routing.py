"""Reports and exports read from the replica when there is one; nothing is ever written there."""

from django.db import router
from django.urls import reverse

from conftest import ctx_for
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.audit.models import AccessLogEntry
from vagval.audit.services import access_log_record
from vagval.common import db_routing
from vagval.common.db_routing import PRIMARY, REPLICA, reporting_reads
from vagval.people.models import Person


def test_without_reporting_reads_everything_goes_to_the_primary(settings):
    settings.REPLICA_READS = True
    assert router.db_for_read(Person) == PRIMARY
    assert router.db_for_write(Person) == PRIMARY


def test_reporting_reads_go_to_the_replica_and_writes_never(settings):
    settings.REPLICA_READS = True
    with reporting_reads():
        assert router.db_for_read(Person) == REPLICA
        assert router.db_for_write(Person) == PRIMARY
        assert router.db_for_write(AccessLogEntry) == PRIMARY
    assert router.db_for_read(Person) == PRIMARY


def test_without_a_replica_reporting_reads_stay_on_the_primary(settings):
    settings.REPLICA_READS = False
    with reporting_reads():
        assert router.db_for_read(Person) == PRIMARY


def test_migrations_run_only_on_the_primary():
    assert router.allow_migrate(PRIMARY, "people")
    assert not router.allow_migrate(REPLICA, "people")


def _spy_on_reads(monkeypatch) -> list[tuple[str, bool]]:
    """Record each read's model and whether it ran inside reporting_reads (all still on the primary)."""
    seen: list[tuple[str, bool]] = []

    def db_for_read(self, model, **hints):
        seen.append((model._meta.label, db_routing._reporting.get()))
        return PRIMARY

    monkeypatch.setattr(db_routing.ReplicaRouter, "db_for_read", db_for_read)
    return seen


def test_the_caseload_export_reads_its_persons_as_a_report(monkeypatch, alice_client, alices_person):
    seen = _spy_on_reads(monkeypatch)
    assert alice_client.get(reverse("people:export")).status_code == 200
    assert ("people.Person", True) in seen


def test_the_access_log_export_streams_its_rows_as_a_report(monkeypatch, dana, alice, alices_person):
    access_log_record(ctx=ctx_for(alice), action="person.viewed", person_id=alices_person.pk)
    seen = _spy_on_reads(monkeypatch)
    response = verified_admin_client(dana).get(reverse("audit:log_export"))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert ("audit.AccessLogEntry", True) in seen
