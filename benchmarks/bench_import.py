"""Figure: register import of a population and a studies extract vs a bare bulk insert of the same rows.

    .venv/bin/python benchmarks/bench_import.py [--persons 300000] [--rows 100000] [--study-rows 60000]
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/bench_import.py   # on PostgreSQL

In the benchmark database for N persons (built once with the demo generator and reused, see
_common; building 300,000 persons takes several minutes on SQLite), a unit of its own
("Importbenchmark", in Falun 2080) with a KAA user imports a synthetic population extract of
--rows rows and a studies extract of --study-rows rows (vagval.registers.importing.samples;
written to var/bench/ once). Earlier runs' rows of that unit are removed first.

Timed, through vagval.registers.services.register_import_run (parse, checks, one write
transaction, access log; the target-group refresh after it is switched off here, it has its
own figure in bench_target_group.py):

- first import of both files;
- re-import of the same two files (target: no writes except the import records, >= 3x faster);
- bare: bulk_create of the same parsed rows into the same tables (persons, population and study
  entries) in a transaction that is rolled back; parsing is not part of the bare figure.

Printed: rows/s, the ratio bare time / import time (target >= 0.3), the process's peak memory
(target < 500 MB) and the row counts before and after the re-import.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import _common

TARGET_RATIO = 0.3
TARGET_MB = 500
TARGET_REIMPORT_SPEEDUP = 3.0
MUNICIPALITY = "2080"


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=300_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--study-rows", type=int, default=60_000)
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def _rss_mb() -> float:
    """Current resident memory of this process (Linux), in MB."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return float("nan")
    return pages * resource.getpagesize() / 2**20


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def _files(rows: int, study_rows: int, seed: int) -> tuple[Path, Path]:
    from vagval.registers.importing.samples import (
        POPULATION_HEADER,
        STUDY_HEADER,
        csv_bytes,
        population_rows,
    )
    from vagval.registers.importing.samples import (
        study_rows as make_study_rows,
    )

    population = _common.BENCH_DIR / f"import-befolkning-{rows}-{seed}.csv"
    studies = _common.BENCH_DIR / f"import-studier-{study_rows}-{seed}.csv"
    if not population.exists():
        population.write_bytes(
            csv_bytes(POPULATION_HEADER, population_rows(rows, seed=seed, municipality_code=MUNICIPALITY))
        )
    if not studies.exists():
        studies.write_bytes(csv_bytes(STUDY_HEADER, make_study_rows(study_rows, seed=seed)))
    return population, studies


def _setup():
    from django.db import transaction

    from vagval.accounts.models import Role, User
    from vagval.organisations.models import Municipality, Organisation, OrganisationKind, Unit
    from vagval.people.models import Person, PersonChange
    from vagval.registers.models import PopulationEntry, RegisterImport, StudyEntry
    from vagval.targetgroup.models import Episode

    falun = Municipality.objects.get(code=MUNICIPALITY)
    org, _ = Organisation.objects.get_or_create(
        name="Benchmark Falun kommun", defaults={"kind": OrganisationKind.MUNICIPALITY, "municipality": falun}
    )
    unit, _ = Unit.objects.get_or_create(organisation=org, name="Importbenchmark")
    user, _ = User.objects.get_or_create(username="bench.import", defaults={"unit": unit, "role": Role.KAA})
    with transaction.atomic():
        created = list(PersonChange.objects.filter(changed_by=user, kind="created").values_list("person_id", flat=True))
        Episode.objects.filter(unit=unit).delete()
        StudyEntry.objects.filter(unit=unit).delete()
        PopulationEntry.objects.filter(unit=unit).delete()
        RegisterImport.objects.filter(unit=unit).delete()
        PersonChange.objects.filter(changed_by=user).delete()
        for start in range(0, len(created), 5000):
            Person.objects.filter(pk__in=created[start : start + 5000]).delete()
    return unit, user


def _import(user, kind: str, path: Path):
    from django.core.files import File

    from vagval.audit.services import AccessContext
    from vagval.registers.services import register_import_create, register_import_run

    with path.open("rb") as handle:
        imp = register_import_create(
            ctx=AccessContext(user=user), kind=kind, file=File(handle, name=path.name), original_name=path.name
        )
    started = time.perf_counter()
    imp = register_import_run(import_id=imp.pk)
    seconds = time.perf_counter() - started
    assert imp.status == "klar", imp.error
    return imp, seconds


def _counts() -> dict[str, object]:
    from django.db.models import Max

    from vagval.audit.models import AccessLogEntry
    from vagval.people.models import Person, PersonChange
    from vagval.registers.models import PopulationEntry, RegisterImport, StudyEntry

    counts: dict[str, object] = {}
    for model in (Person, PersonChange, PopulationEntry, StudyEntry, AccessLogEntry, RegisterImport):
        counts[model.__name__] = model.objects.count()
    for model in (Person, PopulationEntry, StudyEntry):
        counts[f"{model.__name__}.last_update"] = model.objects.aggregate(last=Max("updated_at"))["last"]
    return counts


