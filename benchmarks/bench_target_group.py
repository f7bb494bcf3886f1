"""Figure: target_group_refresh for a municipality of 10,000 young people vs a bare query over the same rows.

    .venv/bin/python benchmarks/bench_target_group.py [--persons 10000] [--seed 1]

In the benchmark database for N (reused, see _common), a unit of its own ("Målgruppsbenchmark",
in Avesta 2084) gets N young people aged 14–31 in its population snapshot and about 0.7·N rows
in its studies snapshot (GY/GYAN/IM/KOMVUX, ongoing, avbrott, examen, studiebevis), and a
project covering the municipality (so UVAS applies). Earlier runs' rows of that unit are
removed first. Timed (median of 5, after the first run):

- first run: target_group_refresh on an empty episode table (opens every episode);
- re-run: the same data and date (no writes);
- bare: fetching the same population and studies rows as tuples (what the refresh must read).

Printed: seconds and the ratios to the bare query (target: under 2 s on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import statistics
import time

import _common

RUNS = 5
TARGET_SECONDS = 2.0
D = dt.date(2026, 9, 1)


def _setup(persons: int, seed: int):
    from django.db import transaction

    from vagval.accounts.models import Role, User
    from vagval.organisations.models import Municipality, Organisation, OrganisationKind, Project, Unit
    from vagval.people.models import IdentityType, Person
    from vagval.registers.models import ImportKind, PopulationEntry, RegisterImport, StudyEntry
    from vagval.targetgroup.models import Episode

    rng = random.Random(seed)
    avesta = Municipality.objects.get(code="2084")
    org, _ = Organisation.objects.get_or_create(
        name="Benchmark Avesta kommun", defaults={"kind": OrganisationKind.MUNICIPALITY, "municipality": avesta}
    )
    unit, _ = Unit.objects.get_or_create(organisation=org, name="Målgruppsbenchmark")
    user, _ = User.objects.get_or_create(username="bench.malgrupp", defaults={"unit": unit, "role": Role.KAA})
    project, _ = Project.objects.get_or_create(name="Benchmark unga vuxna Avesta", defaults={"starts_on": D})
    project.organisations.add(org)
    with transaction.atomic():
        old_people = list(PopulationEntry.objects.filter(unit=unit).values_list("person_id", flat=True))
        Episode.objects.filter(unit=unit).delete()
        StudyEntry.objects.filter(unit=unit).delete()
        PopulationEntry.objects.filter(unit=unit).delete()
        RegisterImport.objects.filter(unit=unit).delete()
        Person.objects.filter(pk__in=old_people).delete()
        record = RegisterImport.objects.create(
            kind=ImportKind.POPULATION, municipality=avesta, unit=unit, imported_by=user, reference_date=D
        )
        people = [
            Person(
                id_type=IdentityType.NONE,
                first_name=f"Bench{i}",
                last_name="Målgrupp",
                first_name_key=f"bench{i}",
                last_name_key="målgrupp",
                birth_date=D - dt.timedelta(days=rng.randint(14 * 365, 31 * 365)),
            )
            for i in range(persons)
        ]
        Person.objects.bulk_create(people, batch_size=2000)
        PopulationEntry.objects.bulk_create(
            [
                PopulationEntry(
                    unit=unit,
                    municipality=avesta,
                    person=p,
                    row_hash=hashlib.sha256(str(p.pk).encode()).hexdigest(),
                    present=(present := rng.random() > 0.03),
                    left_on=None if present else D,
                    first_import=record,
                    last_import=record,
                )
                for p in people
            ],
            batch_size=2000,
        )
        studies = []
        for p in people:
            if rng.random() < 0.7:
                form = rng.choice(["GY", "GY", "GYAN", "IM", "KOMVUX"])
                status = rng.choice(["pagaende", "pagaende", "avbrott", "examen", "studiebevis"])
                start = D - dt.timedelta(days=rng.randint(30, 900))
                end = None if status == "pagaende" else start + dt.timedelta(days=rng.randint(10, 400))
                key = f"{p.pk}{form}{status}{start}{end}"
                studies.append(
                    StudyEntry(
                        unit=unit,
                        person=p,
                        school_form=form,
                        programme="EE",
                        status=status,
                        start_date=start,
                        end_date=end,
                        row_hash=hashlib.sha256(key.encode()).hexdigest(),
                        last_import=record,
                    )
                )
        StudyEntry.objects.bulk_create(studies, batch_size=2000)
    return unit, len(studies)


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    args = _common.parse_args(__doc__.splitlines()[0], default_persons=10_000)
    where = _common.use_bench_database(persons=args.persons, fresh=False)
    from vagval.accounts.system import SystemActor, system_context
    from vagval.registers.models import PopulationEntry, StudyEntry
    from vagval.targetgroup.models import Episode
    from vagval.targetgroup.services import target_group_refresh

    unit, study_rows = _setup(args.persons, args.seed)
    # As the nightly run: the first run also logs one entry per episode it opens.
    ctx = system_context(SystemActor.NIGHTLY)

    def bare() -> None:
        list(PopulationEntry.objects.filter(unit=unit).values_list("person_id", "present", "person__birth_date"))
        list(
            StudyEntry.objects.filter(unit=unit, present=True).values_list(
                "person_id", "school_form", "status", "programme", "start_date", "end_date"
            )
        )

    firsts, reruns = [], []
    summary = None
    for _run in range(RUNS):
        Episode.objects.filter(unit=unit).delete()
        firsts.append(_timed(lambda: target_group_refresh(unit=unit, reference_date=D, ctx=ctx)))
        reruns.append(_timed(lambda: target_group_refresh(unit=unit, reference_date=D, ctx=ctx)))
    summary = target_group_refresh(unit=unit, reference_date=D, ctx=ctx)
    bares = [_timed(bare) for _run in range(RUNS)]
    first, rerun, base = (statistics.median(v) for v in (firsts, reruns, bares))
    on_lists = Episode.objects.filter(unit=unit, closed_on__isnull=True).count()
    print(f"{where}: {args.persons:,} young people, {study_rows:,} study rows, {on_lists:,} on the lists")
    print(f"re-run summary: {summary}")
    print(f"first run  median {first:.3f} s  ratio to bare {first / base:.1f}")
    print(f"re-run     median {rerun:.3f} s  ratio to bare {rerun / base:.1f}")
    print(f"bare query median {base:.3f} s")
    verdict = "OK" if max(first, rerun) < TARGET_SECONDS else "OVER"
    print(f"target: under {TARGET_SECONDS:.0f} s (PostgreSQL): {verdict} on this database")


if __name__ == "__main__":
    main()
