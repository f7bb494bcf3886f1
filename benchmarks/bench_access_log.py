"""Figure: the access log at national size (PostgreSQL, partitioned by month).

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/bench_access_log.py [--rows 50000000]

In its own databases on the server DATABASE_URL names (vagval_bench_accesslog, made afresh
unless --reuse, and vagval_bench_accesslog_empty):

1. The log filled to --rows entries set-based (INSERT … SELECT generate_series), spread over the
   last 12 months (a month partition each) among 1,000,000 persons and 5,000 users, then
   VACUUM ANALYZE (as autovacuum would). --reuse keeps the log of an earlier run.
2. 10,000 entries written through the real write path (`access_log_record_many`, 200 list
   pages of 50 entries, each in its own transaction as a page writes them), in turn into an
   empty log (a second database, vagval_bench_accesslog_empty) and into the full one, three
   rounds after a warm-up: the ratio of the medians, full to empty, is the figure (≤ 1.2).
4. The log review's search (`audit.selectors.access_log_search`, what the audit page runs: the
   first page of 100 entries, the total count and the page's own log entries) for one person,
   200 random persons, and for one user, 200 random users: p95 under 100 ms is the figure.

Printed: the times and the ratio, and the plans PostgreSQL chose for the two searches.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import statistics
import sys
import time
import uuid

import _common

PERSONS = 1_000_000
USERS = 5_000
MONTHS = 12
CHUNK = 2_000_000
INSERTS = 10_000
PAGE = 50
SEARCHES = 200
TARGET_SEARCH_MS = 100.0
TARGET_INSERT_RATIO = 1.2


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000_000, help="entries in the full log (default 50,000,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="keep a log filled by an earlier run (skip the fill)")
    return parser.parse_args()


FULL = "vagval_bench_accesslog"
EMPTY = "vagval_bench_accesslog_empty"


def _setup(*, reuse: bool) -> None:
    """Both databases made and migrated; Django set up on the full one."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench_access_log needs PostgreSQL: set DATABASE_URL (e.g. via scripts/with-postgres.sh)")
    _common._create_postgres_database(url, FULL, fresh=not reuse)
    _common._create_postgres_database(url, EMPTY, fresh=True)
    os.environ["DATABASE_URL"] = _common._postgres_url(url, FULL)
    os.environ["DJANGO_SETTINGS_MODULE"] = "vagval.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    for name in (EMPTY, FULL):
        _use(name)
        call_command("migrate", interactive=False, verbosity=0)


def _use(name: str) -> None:
    """Point the default connection at another database on the same server: the service writes
    through `default`, so the empty and the full log are measured by the same code in turn."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = name


def person_id(number: int) -> uuid.UUID:
    """Benchmark person `number`'s id: the same md5 the fill computes in SQL."""
    return uuid.UUID(hashlib.md5(f"person{number}".encode(), usedforsecurity=False).hexdigest())


def _admin():
    from vagval.accounts.models import Role, User
    from vagval.audit.services import AccessContext
    from vagval.organisations.models import Organisation, OrganisationKind, Unit

    org, _ = Organisation.objects.get_or_create(name="Benchmarkorganisationen", kind=OrganisationKind.OTHER)
    unit, _ = Unit.objects.get_or_create(organisation=org, name="Benchmarkenheten")
    admin, _ = User.objects.get_or_create(username="bench.admin", defaults={"role": Role.ADMIN})
    coach, _ = User.objects.get_or_create(username="bench.coach", defaults={"role": Role.COACH, "unit": unit})
    return admin, AccessContext(user=admin, client_address="127.0.0.1"), AccessContext(user=coach)


def _insert_run(ctx: object, rng: random.Random) -> float:
    """Seconds to write INSERTS entries as list pages of PAGE, one transaction per page."""
    from django.db import transaction

    from vagval.audit.models import AccessBasis
    from vagval.audit.services import access_log_record_many

    pages = [
        [(person_id(rng.randrange(PERSONS)), AccessBasis.OWN_UNIT, None) for _ in range(PAGE)]
        for _ in range(INSERTS // PAGE)
    ]
    start = time.perf_counter()
    for grants in pages:
        with transaction.atomic():
            access_log_record_many(ctx=ctx, action="person.listed", grants=grants, detail={"list": "bench"})
    return time.perf_counter() - start


def _inserts(rng: random.Random, rounds: int = 3) -> tuple[float, float]:
    """Median seconds for INSERTS entries into the empty and the full log, measured in turn
    (empty, full, empty, full, …) so that load from outside falls on both alike."""
    empty, full = [], []
    for round_number in range(rounds + 1):
        for name, times in ((EMPTY, empty), (FULL, full)):
            _use(name)
            _, _, coach_ctx = _admin()
            took = _insert_run(coach_ctx, rng)
            if round_number:  # the first round warms up connections and caches
                times.append(took)
    _use(FULL)
    return statistics.median(empty), statistics.median(full)


def _fill(rows: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from vagval.audit.models import AccessLogEntry
    from vagval.common import sql

    table = AccessLogEntry._meta.db_table
    this_month = timezone.localdate().replace(day=1)
    first = sql.add_months(this_month, -(MONTHS - 1))
    for n in range(MONTHS):
        sql.month_partition_create(connection, table, sql.add_months(first, n))
    start = sql.month_bound(first)
    span_ms = int((timezone.now() - dt.timedelta(hours=1) - start).total_seconds() * 1000)
    step = span_ms / rows
    began = time.perf_counter()
    with connection.cursor() as cursor:
        # A bulk load: the indexes are dropped and built again after the rows are in, as a
        # restore would, which takes a fraction of the time of keeping them up row by row.
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname <> %s", [table, f"{table}_pkey"]
        )
        # "ON ONLY" would make the parent's index alone (invalid) without the partitions'.
        indexes = [row[0].replace(" ON ONLY ", " ON ") for row in cursor.fetchall()]
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey")
        for definition in indexes:
            cursor.execute(f"DROP INDEX {definition.split()[2]}")
        for low in range(0, rows, CHUNK):
            high = min(rows, low + CHUNK) - 1
            cursor.execute(
                f"""INSERT INTO {table} (at, username, unit_name, unit_id, role, person_id, action,
                        client_address, basis, consent_id, detail, user_id)
                    SELECT %s::timestamptz + (i * %s) * interval '1 millisecond', 'bench' || (i * 7 %% %s),
                        'Benchmarkenheten', NULL, 'coach', md5('person' || (i * 7919 %% %s))::uuid,
                        'person.listed', '10.0.0.1', 'own_unit', NULL, '{{}}'::jsonb, NULL
                    FROM generate_series(%s::bigint, %s::bigint) AS i""",
                [start, step, USERS, PERSONS, low, high],
            )
            print(f"  {high + 1:>12,} entries  {time.perf_counter() - began:7.0f} s", flush=True)
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY (id, at)")
        for definition in indexes:
            cursor.execute(definition)
        print(f"  indexes built            {time.perf_counter() - began:7.0f} s", flush=True)
        cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"  filled and vacuumed in {time.perf_counter() - began:.0f} s", flush=True)