def _bare(unit, user, population: Path, studies: Path) -> float:
    """bulk_create of the parsed rows into the same tables, rolled back; returns seconds."""
    import uuid

    from django.db import transaction

    from vagval.people.models import Person
    from vagval.registers.importing import parse_import_file
    from vagval.registers.models import PopulationEntry, RegisterImport, StudyEntry

    people = parse_import_file(population, kind="befolkning").records
    study = parse_import_file(studies, kind="studier").records
    existing = set()
    numbers = [row.identity.digits for row in people]
    for start in range(0, len(numbers), 5000):
        existing |= set(
            Person.objects.filter(id_number__in=numbers[start : start + 5000]).values_list("id_number", "pk")
        )
    ids = dict(existing)
    new = []
    for row in people:
        if row.identity.digits not in ids:
            ids[row.identity.digits] = uuid.uuid4()
            new.append(
                Person(
                    id=ids[row.identity.digits],
                    id_type=row.identity.kind,
                    id_number=row.identity.digits,
                    first_name=row.first_name,
                    last_name=row.last_name,
                    first_name_key=row.first_name.casefold(),
                    last_name_key=row.last_name.casefold(),
                    birth_date=row.identity.birth_date,
                    address=row.address or "",
                    postal_code=row.postal_code or "",
                    city=row.city or "",
                    phone=row.phone or "",
                    email=row.email or "",
                )
            )
    started = time.perf_counter()
    with transaction.atomic():
        record = RegisterImport.objects.create(
            kind="befolkning",
            municipality=unit.organisation.municipality,
            unit=unit,
            imported_by=user,
            reference_date=time.strftime("%Y-%m-%d"),
        )
        Person.objects.bulk_create(new, batch_size=1000)
        PopulationEntry.objects.bulk_create(
            [
                PopulationEntry(
                    unit=unit,
                    municipality=unit.organisation.municipality,
                    person_id=ids[row.identity.digits],
                    row_hash="0" * 64,
                    first_import=record,
                    last_import=record,
                )
                for row in people
            ],
            batch_size=1000,
        )
        StudyEntry.objects.bulk_create(
            [
                StudyEntry(
                    unit=unit,
                    person_id=ids[row.identity.digits],
                    school_form=row.school_form,
                    status=row.status,
                    programme=row.programme or "",
                    school_unit=row.school_unit or "",
                    start_date=row.start_date,
                    end_date=row.end_date,
                    row_hash=f"{index:064d}",
                    last_import=record,
                )
                for index, row in enumerate(study)
            ],
            batch_size=1000,
        )
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def main() -> None:
    args = _args()
    where = _common.use_bench_database(persons=args.persons, fresh=False)
    started = time.perf_counter()
    persons = _common.ensure_persons(persons=args.persons, seed=args.seed)
    print(f"bench_import: {persons:,} persons in {where} (ready in {time.perf_counter() - started:.1f} s)")

    import vagval.registers.services as services

    services._refresh_target_group = lambda imp: None  # its own figure: bench_target_group.py
    unit, user = _setup()
    population, studies = _files(args.rows, args.study_rows, args.seed)
    rows = args.rows + args.study_rows
    print(f"  files: {args.rows:,} population rows, {args.study_rows:,} study rows")

    bare = _bare(unit, user, population, studies)
    rss_before = _rss_mb()
    first_pop, t_pop = _import(user, "befolkning", population)
    first_study, t_study = _import(user, "studier", studies)
    first = t_pop + t_study
    print(
        f"  first import: {first:.1f} s ({rows / first:,.0f} rows/s): befolkning {t_pop:.1f} s, studier {t_study:.1f} s"
    )
    print(
        f"    befolkning: read {first_pop.rows_read:,}, accepted {first_pop.rows_accepted:,}, "
        f"new {first_pop.persons_new:,}, changed {first_pop.persons_changed:,}, left {first_pop.persons_left:,}; "
        f"studier: accepted {first_study.rows_accepted:,}, persons changed {first_study.persons_changed:,}"
    )
    print(f"  bare bulk insert of the same rows: {bare:.1f} s ({rows / bare:,.0f} rows/s)")
    ratio = bare / first
    print(f"  ratio bare/import: {ratio:.2f} (target >= {TARGET_RATIO}) {'OK' if ratio >= TARGET_RATIO else 'MISSED'}")

    before = _counts()
    _re_pop, r_pop = _import(user, "befolkning", population)
    _re_study, r_study = _import(user, "studier", studies)
    after = _counts()
    again = r_pop + r_study
    speedup = first / again
    changed = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
    only_records = set(changed) == {"RegisterImport"} and after["RegisterImport"] == before["RegisterImport"] + 2  # type: ignore[operator]
    print(
        f"  re-import of the same snapshot: {again:.1f} s ({rows / again:,.0f} rows/s), {speedup:.1f}x faster "
        f"(target >= {TARGET_REIMPORT_SPEEDUP}x) {'OK' if speedup >= TARGET_REIMPORT_SPEEDUP else 'MISSED'}"
    )
    print(
        f"    rows changed by the re-import: {changed} -> {'only the import records: OK' if only_records else 'MISSED'}"
    )
    peak = _peak_mb()
    print(
        f"  memory: peak RSS of the process {peak:.0f} MB (before the imports {rss_before:.0f} MB; "
        f"target < {TARGET_MB} MB) {'OK' if peak < TARGET_MB else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
