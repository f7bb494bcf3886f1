"""The access log partitioned by month on PostgreSQL (audit migration 0005, common.sql): entries
land in their month's partition, the worker's job makes partitions ahead (once, however many
workers run), stray rows in the default partition move into a new month's partition, the
retention rule drops whole partitions, and the rebuild keeps rows, indexes and triggers."""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import ctx_for
from vagval.accounts.system import SystemActor, system_context
from vagval.audit.models import AccessLogEntry, AccessLogRemoval
from vagval.audit.retention_services import access_log_partitions_ensure, access_log_retention_apply
from vagval.audit.selectors import LogFilters, log_entries
from vagval.audit.services import access_log_record
from vagval.common import sql
from vagval.worklist import jobs
from vagval.worklist.models import JobRun

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="partitions exist only on PostgreSQL (run: scripts/with-postgres.sh .venv/bin/pytest)",
    ),
]
TABLE = "audit_accesslogentry"
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def _rows(statement: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return list(cursor.fetchall())


def _run(statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement)


def _partition_of(entry: AccessLogEntry) -> str:
    return _rows(f"SELECT tableoid::regclass::text FROM {TABLE} WHERE id = %s", [entry.pk])[0][0]  # noqa: S608


def _names() -> set[str]:
    return {p.name for p in sql.month_partitions(connection, TABLE)}


def _entry_at(monkeypatch, user, moment: dt.datetime) -> AccessLogEntry:
    monkeypatch.setattr(timezone, "now", lambda: moment)
    entry = access_log_record(ctx=ctx_for(user), action="person.viewed")
    monkeypatch.undo()
    return entry


@pytest.mark.django_db
def test_the_log_is_partitioned_by_month_with_id_and_time_as_its_key():
    assert sql.is_partitioned(connection, TABLE)
    key = _rows(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
        [TABLE],
    )
    assert [name for (name,) in key] == ["id", "at"]
    this_month = timezone.localdate().replace(day=1)
    assert {sql.month_partition_name(TABLE, sql.add_months(this_month, n)) for n in range(4)} <= _names()
    assert _rows("SELECT 1 FROM pg_class WHERE relname = %s", [f"{TABLE}_default"])


@pytest.mark.django_db
def test_an_entry_lands_in_its_months_partition(alice):
    entry = access_log_record(ctx=ctx_for(alice), action="person.viewed")
    assert _partition_of(entry) == sql.month_partition_name(TABLE, timezone.localdate())


@pytest.mark.django_db
def test_partitions_are_made_ahead_and_a_second_run_makes_none():
    made = access_log_partitions_ensure(today=dt.date(2032, 11, 20))

    assert made == [f"{TABLE}_p2032_11", f"{TABLE}_p2032_12", f"{TABLE}_p2033_01", f"{TABLE}_p2033_02"]
    assert access_log_partitions_ensure(today=dt.date(2032, 11, 21)) == []
    assert set(made) <= _names()


@pytest.mark.django_db
def test_a_partition_starts_at_local_midnight_on_the_first(monkeypatch, alice):
    access_log_partitions_ensure(today=dt.date(2032, 3, 1), months_ahead=1)
    before = _entry_at(monkeypatch, alice, dt.datetime(2032, 3, 31, 23, 59, tzinfo=STOCKHOLM))
    after = _entry_at(monkeypatch, alice, dt.datetime(2032, 4, 1, 0, 0, tzinfo=STOCKHOLM))

    assert _partition_of(before) == f"{TABLE}_p2032_03"
    assert _partition_of(after) == f"{TABLE}_p2032_04"


@pytest.mark.django_db
def test_entries_without_a_partition_go_to_the_default_and_move_when_their_month_is_made(monkeypatch, alice):
    stray = _entry_at(monkeypatch, alice, dt.datetime(2040, 5, 6, 12, 0, tzinfo=STOCKHOLM))
    other = _entry_at(monkeypatch, alice, dt.datetime(2040, 7, 6, 12, 0, tzinfo=STOCKHOLM))
    assert _partition_of(stray) == f"{TABLE}_default"

    assert sql.month_partition_create(connection, TABLE, dt.date(2040, 5, 1))

    assert _partition_of(stray) == f"{TABLE}_p2040_05"
    assert _partition_of(other) == f"{TABLE}_default"
    assert AccessLogEntry.objects.filter(pk=stray.pk).get().action == "person.viewed"
    # The default partition is attached again, with the append-only trigger.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}_default")  # noqa: S608


@pytest.mark.django_db
def test_retention_drops_the_old_months_partition_whole_and_records_it(monkeypatch, alice):
    access_log_partitions_ensure(today=dt.date(2026, 2, 1), months_ahead=4)
    _entry_at(monkeypatch, alice, dt.datetime(2026, 2, 10, tzinfo=STOCKHOLM))
    _entry_at(monkeypatch, alice, dt.datetime(2026, 2, 11, tzinfo=STOCKHOLM))
    kept = _entry_at(monkeypatch, alice, dt.datetime(2026, 3, 10, tzinfo=STOCKHOLM))

    removals = access_log_retention_apply(today=dt.date(2026, 6, 15), ctx=system_context(SystemActor.NIGHTLY), months=3)

    assert [(r.partition, r.rows) for r in removals] == [(f"{TABLE}_p2026_02", 2)]
    assert f"{TABLE}_p2026_02" not in _names()
    assert f"{TABLE}_p2026_03" in _names()
    assert AccessLogEntry.objects.filter(pk=kept.pk).exists()
    assert AccessLogRemoval.objects.get().rule == "ACCESS_LOG_RETENTION_MONTHS=3"


@pytest.mark.django_db
def test_dropping_refuses_a_table_that_is_not_a_month_partition():
    with pytest.raises(ValueError, match="not a month partition"):
        sql.partition_drop(connection, TABLE, f"{TABLE}_default")


@pytest.mark.django_db
def test_the_log_reviews_person_search_reads_the_person_index_of_each_partition(alices_person):
    # Plans on near-empty tables (e.g. after a transactional test emptied them) prefer a
    # sequential scan however good the index; turned off here, a plan without a usable index
    # still shows one.
    query = log_entries(viewer=_admin(), filters=LogFilters(person_id=alices_person.pk))[:100].query
    text, params = query.sql_with_params()
    with transaction.atomic():
        _run("SET LOCAL enable_seqscan = off")
        plan = "\n".join(row[0] for row in _rows(f"EXPLAIN {text}", list(params)))
    assert "person_id_at_idx" in plan
    assert "Seq Scan" not in plan


@pytest.mark.django_db
def test_a_users_entries_can_be_counted_from_the_user_name_index_alone():
    # The review's page count for one user; at 50 million entries a count that visits the table
    # reads one block per entry (benchmarks/bench_access_log.py). Plans on empty tables prefer
    # other scans, so those are turned off for this transaction.
    entries = log_entries(viewer=_admin(), filters=LogFilters(username="Alice"))
    with CaptureQueriesContext(connection) as queries:
        entries.count()
    with transaction.atomic():
        _run("SET LOCAL enable_seqscan = off")
        _run("SET LOCAL enable_bitmapscan = off")
        plan = "\n".join(row[0] for row in _rows(f"EXPLAIN {queries[-1]['sql']}"))
    # Only the user-name index can answer upper(username) without visiting the table.
    assert "Index Only Scan" in plan
    assert "Seq Scan" not in plan


def _admin():
    from vagval.accounts.models import Role, User

    return User.objects.create(username="granskare", role=Role.ADMIN)


@pytest.mark.django_db
def test_the_rebuild_keeps_rows_indexes_and_triggers_and_can_be_undone():
    _run(
        """CREATE TABLE scratch_log (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
               at timestamptz NOT NULL, note text NOT NULL);
           CREATE INDEX scratch_log_note ON scratch_log (note, at);
           CREATE TRIGGER scratch_log_no_update BEFORE UPDATE ON scratch_log
               FOR EACH ROW EXECUTE FUNCTION audit_access_log_append_only();
           INSERT INTO scratch_log (at, note) VALUES ('2030-01-15', 'a'), ('2030-03-15', 'b')"""
    )

    sql.table_partition_by_month(connection, "scratch_log", [dt.date(2030, 4, 1)])

    assert sql.is_partitioned(connection, "scratch_log")
    assert {p.name for p in sql.month_partitions(connection, "scratch_log")} == {
        "scratch_log_p2030_01",
        "scratch_log_p2030_03",
        "scratch_log_p2030_04",
    }
    assert _rows("SELECT id, note FROM scratch_log ORDER BY id") == [(1, "a"), (2, "b")]
    assert _rows("SELECT 1 FROM pg_indexes WHERE indexname = 'scratch_log_note'")
    assert _rows("INSERT INTO scratch_log (at, note) VALUES ('2030-04-02', 'c') RETURNING id") == [(3,)]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _run("UPDATE scratch_log SET note = 'x'")

    sql.table_unpartition(connection, "scratch_log")

    assert not sql.is_partitioned(connection, "scratch_log")
    assert _rows("SELECT id, note FROM scratch_log ORDER BY id") == [(1, "a"), (2, "b"), (3, "c")]
    assert _rows("SELECT 1 FROM pg_indexes WHERE indexname = 'scratch_log_note'")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _run("UPDATE scratch_log SET note = 'x'")


# Serialized rollback: the flush after this test then leaves the content types to be restored
# as they were, so that a later test with serialized rollback (the backup's) loads them cleanly.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_partition_job_runs_once_when_two_workers_reach_it_together():
    job = jobs.job_for("atkomstlogg_partitioner")
    day = dt.date(2034, 1, 10)
    start = threading.Barrier(2)
    results: dict[str, object] = {}

    def worker(name):
        try:
            start.wait()
            results[name] = jobs.job_run(job=job, period=day.isoformat(), day=day, worker=name)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("a", "b")]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert sorted(run is None for run in results.values()) == [False, True]
        run = JobRun.objects.get(job=job.name)
        assert run.status == "klar", run.error
        assert run.summary.startswith("4 nya partitioner")
        assert {f"{TABLE}_p2034_0{n}" for n in (1, 2, 3, 4)} <= _names()
    finally:
        # Made outside a test transaction: gone again, for the tests after this one.
        for name in sorted(_names()):
            if name >= f"{TABLE}_p2034_01":
                sql.partition_drop(connection, TABLE, name)
