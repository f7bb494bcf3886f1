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

import _common

REQUESTS = 200
WARM_UP = 20
TARGET_RATIO = 5.0


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

    with override_settings(
        ROOT_URLCONF=_common.install_minimal_urlconf("bench_caseload_urls"), ALLOWED_HOSTS=["testserver"]
    ):
        client = Client()
        client.force_login(coach)
        caseload_url = reverse("people:caseload")
        first = client.get(caseload_url)
        if first.status_code != 200:
            raise SystemExit(f"GET {caseload_url} answered {first.status_code}")
        rows = first.content.decode().count("<tr") - 1
        times = _common.page_against_minimal(client, caseload_url, requests=REQUESTS, warm_up=WARM_UP)

    print(f"  caseload page shows {rows} rows (first page); {REQUESTS} requests each, after {WARM_UP} warm-up")
    _common.print_ratio("caseload", times, target=TARGET_RATIO)


if __name__ == "__main__":
    main()
