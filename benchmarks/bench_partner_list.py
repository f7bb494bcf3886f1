"""Figure: the partner's person list under 20,000 consents vs the same list without consent filtering.

    .venv/bin/python benchmarks/bench_partner_list.py [--persons 300000] [--seed 1]

On the benchmark database (N persons, built once and reused), 20,000 persons get a consent
documented by their own unit naming a benchmark partner unit ("Partnerenheten") as recipient.
The SAME 20,000 persons are also enrolled at a benchmark coach unit ("Jämförelseenheten").
Two users then open the same page, people:caseload "alla på enheten" (first page, 50 rows,
its access-log entries included), through the full middleware stack in this process:

- the partner, who sees the persons only through the consent check (consent filtering), and
- a coach at the comparison unit, who sees the same persons through their own enrolments
  (no consent filtering).

Printed: median and p95 server time of each and the p95 ratio (target <= 2).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

import _common

CONSENTS = 20_000
REQUESTS = 200
WARM_UP = 20
TARGET_RATIO = 2.0


def _prepare(consents: int) -> tuple[object, object]:
    from django.db import transaction

    from vagval.accounts.models import Role, User
    from vagval.consent.models import ALL_CATEGORIES, Consent, ConsentForm, ConsentRecipient
    from vagval.organisations.models import Organisation, OrganisationKind, Project, Unit
    from vagval.people.models import Enrolment, EnrolmentStatus, Person, Protection

    org, _ = Organisation.objects.get_or_create(name="Benchmarkorganisationen", kind=OrganisationKind.OTHER)
    partner_unit, _ = Unit.objects.get_or_create(organisation=org, name="Partnerenheten")
    coach_unit, _ = Unit.objects.get_or_create(organisation=org, name="Jämförelseenheten")
    partner, _ = User.objects.get_or_create(
        username="bench.partner", defaults={"unit": partner_unit, "role": Role.PARTNER}
    )
    coach, _ = User.objects.get_or_create(username="bench.coach", defaults={"unit": coach_unit, "role": Role.COACH})
    if ConsentRecipient.objects.filter(unit=partner_unit).count() >= consents:
        return partner, coach
    project = Project.objects.order_by("name").first()
    today = dt.date.today()
    # The first enrolment of each non-protected person: its unit documents the consent.
    rows = list(
        Enrolment.objects.filter(person__protection=Protection.NONE, person__merged_into__isnull=True)
        .order_by("person_id")
        .values_list("person_id", "unit_id")
        .distinct()[: consents * 2]
    )
    seen: dict[object, object] = {}
    for person_id, unit_id in rows:
        seen.setdefault(person_id, unit_id)
    picked = list(seen.items())[:consents]
    recorder = User.objects.filter(role=Role.COACH).exclude(unit=coach_unit).first()
    with transaction.atomic():
        consent_rows = [
            Consent(
                person_id=person_id,
                unit_id=unit_id,
                recorded_by=recorder,
                purpose="Benchmark",
                form=ConsentForm.WRITTEN,
                categories=sorted(ALL_CATEGORIES),
                valid_from=today - dt.timedelta(days=30),
                valid_to=today + dt.timedelta(days=335),
            )
            for person_id, unit_id in picked
        ]
        Consent.objects.bulk_create(consent_rows, batch_size=5000)
        ConsentRecipient.objects.bulk_create(
            [ConsentRecipient(consent=c, unit=partner_unit) for c in consent_rows], batch_size=5000
        )
        Enrolment.objects.bulk_create(
            [
                Enrolment(
                    person_id=person_id,
                    project=project,
                    unit=coach_unit,
                    coach=coach,
                    status=EnrolmentStatus.ACTIVE,
                    starts_on=today - dt.timedelta(days=30),
                )
                for person_id, _unit in picked
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
    assert Person.objects.count() > 0
    return partner, coach


def _measure(client, url: str) -> tuple[list[float], int]:
    first = client.get(url)
    if first.status_code != 200:
        raise SystemExit(f"GET {url} answered {first.status_code}")
    rows = first.content.decode().count("<tr") - 1
    for _ in range(WARM_UP):
        client.get(url)
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return times, rows


def main() -> None:
    args = _common.parse_args(__doc__.splitlines()[0], default_persons=300_000)
    where = _common.use_bench_database(persons=args.persons, fresh=False)
    persons = _common.ensure_persons(persons=args.persons, seed=args.seed)
    consents = min(CONSENTS, persons // 2)
    partner, coach = _prepare(consents)

    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    url = reverse("people:caseload") + "?visa=alla"
    print(f"bench_partner_list: {persons:,} persons, {consents:,} consents to the partner unit, {where}")
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        results = {}
        for name, user in (("partner (consent)", partner), ("coach (own unit)", coach)):
            client = Client()
            client.force_login(user)
            results[name] = _measure(client, url)
    for name, (times, rows) in results.items():
        print(
            f"  {name:18s} {rows} rows | median {statistics.median(times) * 1000:7.2f} ms"
            f" | p95 {_common.percentile(times, 0.95) * 1000:7.2f} ms"
        )
    consent_p95 = _common.percentile(results["partner (consent)"][0], 0.95)
    own_p95 = _common.percentile(results["coach (own unit)"][0], 0.95)
    ratio = consent_p95 / max(own_p95, 1e-9)
    verdict = "OK" if ratio <= TARGET_RATIO else "MISS"
    print(f"  p95 ratio consent / own unit: {ratio:.2f} (target <= {TARGET_RATIO:.0f}) {verdict}")


if __name__ == "__main__":
    main()
