"""Figure: server time of every list page at national size vs a minimal Django view.

    .venv/bin/python benchmarks/bench_list_pages.py [--persons 2000000] [--log-rows 50000000]
        [--requests 100] [--pages outreach]

On the national data set of benchmarks/_national.py (PostgreSQL when DATABASE_URL points at
one), each list page is requested in this process with Django's test Client after
force_login, through the full middleware stack, as the user whose list is longest:

- caseload "mine" and "all at the unit" (people:caseload) as a coach at the big-city unit,
  the country's longest lists (a tenth of the register);
- the partner list (people:caseload, all) as a partner who sees 20,000 persons by consent;
- the outreach worklist (outreach:worklist) and the to-do list (worklist:list) as that coach;
- a minimal view returning HttpResponse("ok"), mounted by a temporary URLconf.

Each page's access-log entries (one per person shown) are part of its cost. Printed: median
and p95 in ms per page, the p95 ratio to the minimal view, this process's CPU time (the
database's is not in it), and whether p95 < 100 ms. The lists of everyone at the unit are
also measured "(before)": read as they were before the change in people.selectors
(_page_of_all), the unit's whole set sorted with COUNT(*) OVER (), in the same run.
`--pages WORD` measures only the pages whose name holds WORD (and the minimal view).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

import _common
import _national

WARM_UP = 5
TARGET_P95_MS = 100.0


def _install_urlconf() -> str:
    from django.http import HttpRequest, HttpResponse
    from django.urls import path

    import vagval.urls

    def minimal(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    module = types.ModuleType("bench_list_pages_urls")
    module.urlpatterns = [path("__bench__/minimal/", minimal), *vagval.urls.urlpatterns]  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    return module.__name__


@contextmanager
def _before_change() -> Iterator[None]:
    """The "all at the unit" list as it was read before bench_list_pages' change: the unit's
    whole set sorted, with COUNT(*) OVER () for the total (people.selectors._page_of)."""
    from vagval.access.checks import visible_persons
    from vagval.people import selectors

    def as_before(*, viewer: object, limit: int, offset: int, only: tuple[str, ...]) -> tuple[list[object], int]:
        persons = visible_persons(viewer=viewer)  # type: ignore[arg-type]
        return selectors._page_of(persons, limit=limit, offset=offset, count=True, only=only)  # type: ignore[return-value]

    original = selectors._page_of_all
    selectors._page_of_all = as_before  # type: ignore[assignment]
    try:
        yield
    finally:
        selectors._page_of_all = original


def _measure(client: object, url: str, requests: int, before: bool) -> tuple[list[float], list[float], int]:
    """Wall and CPU seconds (this process) per request, and the rows of the first answer."""
    with _before_change() if before else nullcontext():
        first = client.get(url)  # type: ignore[attr-defined]
        if first.status_code != 200:
            raise SystemExit(f"GET {url} answered {first.status_code}")
        rows = first.content.decode().count("<tr") - 1
        for _ in range(WARM_UP):
            client.get(url)  # type: ignore[attr-defined]
        walls, cpus = [], []
        for _ in range(requests):
            wall, cpu = time.perf_counter(), time.process_time()
            client.get(url)  # type: ignore[attr-defined]
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
    return walls, cpus, rows


def _chosen(pages: tuple[tuple[str, Any, str, bool], ...], word: str) -> list[tuple[str, Any, str, bool]]:
    """The minimal view, and the pages named with `word` with their "(before)" rows."""
    chosen, last = [], ""
    for page in pages:
        last = page[0] if not page[0].startswith(" ") else last
        if page[0] == "minimal view" or word in last:
            chosen.append(page)
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=2_000_000)
    parser.add_argument("--log-rows", type=int, default=50_000_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--pages", default="", help="only the pages whose name holds this (and the minimal view)")
    args = parser.parse_args()
    national = _national.build_national(persons=args.persons, log_rows=args.log_rows)

    from django.test import Client
    from django.test.utils import override_settings

    from vagval.accounts.models import User

    coach = User.objects.get(username=national.coaches[0])
    partner = User.objects.get(username=national.partners[0])
    pages = (
        ("minimal view", coach, "/__bench__/minimal/", False),
        ("caseload, mine", coach, "/personer/", False),
        ("caseload, all", coach, "/personer/?visa=alla", False),
        ("  (before)", coach, "/personer/?visa=alla", True),
        ("caseload, p.100", coach, "/personer/?visa=alla&page=100", False),
        ("  (before)", coach, "/personer/?visa=alla&page=100", True),
        ("partner list", partner, "/personer/?visa=alla", False),
        ("  (before)", partner, "/personer/?visa=alla", True),
        ("outreach worklist", coach, "/uppsokande/", False),
        ("to-do list", coach, "/att-gora/", False),
    )
    print(
        f"bench_list_pages: {national.persons:,} persons, {national.log_rows:,} access-log entries, {national.where};"
        f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    missed = []
    minimal_p95 = None
    with override_settings(ROOT_URLCONF=_install_urlconf(), ALLOWED_HOSTS=["testserver"], DEBUG=False):
        for name, user, url, before in _chosen(pages, args.pages):
            client = Client()
            client.force_login(user)
            walls, cpus, rows = _measure(client, url, args.requests, before)
            median, p95 = _common.summary_ms(walls)
            _cpu_median, cpu_p95 = _common.summary_ms(cpus)
            minimal_p95 = minimal_p95 or p95  # the first page measured is the minimal view
            verdict = "" if name == "minimal view" or before else ("OK" if p95 < TARGET_P95_MS else "MISS")
            if verdict == "MISS":
                missed.append(name)
            print(
                f"  {name:18s} {max(rows, 0):3d} rows | median {median:7.2f} ms | p95 {p95:7.2f} ms"
                f" | p95 ratio {p95 / max(minimal_p95, 1e-6):6.1f} | app CPU p95 {cpu_p95:6.2f} ms {verdict}",
                flush=True,
            )
    print(f"  load average at the end: {os.getloadavg()[0]:.1f}")
    print(
        f"  every list page p95 < {TARGET_P95_MS:.0f} ms: {'OK' if not missed else 'MISS (' + ', '.join(missed) + ')'}"
    )


if __name__ == "__main__":
    main()
