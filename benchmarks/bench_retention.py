"""Figure: a retention dry run over 300,000 persons (issue 14: under 60 s), against a plain count of
the same rows.

    .venv/bin/python benchmarks/bench_retention.py [--persons 300000] [--seed 1]

In the benchmark database for N persons (see _common: SQLite under var/bench/, or a database of its
own when DATABASE_URL points at PostgreSQL) an organisation of its own ("Gallringsbenchmark") gets a
unit with N person records (built once and reused), each with an enrolment and a journal note,
their last entry spread over 2012–2026; one in twenty is also in the unit's KAA register (another
record remains), one in fifty has a record at another organisation with the same number, one in a
thousand a legal hold. The rule is the social-services style: five years after the last entry, by the
end of the following calendar year, not while other records remain, with the research exception.

Timed: dataprotection.retention_selectors.dry_run (every candidate, every exception) and the sample
of reasons the dry-run page shows; the baseline is a plain COUNT over each table the dry run reads,
restricted to the same persons where the table allows it.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
import uuid

import _common

TARGET_SECONDS = 60.0
AS_OF = dt.date(2026, 12, 6)


def _dates(rng: random.Random, ids: list[uuid.UUID]) -> dict[dt.date, list[uuid.UUID]]:
    """Each person's last entry: a day between 2012 and 2026, bucketed by month for the updates."""
    buckets: dict[dt.date, list[uuid.UUID]] = {}
    for pk in ids:
        day = dt.date(rng.randint(2012, 2026), rng.randint(1, 12), 1)
        buckets.setdefault(day, []).append(pk)
    return buckets


