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

`--pages mix` measures bench_load.py's other pages the same way (their OK/MISS is against
the same 100 ms, but only the list pages count in the last line): the person page (each
request the next of the coach's persons), the name search (the as-you-type POST of "an", as
the coach and as the partner; "(before)": the unit's whole set filtered by name), a note
written (the POST, answered by a redirect), the notes page it redirects to, and the
follow-up figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
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


@contextmanager
def _search_before() -> Iterator[None]:
    """The name search as it was read before bench_load's change: the unit's whole set
    filtered by name (people.selectors._filtered), never the names tested in name order."""
    from vagval.people import selectors

    original = selectors._search_by_name
    selectors._search_by_name = lambda **kwargs: None
    try:
        yield
    finally:
        selectors._search_by_name = original


@dataclass(frozen=True)
class Page:
    """A page as bench_load's users request it: GET `url`, or POST `form` to it. `url` may
    name {person}: each request then opens the next of the user's persons (bench_load picks
    one at random). `status` is the answer expected (a POST that saves redirects)."""

    name: str
    user: Any
    url: str
    before: Callable[[], Any] | None = None
    form: dict[str, str] | None = None
    status: int = 200
    persons: tuple[str, ...] = ()

    def request(self, client: Any, n: int) -> Any:
        url = self.url.format(person=self.persons[n % len(self.persons)]) if self.persons else self.url
        response = client.post(url, self.form) if self.form is not None else client.get(url)
        if response.status_code != self.status:
            raise SystemExit(f"{url} answered {response.status_code}, not {self.status}")
        return response


def _measure(client: object, page: Page, requests: int) -> tuple[list[float], list[float], int]:
    """Wall and CPU seconds (this process) per request, and the rows of the first answer."""
    with page.before() if page.before else nullcontext():
        first = page.request(client, 0)
        rows = first.content.decode().count("<tr") - 1
        for n in range(WARM_UP):
            page.request(client, n)
        walls, cpus = [], []
        for n in range(requests):
            wall, cpu = time.perf_counter(), time.process_time()
            page.request(client, n)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
    return walls, cpus, rows


def _chosen(pages: tuple[Page, ...], word: str) -> list[Page]:
    """The minimal view, and the pages named with `word` with their "(before)" rows."""
    chosen, last = [], ""
    for page in pages:
        last = page.name if not page.name.startswith(" ") else last
        if page.name == "minimal view" or word in last:
            chosen.append(page)
    return chosen


def _persons_of(coach: Any) -> tuple[str, ...]:
    """The persons enrolled with the coach, as bench_load's coach opens them."""
    from vagval.common import scoping
    from vagval.people.models import Enrolment

    with scoping.unscoped("benchmark set-up: the persons a load user opens"):
        ids = Enrolment.objects.filter(coach=coach).order_by("person_id").values_list("person_id", flat=True)[:50]
        return tuple(str(i) for i in ids)


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
    persons = _persons_of(coach)
    note = {"text": "Samtal om praktik (mätning).", "context": "allmant", "visibility": "egen_enhet"}
    pages = (
        Page("minimal view", coach, "/__bench__/minimal/"),
        Page("caseload, mine", coach, "/personer/"),
        Page("caseload, all", coach, "/personer/?visa=alla"),
        Page("  (before)", coach, "/personer/?visa=alla", _before_change),
        Page("caseload, p.100", coach, "/personer/?visa=alla&page=100"),
        Page("  (before)", coach, "/personer/?visa=alla&page=100", _before_change),
        Page("partner list", partner, "/personer/?visa=alla"),
        Page("  (before)", partner, "/personer/?visa=alla", _before_change),
        Page("outreach worklist", coach, "/uppsokande/"),
        Page("to-do list", coach, "/att-gora/"),
        # bench_load's other pages (--pages load): the person page, the name search (the
        # as-you-type POST, "an" as typed first), a note written (POST, answered by a
        # redirect) and the page it redirects to, the follow-up figures (a report page).
        Page("mix: person page", coach, "/personer/{person}/", persons=persons),
        Page("mix: name search", coach, "/personer/sok/resultat/", form={"q": "an"}),
        Page("  (before)", coach, "/personer/sok/resultat/", _search_before, form={"q": "an"}),
        Page("mix: partner search", partner, "/personer/sok/resultat/", form={"q": "an"}),
        Page("  (before)", partner, "/personer/sok/resultat/", _search_before, form={"q": "an"}),
        Page("mix: note written", coach, "/anteckningar/person/{person}/", form=note, status=302, persons=persons),
        Page("mix: notes page", coach, "/anteckningar/person/{person}/", persons=persons),
        Page("mix: follow-up figures", coach, "/uppfoljning/siffror/"),
    )
    print(
        f"bench_list_pages: {national.persons:,} persons, {national.log_rows:,} access-log entries, {national.where};"
        f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    missed = []
    minimal_p95 = None
    with override_settings(ROOT_URLCONF=_install_urlconf(), ALLOWED_HOSTS=["testserver"], DEBUG=False):
        for page in _chosen(pages, args.pages):
            name, before = page.name, page.before is not None
            client = Client()
            client.force_login(page.user)
            walls, cpus, rows = _measure(client, page, args.requests)
            median, p95 = _common.summary_ms(walls)
            _cpu_median, cpu_p95 = _common.summary_ms(cpus)
            minimal_p95 = minimal_p95 or p95  # the first page measured is the minimal view
            verdict = "" if name == "minimal view" or before else ("OK" if p95 < TARGET_P95_MS else "MISS")
            if verdict == "MISS" and not name.startswith("mix:"):  # the target is the list pages'
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
