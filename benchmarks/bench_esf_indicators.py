"""Figure: the ESF+ indicator table for a project with 300,000 persons, against one hand-written SQL GROUP BY.

    .venv/bin/python benchmarks/bench_esf_indicators.py [--persons 300000] [--repeat 5] [--seed 1]

Target (issue 13): the product's count (vagval.esf.indicators.compute.count_indicators, the ORM
query behind the page and the API) takes at most 3x the same counts from one hand-written SQL
GROUP BY (vagval.esf.indicators.handsql, tested against the ORM) in the same run.

The data live in a database of their own (SQLite var/bench/bench-esf-N.sqlite3, or PostgreSQL
`vagval_bench_esf_N` on the server DATABASE_URL names), built once and reused: one ESF-funded
project with N participants at four units, 90 % with entry data, 40 % left with an exit, and
28-day and 6-month follow-ups for most who left. Printed: the median of each and the ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import time
from pathlib import Path

import _common

TARGET_RATIO = 3.0
BATCH = 5_000


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=300_000, help="participants (default 300000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each (default 5)")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def _use_database(persons: int) -> str:
    if os.environ.get("VAGVAL_MODE") == "production":
        raise SystemExit("Benchmarks do not run in production mode.")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        database = f"vagval_bench_esf_{persons}"
        _common._create_postgres_database(url, database, fresh=False)
        os.environ["DATABASE_URL"] = _common._postgres_url(url, database)
        where = f"PostgreSQL database {database}"
    else:
        _common.BENCH_DIR.mkdir(parents=True, exist_ok=True)
        path = _common.BENCH_DIR / f"bench-esf-{persons}.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        where = f"SQLite {Path(path).relative_to(_common.PROJECT_DIR)}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "vagval.settings"
    (_common.BENCH_DIR / "static").mkdir(parents=True, exist_ok=True)
    os.environ["STATIC_ROOT"] = str(_common.BENCH_DIR / "static")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    assert not str(settings.DATABASES["default"]["NAME"]).endswith("vagval.sqlite3")
    call_command("migrate", interactive=False, verbosity=0)
    return where


def _build(persons: int, seed: int) -> object:
    """The benchmark project with `persons` participants, unless it is there already."""
    from django.db import transaction

    from vagval.accounts.models import Role, User
    from vagval.common.scoping import unscoped
    from vagval.esf.models import Answer, EsfEntry, EsfProject, LabourStatus
    from vagval.followup.models import Exit, ExitReason, FollowUp, FollowUpKind, FollowUpStatus, Situation, Source
    from vagval.organisations.models import Organisation, OrganisationKind, Project, Unit
    from vagval.people.models import Enrolment, EnrolmentStatus, Gender, IdentityType, Person

    project, _ = Project.objects.get_or_create(name="ESF-benchmark", defaults={"starts_on": dt.date(2024, 1, 1)})
    EsfProject.objects.get_or_create(project=project)
    with unscoped("the benchmark builds synthetic rows"):
        if Enrolment.objects.filter(project=project).count() >= persons:
            return project
        print(f"building {persons:,} participants (once; reused by later runs) ...", flush=True)
        started = time.perf_counter()
        org, _ = Organisation.objects.get_or_create(name="ESF-benchmarkkommunen", kind=OrganisationKind.MUNICIPALITY)
        units = [Unit.objects.get_or_create(organisation=org, name=f"Enhet {n}")[0] for n in range(4)]
        user, _ = User.objects.get_or_create(username="bench.esf", defaults={"unit": units[0], "role": Role.COACH})
        rng = random.Random(seed)
        genders = [Gender.WOMAN] * 45 + [Gender.MAN] * 45 + [Gender.NON_BINARY] * 4 + [Gender.OTHER] * 2 + [""] * 4
        situations = list(Situation.values)
        answers = [Answer.YES, Answer.NO, Answer.NO, Answer.DECLINED, Answer.NOT_ASKED]
        for first in range(0, persons, BATCH):
            people, enrolments, entries, exits, follow_ups = [], [], [], [], []
            for n in range(first, min(first + BATCH, persons)):
                unit = units[n % 4]
                birth = dt.date(1995, 1, 1) + dt.timedelta(days=rng.randrange(365 * 12))
                person = Person(
                    unit=unit,
                    id_type=IdentityType.PERSONNUMMER,
                    # The same young person at two units now and then (n - 1 is at the unit
                    # before): counted once. Twelve digits, unique per unit.
                    id_number=f"20{(n - 1 if n % 50 == 1 else n):010d}",
                    first_name=f"Delta{n}",
                    last_name="Gare",
                    first_name_key=f"delta{n}",
                    last_name_key="gare",
                    birth_date=birth,
                    gender=rng.choice(genders),
                )
                people.append(person)
                starts_on = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(900))
                enrolment = Enrolment(
                    person=person, project=project, unit=unit, status=EnrolmentStatus.ACTIVE, starts_on=starts_on
                )
                enrolments.append(enrolment)
                if rng.random() < 0.9:
                    status = rng.choice(LabourStatus.values)
                    entries.append(
                        EsfEntry(
                            enrolment=enrolment,
                            person=person,
                            unit=unit,
                            labour_status=status,
                            unemployed_since=starts_on - dt.timedelta(days=rng.randrange(800))
                            if status == LabourStatus.UNEMPLOYED
                            else None,
                            long_term_unemployed=status == LabourStatus.UNEMPLOYED and rng.random() < 0.4,
                            isced=rng.randrange(9) if rng.random() < 0.95 else None,
                            age_at_entry=(starts_on - birth).days // 365,
                            disability=rng.choice(answers),
                            third_country=rng.choice(answers),
                            foreign_background=rng.choice(answers),
                            minority=rng.choice(answers),
                            homeless=rng.choice(answers),
                            improved_after_6_months=rng.choice(answers),
                            rural=rng.random() < 0.3,
                            recorded_by=user,
                        )
                    )
                if rng.random() < 0.4:
                    exit_on = starts_on + dt.timedelta(days=30 + rng.randrange(400))
                    enrolment.status, enrolment.ends_on = EnrolmentStatus.ENDED, exit_on
                    exit_ = Exit(
                        enrolment=enrolment,
                        person=person,
                        unit=unit,
                        exit_on=exit_on,
                        reason=ExitReason.GOAL_REACHED,
                        situation=rng.choice(situations),
                        source=Source.YOUNG_PERSON,
                        recorded_by=user,
                    )
                    exits.append(exit_)
                    for kind, days in ((FollowUpKind.WEEKS_4, 28), (FollowUpKind.MONTHS_6, 182)):
                        done = rng.random() < 0.7
                        follow_ups.append(
                            FollowUp(
                                exit=exit_,
                                person=person,
                                unit=unit,
                                kind=kind,
                                due_on=exit_on + dt.timedelta(days=days),
                                status=FollowUpStatus.DONE if done else FollowUpStatus.NOT_REACHED,
                                outcome=rng.choice(situations) if done else "",
                            )
                        )
            with transaction.atomic():
                Person.objects.bulk_create(people)
                Enrolment.objects.bulk_create(enrolments)
                EsfEntry.objects.bulk_create(entries)
                Exit.objects.bulk_create(exits)
                FollowUp.objects.bulk_create(follow_ups)
        print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return project


def main() -> None:
    args = _args()
    where = _use_database(args.persons)
    project = _build(args.persons, args.seed)
    from vagval.common.scoping import unscoped
    from vagval.esf.indicators.compute import count_indicators
    from vagval.esf.indicators.handsql import count_indicators_sql

    start, end = dt.date(2024, 1, 1), dt.date(2026, 12, 31)
    orm_times, sql_times = [], []
    with unscoped("the benchmark counts aggregates"):
        orm = count_indicators(project=project, start=start, end=end)  # warm-up, and the check below
        hand = count_indicators_sql(project_id=project.pk, start=start, end=end)
        assert orm == hand, "the ORM and the hand-written SQL must count the same"
        for _ in range(args.repeat):
            began = time.perf_counter()
            count_indicators_sql(project_id=project.pk, start=start, end=end)
            sql_times.append(time.perf_counter() - began)
            began = time.perf_counter()
            count_indicators(project=project, start=start, end=end)
            orm_times.append(time.perf_counter() - began)
    orm_median, sql_median = statistics.median(orm_times), statistics.median(sql_times)
    ratio = orm_median / sql_median
    print(f"ESF+ indicator table, {args.persons:,} participants, {where}")
    print(f"  EECO01 total: {orm['EECO01'].total:,}")
    print(f"  ORM (page and API): median {orm_median * 1000:.0f} ms over {args.repeat} runs")
    print(f"  hand-written SQL:   median {sql_median * 1000:.0f} ms")
    print(f"  ratio {ratio:.2f} (target <= {TARGET_RATIO:.0f}) {'OK' if ratio <= TARGET_RATIO else 'OVER TARGET'}")


if __name__ == "__main__":
    main()
