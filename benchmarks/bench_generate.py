"""Figure: generating N persons with enrolments (demo generator) vs a bare bulk_create of the same rows.

    .venv/bin/python benchmarks/bench_generate.py [--persons 300000] [--seed 1]

1. The demo generator (vagval.demo.persons.generate_persons) fills an empty database:
   building the rows (names, identity numbers, dates, enrolments, change rows) and writing
   them, timed end to end.
2. The same four tables are emptied and the very same rows (same seed, so identical) are
   built again untimed, batch by batch; only the bare bulk_create calls are timed.

Printed: rows per second for both, their ratio (target >= 0.5) and the generator's total
time (target: 300,000 persons in under 5 minutes on 2 cores). The database is left with
the persons, for bench_search.py to reuse.
"""

from __future__ import annotations

import time

import _common

TARGET_RATIO = 0.5
TARGET_SECONDS_300K = 300.0


def _empty_person_tables() -> None:
    from django.db import connection

    from vagval.people.models import Enrolment, EnrolmentChange, Person, PersonChange

    tables = [m._meta.db_table for m in (EnrolmentChange, PersonChange, Enrolment, Person)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")


def _bare_bulk_create(*, world, count: int, seed: int) -> tuple[int, float, float]:
    from django.db import transaction

    from vagval.demo.persons import INSERT_CHUNK, PersonGenerator, bulk_load_settings
    from vagval.people.models import Enrolment, EnrolmentChange, Person, PersonChange

    rows = 0
    seconds = cpu_seconds = 0.0
    with bulk_load_settings():
        generator = PersonGenerator(world=world, count=count, seed=seed)
        for batch in generator.batches():  # built outside the timing
            started, cpu_started = time.perf_counter(), time.process_time()
            with transaction.atomic():
                Person.objects.bulk_create(batch.persons, batch_size=INSERT_CHUNK)
                Enrolment.objects.bulk_create(batch.enrolments, batch_size=INSERT_CHUNK)
                PersonChange.objects.bulk_create(batch.person_changes, batch_size=INSERT_CHUNK)
                EnrolmentChange.objects.bulk_create(batch.enrolment_changes, batch_size=INSERT_CHUNK)
            seconds += time.perf_counter() - started
            cpu_seconds += time.process_time() - cpu_started
            rows += batch.rows
    return rows, seconds, cpu_seconds


def main() -> None:
    args = _common.parse_args(__doc__.splitlines()[0], default_persons=300_000)
    where = _common.use_bench_database(persons=args.persons, fresh=True)

    from vagval.demo.persons import analyze, generate_persons
    from vagval.demo.world import build_world, demo_password

    world = build_world(password=demo_password())
    print(f"bench_generate: {args.persons:,} persons, {where}", flush=True)

    def progress(done: int, total: int) -> None:
        if done % 50_000 == 0 or done == total:
            print(f"  generator: {done:,} / {total:,}", flush=True)

    result = generate_persons(world=world, count=args.persons, seed=args.seed, progress=progress)

    _empty_person_tables()
    bare_rows, bare_seconds, bare_cpu = _bare_bulk_create(world=world, count=args.persons, seed=args.seed)
    assert bare_rows == result.rows, (bare_rows, result.rows)
    analyze()  # as the generator did, so that bench_search finds planner statistics

    # Wall-clock figures suffer when other work shares the machine; CPU seconds of this
    # process (SQLite runs inside it) do not, so both are printed.
    print(
        f"  rows written: {result.rows:,} ({result.persons:,} persons, {result.enrolments:,} enrolments,"
        " one change row each)"
    )
    for label, generator_s, bare_s in (
        ("wall", result.seconds, bare_seconds),
        ("cpu ", result.cpu_seconds, bare_cpu),
    ):
        generator_rate, bare_rate = result.rows / generator_s, bare_rows / bare_s
        ratio = generator_rate / bare_rate
        print(
            f"  [{label}] demo generator {generator_s:7.1f} s = {generator_rate:8,.0f} rows/s | "
            f"bare bulk_create {bare_s:7.1f} s = {bare_rate:8,.0f} rows/s | "
            f"ratio {ratio:.2f} (target >= {TARGET_RATIO}) {'OK' if ratio >= TARGET_RATIO else 'MISS'}"
        )
    scale = 300_000 / result.persons
    label = "total time for 300,000" if args.persons == 300_000 else "linear extrapolation to 300,000 persons"
    for kind, seconds in (("wall", result.seconds), ("cpu", result.cpu_seconds)):
        estimate = seconds * scale
        print(
            f"  {label} ({kind}): {estimate:.0f} s (target < {TARGET_SECONDS_300K:.0f} s) "
            f"{'OK' if estimate < TARGET_SECONDS_300K else 'MISS'}"
        )


if __name__ == "__main__":
    main()
