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


# --- A page against a minimal Django view, in the same process (bench_caseload, bench_worklist) ---


def install_minimal_urlconf(name: str) -> str:
    """A URLconf with the site's URLs and a minimal view at /__bench__/minimal/ returning "ok";
    returns its module name for override_settings(ROOT_URLCONF=…)."""
    import types

    from django.http import HttpRequest, HttpResponse
    from django.urls import path

    import vagval.urls

    def minimal(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    module = types.ModuleType(name)
    module.urlpatterns = [path("__bench__/minimal/", minimal), *vagval.urls.urlpatterns]  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    return module.__name__


MINIMAL_URL = "/__bench__/minimal/"


def timed_get(client: object, url: str) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of this process, status) of one GET through the test client."""
    import time

    started, cpu_started = time.perf_counter(), time.process_time()
    response = client.get(url)  # type: ignore[attr-defined]
    return time.perf_counter() - started, time.process_time() - cpu_started, response.status_code


def page_against_minimal(client: object, url: str, *, requests: int, warm_up: int) -> dict[str, list[float]]:
    """Request the page and the minimal view interleaved (both see the same machine load), after
    a warm-up; the wall and CPU durations of each."""
    for _ in range(warm_up):
        client.get(url)  # type: ignore[attr-defined]
        client.get(MINIMAL_URL)  # type: ignore[attr-defined]
    times: dict[str, list[float]] = {"page_wall": [], "page_cpu": [], "minimal_wall": [], "minimal_cpu": []}
    for _ in range(requests):
        for which, target in (("page", url), ("minimal", MINIMAL_URL)):
            wall, cpu, status = timed_get(client, target)
            assert status == 200, (target, status)
            times[f"{which}_wall"].append(wall)
            times[f"{which}_cpu"].append(cpu)
    return times


def print_ratio(label: str, times: dict[str, list[float]], *, target: float) -> None:
    """Medians (and the page's p95) in ms, and the page's ratio to the minimal view: wall and CPU."""
    for kind in ("wall", "cpu"):
        page, minimal = times[f"page_{kind}"], times[f"minimal_{kind}"]
        page_ms, minimal_ms = statistics.median(page) * 1000, statistics.median(minimal) * 1000
        ratio = page_ms / max(minimal_ms, 1e-6)
        print(
            f"  [{kind:<4}] {label} median {page_ms:7.2f} ms (p95 {percentile(page, 0.95) * 1000:7.2f}) |"
            f" minimal view median {minimal_ms:6.2f} ms | ratio {ratio:5.1f}"
            f" (target <= {target:.0f}) {'OK' if ratio <= target else 'MISS'}"
        )
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