def _searches(admin: object, ctx: object, rng: random.Random, filters_for) -> list[float]:
    from vagval.audit.selectors import access_log_search

    times = []
    for _ in range(SEARCHES):
        filters = filters_for(rng)
        start = time.perf_counter()
        page = access_log_search(viewer=admin, ctx=ctx, filters=filters)
        times.append(time.perf_counter() - start)
        assert page.rows, "a benchmark search found nothing"
    return times


def _plan(sql_text: str, params: list[object]) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) {sql_text}", params)
        return "\n".join("    " + row[0] for row in cursor.fetchall()[:14])


def _query_of(filters: object, admin: object) -> tuple[str, list[object]]:
    from vagval.audit.selectors import log_entries

    query = log_entries(viewer=admin, filters=filters)[:100].query
    text, params = query.sql_with_params()
    return text, list(params)


def main() -> int:
    args = _args()
    _setup(reuse=args.reuse)
    from vagval.audit.models import AccessLogEntry
    from vagval.audit.selectors import LogFilters

    rng = random.Random(args.seed)
    admin, admin_ctx, _ = _admin()
    print(f"access log benchmark on PostgreSQL, {args.rows:,} entries over {MONTHS} month partitions", flush=True)
    if args.reuse and AccessLogEntry.objects.count() >= args.rows:
        print("reusing the filled log of an earlier run", flush=True)
    else:
        print(f"filling the log to {args.rows:,} entries ...", flush=True)
        _fill(args.rows)
    empty, full = _inserts(rng)
    admin, admin_ctx, _ = _admin()
    total = AccessLogEntry.objects.count()
    print(f"{INSERTS:,} entries into the empty log: {empty * 1000:.0f} ms (median of 3)", flush=True)
    print(f"{INSERTS:,} entries into the log of {total:,}: {full * 1000:.0f} ms (median of 3)", flush=True)

    def by_person(r: random.Random) -> LogFilters:
        # A person the fill wrote entries for (all of them once rows >= PERSONS).
        return LogFilters(person_id=person_id(r.randrange(min(args.rows, PERSONS)) * 7919 % PERSONS))

    def by_user(r: random.Random) -> LogFilters:
        return LogFilters(username=f"bench{r.randrange(USERS)}")

    person_times = _searches(admin, admin_ctx, rng, by_person)
    user_times = _searches(admin, admin_ctx, rng, by_user)
    person_median, person_p95 = _common.summary_ms(person_times)
    user_median, user_p95 = _common.summary_ms(user_times)
    print("plan, one person's first page:")
    print(_plan(*_query_of(by_person(rng), admin)))
    print("plan, one user's first page:")
    print(_plan(*_query_of(by_user(rng), admin)))
    ratio = full / empty
    print()
    print(
        f"log review, one person's entries ({SEARCHES} persons): median {person_median:.1f} ms, p95 {person_p95:.1f} ms"
    )
    print(f"log review, one user's entries ({SEARCHES} users):     median {user_median:.1f} ms, p95 {user_p95:.1f} ms")
    print(f"writing {INSERTS:,} entries: empty log {empty * 1000:.0f} ms, full log {full * 1000:.0f} ms")
    print(f"FIGURE insert time ratio full/empty: {ratio:.2f} (target <= {TARGET_INSERT_RATIO})")
    print(f"FIGURE one person's entries p95: {person_p95:.1f} ms (target < {TARGET_SEARCH_MS:.0f} ms)")
    ok = ratio <= TARGET_INSERT_RATIO and person_p95 < TARGET_SEARCH_MS and user_p95 < TARGET_SEARCH_MS
    print("within targets" if ok else "OUTSIDE TARGETS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
