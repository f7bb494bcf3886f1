"""Figure: server time of the caseload page ("Mina deltagare") vs a minimal Django view.

    .venv/bin/python benchmarks/bench_caseload.py [--persons 1000] [--seed 1]

On the demo database (N persons, built once and reused), coach.ludvika is responsible for
200 persons. Both pages are requested in this process with Django's test Client after
force_login, through the full middleware stack: GET people:caseload (default filters,
first page; its access-log entries are part of the cost) and a minimal view returning
HttpResponse("ok"), mounted by a temporary URLconf. Printed: medians in ms and their
ratio (target <= 5).
"""

from __future__ import annotations

import statistics
import sys
import time
import types

import _common

REQUESTS = 200
WARM_UP = 20
TARGET_RATIO = 5.0


def _install_urlconf() -> str:
    from django.http import HttpRequest, HttpResponse
    from django.urls import path

    import vagval.urls

    def minimal(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    module = types.ModuleType("bench_caseload_urls")
    module.urlpatterns = [path("__bench__/minimal/", minimal), *vagval.urls.urlpatterns]  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    return module.__name__


def _timed(client, url: str) -> tuple[float, float, int]:
    started, cpu_started = time.perf_counter(), time.process_time()
    response = client.get(url)
    return time.perf_counter() - started, time.process_time() - cpu_started, response.status_code


def main() -> None:
    args = _common.parse_args(__doc__.splitlines()[0], default_persons=1000)
    where = _common.use_bench_database(persons=args.persons, fresh=False)
    persons = _common.ensure_persons(persons=args.persons, seed=args.seed)

    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from vagval.accounts.models import User
    from vagval.people.models import Enrolment, EnrolmentStatus

    coach = User.objects.get(username="coach.ludvika")
    caseload_size = (
        Enrolment.objects.filter(coach=coach)
        .exclude(status=EnrolmentStatus.ENDED)
        .values("person_id")
        .distinct()
        .count()
    )
    print(f"bench_caseload: {persons:,} persons, {where}; coach.ludvika is responsible for {caseload_size} persons")

    with override_settings(ROOT_URLCONF=_install_urlconf(), ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(coach)
        caseload_url = reverse("people:caseload")
        minimal_url = "/__bench__/minimal/"
        first = client.get(caseload_url)
        if first.status_code != 200:
            raise SystemExit(f"GET {caseload_url} answered {first.status_code}")
        rows = first.content.decode().count("<tr") - 1
        for _ in range(WARM_UP):
            client.get(caseload_url)
            client.get(minimal_url)
        page_wall, page_cpu, minimal_wall, minimal_cpu = [], [], [], []
        for _ in range(REQUESTS):  # interleaved, so both see the same machine load
            wall, cpu, status = _timed(client, caseload_url)
            assert status == 200, status
            page_wall.append(wall)
            page_cpu.append(cpu)
            wall, cpu, status = _timed(client, minimal_url)
            assert status == 200, status
            minimal_wall.append(wall)
            minimal_cpu.append(cpu)

    print(f"  caseload page shows {rows} rows (first page); {REQUESTS} requests each, after {WARM_UP} warm-up")
    for kind, page, minimal in (("wall", page_wall, minimal_wall), ("cpu ", page_cpu, minimal_cpu)):
        page_ms, minimal_ms = statistics.median(page) * 1000, statistics.median(minimal) * 1000
        ratio = page_ms / max(minimal_ms, 1e-6)
        print(
            f"  [{kind}] caseload median {page_ms:7.2f} ms (p95 {_common.percentile(page, 0.95) * 1000:7.2f}) |"
            f" minimal view median {minimal_ms:6.2f} ms | ratio {ratio:5.1f}"
            f" (target <= {TARGET_RATIO:.0f}) {'OK' if ratio <= TARGET_RATIO else 'MISS'}"
        )


if __name__ == "__main__":
    main()
