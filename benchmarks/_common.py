"""Shared set-up for the benchmarks: a throwaway database of their own, and small statistics.

SQLite (default): a file under var/bench/, one per person count, so bench_search can reuse
what bench_generate built. PostgreSQL: when DATABASE_URL points at a PostgreSQL server,
the benchmarks create and use their own database `vagval_bench_<N>` on that server; the
database named in DATABASE_URL is never written to. var/vagval.sqlite3 is never touched.

Must be imported before Django is set up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = PROJECT_DIR / "var" / "bench"
sys.path.insert(0, str(PROJECT_DIR))


def parse_args(description: str, *, default_persons: int) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--persons", type=int, default=default_persons, help=f"persons (default {default_persons})")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def _postgres_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


def _create_postgres_database(url: str, database: str, *, fresh: bool) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')


def use_bench_database(*, persons: int, fresh: bool, label: str = "") -> str:
    """Point DATABASE_URL at the benchmark database for `persons` and set Django up.

    fresh=True starts from an empty database; `label` names a data set of its own (the
    national one of _national.py) beside the generator's. Returns a short description.
    """
    if os.environ.get("VAGVAL_MODE") == "production":
        raise SystemExit("Benchmarks do not run in production mode.")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        database = f"vagval_bench_{label}{persons}"
        _create_postgres_database(url, database, fresh=fresh)
        os.environ["DATABASE_URL"] = _postgres_url(url, database)
        where = f"PostgreSQL database {database}"
    else:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        path = BENCH_DIR / f"bench-{label}{persons}.sqlite3"
        if fresh:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        where = f"SQLite {path.relative_to(PROJECT_DIR)}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "vagval.settings"
    (BENCH_DIR / "static").mkdir(parents=True, exist_ok=True)
    os.environ["STATIC_ROOT"] = str(BENCH_DIR / "static")  # whitenoise wants the folder to exist
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings

    name = str(settings.DATABASES["default"]["NAME"])
    assert not name.endswith("vagval.sqlite3"), "benchmarks must not touch var/vagval.sqlite3"
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return where


def ensure_persons(*, persons: int, seed: int) -> int:
    """Build the demo world and `persons` persons unless the database already has them."""
    from vagval.demo.persons import generate_persons
    from vagval.demo.world import build_world, demo_password
    from vagval.people.models import Person

    world = build_world(password=demo_password())
    existing = Person.objects.count()
    if existing == 0:
        print(f"building {persons:,} persons (once; reused by later runs) ...", flush=True)
        result = generate_persons(world=world, count=persons, seed=seed)
        print(f"  built in {result.seconds:.1f} s", flush=True)
        return result.persons
    return existing


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(values: list[float]) -> tuple[float, float]:
    """(median, p95) in milliseconds of durations in seconds."""
    return statistics.median(values) * 1000, percentile(values, 0.95) * 1000
