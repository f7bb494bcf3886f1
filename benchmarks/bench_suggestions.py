"""Figure: one person's ranked suggestions with 5,000 open offers vs a bare indexed query of the open offers.

    .venv/bin/python benchmarks/bench_suggestions.py [--offers 5000] [--repeat 50]

On a benchmark database of its own (the demo world and a few persons, built once and reused),
`--offers` open offers are created (kinds, SSYK areas, municipalities, age ranges, licence and
language requirements mixed; capacities 0–5; some places taken). Then, in this process:

- the suggestions: matching.selectors.suggestions_for_person for a person with a profile, as
  the page calls it (every offer scored by every rule, crowding counts, the ranked list, its
  access-log entry and run row), and
- the baseline: a bare query of the open offers on their (status, kind) index, fetched.

Printed: median and p95 of each, and the p95 ratio (target <= 5).
"""

from __future__ import annotations

import random
import time

import _common

OFFERS = 5_000
REPEAT = 50
WARM_UP = 5
TARGET_RATIO = 5.0
MUNICIPALITIES = ["2085", "2061", "2081", "2080", "2082", "2083", "2084", "2021", "0180"]


def _args():
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=OFFERS)
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--persons", type=int, default=50, help="persons in the benchmark database (default 50)")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def _prepare(offers: int, seed: int):
    from django.db import transaction

    from vagval.accounts.models import Role, User
    from vagval.catalogue.models import Offer, OfferKind, OfferStatus, Placement, PlacementStatus, Provider
    from vagval.organisations.models import Organisation
    from vagval.people.models import Enrolment

    rng = random.Random(seed)
    enrolment = Enrolment.objects.select_related("person", "unit").order_by("pk").first()
    if enrolment is None:
        raise SystemExit("the benchmark database has no enrolment")
    coach = User.objects.filter(unit=enrolment.unit, role=Role.COACH, read_only=False).first()
    if coach is None:
        coach = User.objects.create(username="bench.matchcoach", unit=enrolment.unit, role=Role.COACH)
    existing = Offer.objects.filter(status=OfferStatus.OPEN, title__startswith="Bänk ").count()
    if existing < offers:
        owner = Organisation.objects.order_by("name").first()
        with transaction.atomic():
            providers = [
                Provider.objects.create(name=f"Bänkföretaget {i}", kind="arbetsgivare", owner=owner) for i in range(50)
            ]
            kinds = list(OfferKind.values)
            rows = []
            for i in range(existing, offers):
                low = rng.choice([None, 16, 18, 20])
                rows.append(
                    Offer(
                        title=f"Bänk {i}",
                        kind=rng.choice(kinds),
                        provider=rng.choice(providers),
                        owner=owner,
                        ssyk_area=str(rng.randrange(10)),
                        municipality_id=rng.choice(MUNICIPALITIES),
                        capacity=rng.randrange(6),
                        min_age=low,
                        max_age=None if low is None else low + rng.choice([5, 9]),
                        requires_driving_licence=rng.random() < 0.1,
                        language=rng.choice(["", "", "", "svenska"]),
                        hours_per_week=rng.choice([None, 10, 20, 40]),
                        status=OfferStatus.OPEN,
                    )
                )
            Offer.objects.bulk_create(rows, batch_size=2000)
            # Some places taken (one in ten offers), by the benchmark enrolment.
            taken = list(Offer.objects.filter(title__startswith="Bänk ", capacity__gt=0).values_list("pk", flat=True))
            Placement.objects.bulk_create(
                [
                    Placement(
                        person=enrolment.person,
                        enrolment=enrolment,
                        offer_id=pk,
                        unit=enrolment.unit,
                        status=PlacementStatus.STARTED,
                    )
                    for pk in rng.sample(taken, len(taken) // 10)
                ],
                batch_size=2000,
            )
    return enrolment.person, coach


def main() -> None:
    args = _args()
    where = _common.use_bench_database(persons=args.persons, fresh=False)
    _common.ensure_persons(persons=args.persons, seed=args.seed)
    from vagval.access.scope import acting
    from vagval.audit.services import AccessContext
    from vagval.catalogue.models import Offer, OfferStatus
    from vagval.common import scoping
    from vagval.matching import selectors, services

    with scoping.unscoped("benchmark set-up: offers and one placement sample"):
        person, coach = _prepare(args.offers, args.seed)
    ctx = AccessContext(user=coach, client_address="127.0.0.1")
    with acting(ctx, selectors.PURPOSE):
        services.profile_save(
            ctx=ctx,
            person_id=person.pk,
            data=services.ProfileData(
                ssyk_areas=["5", "7"],
                offer_kinds=["praktik", "anstallning"],
                max_travel_minutes=60,
                hours_per_week=30,
                has_driving_licence=False,
                languages="svenska, arabiska",
            ),
            expected_version=None,
        )

        def suggestions() -> int:
            view = selectors.suggestions_for_person(ctx=ctx, person_id=person.pk)
            return view.offers_considered

        def baseline() -> int:
            return len(
                list(
                    Offer.objects.filter(status=OfferStatus.OPEN).values_list(
                        "pk", "kind", "ssyk_area", "municipality_id", "title"
                    )
                )
            )

        counted = suggestions()
        offers = baseline()
        if counted != offers:
            raise SystemExit(f"suggestions judged {counted} offers, the query found {offers}")
        times: dict[str, list[float]] = {"suggestions": [], "baseline": []}
        cpu: dict[str, list[float]] = {"suggestions": [], "baseline": []}
        for _ in range(WARM_UP):
            suggestions()
            baseline()
        for _ in range(args.repeat):  # interleaved, so both see the same machine
            for name, fn in (("suggestions", suggestions), ("baseline", baseline)):
                started, cpu_started = time.perf_counter(), time.process_time()
                fn()
                times[name].append(time.perf_counter() - started)
                cpu[name].append(time.process_time() - cpu_started)
    s_med, s_p95 = _common.summary_ms(times["suggestions"])
    b_med, b_p95 = _common.summary_ms(times["baseline"])
    ratio = s_p95 / b_p95
    print(f"database: {where}; open offers: {offers:,}; runs: {args.repeat}")
    print(f"suggestions for one person: median {s_med:.1f} ms, p95 {s_p95:.1f} ms")
    print(f"bare indexed query of the open offers: median {b_med:.1f} ms, p95 {b_p95:.1f} ms")
    print(f"p95 ratio: {ratio:.2f} (target <= {TARGET_RATIO:.0f}) {'OK' if ratio <= TARGET_RATIO else 'OVER'}")
    # CPU seconds of this process (SQLite runs in it): what load from other work changes least.
    sc_med, sc_p95 = _common.summary_ms(cpu["suggestions"])
    bc_med, bc_p95 = _common.summary_ms(cpu["baseline"])
    print(
        f"CPU: suggestions median {sc_med:.1f} ms, p95 {sc_p95:.1f} ms; query median {bc_med:.1f} ms, "
        f"p95 {bc_p95:.1f} ms; p95 ratio {sc_p95 / bc_p95:.2f}, median ratio {sc_med / bc_med:.2f}"
    )


if __name__ == "__main__":
    main()