def _build(persons: int, seed: int):  # type: ignore[no-untyped-def]
    from django.db import transaction
    from django.utils import timezone

    from vagval.accounts.models import Role, User
    from vagval.dataprotection.models import LegalHold
    from vagval.journal.models import Note
    from vagval.organisations.models import Municipality, Organisation, OrganisationKind, Project, Unit
    from vagval.people.models import Enrolment, EnrolmentStatus, IdentityType, Person
    from vagval.people.tests.factories import make_personnummer
    from vagval.targetgroup.models import Episode, TargetList

    rng = random.Random(seed)
    municipality = Municipality.objects.get(code="2085")
    org, _ = Organisation.objects.get_or_create(
        name="Gallringsbenchmark", defaults={"kind": OrganisationKind.MUNICIPALITY, "municipality": municipality}
    )
    other_org, _ = Organisation.objects.get_or_create(
        name="Gallringsbenchmark, annan kommun", defaults={"kind": OrganisationKind.MUNICIPALITY}
    )
    unit, _ = Unit.objects.get_or_create(organisation=org, name="Socialtjänsten")
    other_unit, _ = Unit.objects.get_or_create(organisation=other_org, name="Arbetsmarknad")
    coach, _ = User.objects.get_or_create(username="bench.gallring", defaults={"unit": unit, "role": Role.COACH})
    project, _ = Project.objects.get_or_create(name="Benchmark gallring", defaults={"starts_on": dt.date(2012, 1, 1)})
    if Person.objects.filter(unit=unit).count() == persons:
        return org, unit
    print(f"building {persons:,} person records (once; reused by later runs) ...", flush=True)
    started = time.perf_counter()
    with transaction.atomic():
        for model in (LegalHold, Note, Episode, Enrolment):
            model.objects.filter(person__unit__in=[unit, other_unit]).delete()
        Person.objects.filter(unit__in=[unit, other_unit]).delete()
        people, others = [], []
        for i in range(persons):
            # Every day of 18 years in turn, the serial counting up: each number unique.
            born = dt.date(1990, 1, 1) + dt.timedelta(days=i % 6570)
            number = make_personnummer(born, i // 6570 + 1)
            fields = {"id_type": IdentityType.PERSONNUMMER, "id_number": number, "birth_date": born}
            people.append(
                Person(unit=unit, first_name=f"Gall{i}", last_name="Bench", first_name_key=f"gall{i}", **fields)
            )
            if i % 50 == 0:
                others.append(Person(unit=other_unit, first_name=f"Gall{i}", last_name="Annan", **fields))
        Person.objects.bulk_create(people + others, batch_size=5000)
        Enrolment.objects.bulk_create(
            [
                Enrolment(
                    person=p,
                    project=project,
                    unit=unit,
                    coach=coach,
                    status=EnrolmentStatus.ENDED,
                    starts_on=dt.date(2012, 1, 1),
                    ends_on=dt.date(2013, 1, 1),
                )
                for p in people
            ],
            batch_size=5000,
        )
        Note.objects.bulk_create(
            [Note(person=p, unit=unit, author=coach, text="Samtal om studier.") for p in people], batch_size=5000
        )
        Episode.objects.bulk_create(
            [
                Episode(
                    unit=unit,
                    municipality=municipality,
                    person=p,
                    target_list=TargetList.KAA,
                    opened_on=dt.date(2015, 1, 1),
                    open_code="aldrig_paborjat",
                    open_reason="bench",
                )
                for p in people[::20]
            ],
            batch_size=5000,
        )
        LegalHold.objects.bulk_create(
            [LegalHold(person=p, reason="Benchmark", placed_by=coach) for p in people[::1000]], batch_size=5000
        )
        for day, ids in _dates(rng, [p.pk for p in people]).items():
            moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
            for start in range(0, len(ids), 2000):
                chunk = ids[start : start + 2000]
                for model in (Person, Enrolment, Note, Episode):
                    field = "pk" if model is Person else "person_id"
                    model.objects.filter(**{f"{field}__in": chunk}).update(updated_at=moment)
    print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
    return org, unit


def _baseline(unit) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """A plain COUNT over every table the dry run reads (the person records, each kind of record,
    the holds): what any dry run must at least touch."""
    from vagval.dataprotection import records
    from vagval.dataprotection.models import LegalHold
    from vagval.people.models import Person

    started = time.perf_counter()
    total = Person.objects.filter(unit=unit).count()
    for kind in records.KINDS:
        total += kind.model._default_manager.count()
    total += LegalHold.objects.count() + Person.objects.filter(id_number__isnull=False).count()
    return time.perf_counter() - started, total


def main() -> None:
    args = _common.parse_args(__doc__.splitlines()[0], default_persons=300_000)
    where = _common.use_bench_database(persons=args.persons, fresh=False)
    from vagval.accounts.models import Role, User
    from vagval.common import scoping
    from vagval.dataprotection.models import RecordType, RetentionRule
    from vagval.dataprotection.retention_selectors import dry_run, sample

    with scoping.unscoped("benchmark: building its own rows and timing the dry run outside a request"):
        org, unit = _build(args.persons, args.seed)
        admin, _ = User.objects.get_or_create(username="bench.admin", defaults={"role": Role.ADMIN, "unit": None})
        rule, _ = RetentionRule.objects.update_or_create(
            organisation=org,
            record_type=RecordType.PERSON_FILE,
            defaults={
                "years_after_last_entry": 5,
                "by_end_of_following_year": True,
                "keep_while_other_records": True,
                "research_exception": True,
                "decision_reference": "Benchmark 2026/1",
                "changed_by": admin,
            },
        )
        baseline, counted = _baseline(unit)
        started = time.perf_counter()
        result = dry_run(rule=rule, as_of=AS_OF)
        shown = sample(result=result)
        seconds = time.perf_counter() - started

    print(f"{where}: {args.persons:,} person records in the rule's organisation, as of {AS_OF}")
    print(f"dry run    {seconds:8.2f} s  ({result.count:,} due, kept: {dict(result.kept)}, {len(shown)} reasons shown)")
    print(f"baseline   {baseline:8.2f} s  (plain COUNT over the same tables, {counted:,} rows)")
    print(f"ratio      {seconds / baseline if baseline else float('inf'):8.1f} × baseline")
    verdict = "met" if seconds < TARGET_SECONDS else "NOT met"
    print(f"target: under {TARGET_SECONDS:.0f} s: {verdict}")
    sys.exit(0)


if __name__ == "__main__":
    main()
