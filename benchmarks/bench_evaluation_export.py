"""Figure: the evaluator's dataset export of 100,000 rows, built as the worker builds it, vs writing
the same number of rows with the plain csv module.

    .venv/bin/python benchmarks/bench_evaluation_export.py [--persons 100000] [--seed 1] [--format csv|xlsx]

In the benchmark database for N (see _common), a project of its own ("Benchmark utvärdering") gets
N participants (one enrolment each) at a unit of its own, a third of them with an exit and two
follow-ups; earlier runs' rows of that unit are removed first. Timed once each (the export writes
100,000 access-log entries, so it is not repeated):

- export: evaluation.services.export_run, as the task runs it (read, pseudonymise, write the file
  with progress every 5,000 rows, store it, log one entry per person), for an export asked for by
  an evaluator of the project;
- bare: csv.writer writing N rows of as many columns, from values already in memory.

Printed: seconds (wall and CPU), rows per second and the ratio to the bare writer (the issue's target: within 60 s).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import random
import sys
import time

import _common

TARGET_SECONDS = 60.0


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000, help="participants = rows (default 100000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    return parser.parse_args()


def _setup(persons: int, seed: int):
    from django.db import transaction

    from vagval.accounts.models import ProjectRole, Role, User
    from vagval.followup.models import Exit, ExitReason, FollowUp, FollowUpKind, FollowUpStatus, Situation, Source
    from vagval.organisations.models import Municipality, Organisation, OrganisationKind, Project, Unit
    from vagval.people.models import Enrolment, EnrolmentStatus, Gender, IdentityType, Person

    rng = random.Random(seed)
    start = dt.date(2025, 1, 1)
    municipality = Municipality.objects.get(code="2085")
    org, _ = Organisation.objects.get_or_create(
        name="Benchmark Ludvika utvärdering",
        defaults={"kind": OrganisationKind.MUNICIPALITY, "municipality": municipality},
    )
    unit, _ = Unit.objects.get_or_create(organisation=org, name="Utvärderingsbenchmark")
    coach, _ = User.objects.get_or_create(username="bench.coach.utv", defaults={"unit": unit, "role": Role.COACH})
    evaluator, _ = User.objects.get_or_create(
        username="bench.utvardare", defaults={"unit": unit, "role": Role.EVALUATOR}
    )
    project, _ = Project.objects.get_or_create(name="Benchmark utvärdering", defaults={"starts_on": start})
    ProjectRole.objects.get_or_create(user=evaluator, project=project, role=Role.EVALUATOR)
    with transaction.atomic():
        FollowUp.objects.filter(unit=unit).delete()
        Exit.objects.filter(unit=unit).delete()
        Enrolment.objects.filter(unit=unit).delete()
        Person.objects.filter(unit=unit).delete()
        people = [
            Person(
                unit=unit,
                id_type=IdentityType.NONE,
                first_name=f"Bench{i}",
                last_name="Utvärdering",
                first_name_key=f"bench{i}",
                last_name_key="utvärdering",
                birth_date=start - dt.timedelta(days=rng.randint(16 * 365, 29 * 365)),
                gender=rng.choice([Gender.WOMAN, Gender.MAN, Gender.NON_BINARY, Gender.UNKNOWN]),
            )
            for i in range(persons)
        ]
        Person.objects.bulk_create(people, batch_size=2000)
        enrolments = [
            Enrolment(
                person=p,
                project=project,
                unit=unit,
                coach=coach,
                status=EnrolmentStatus.ACTIVE,
                starts_on=start + dt.timedelta(days=rng.randint(0, 300)),
            )
            for p in people
        ]
        Enrolment.objects.bulk_create(enrolments, batch_size=2000)
        exits = [
            Exit(
                enrolment=e,
                person_id=e.person_id,
                unit=unit,
                exit_on=e.starts_on + dt.timedelta(days=200),
                reason=ExitReason.GOAL_REACHED,
                situation=rng.choice(list(Situation)),
                source=Source.YOUNG_PERSON,
                recorded_by=coach,
            )
            for e in enrolments
            if rng.random() < 0.33
        ]
        Exit.objects.bulk_create(exits, batch_size=2000)
        FollowUp.objects.bulk_create(
            [
                FollowUp(
                    exit=x,
                    person_id=x.person_id,
                    unit=unit,
                    kind=kind,
                    due_on=x.exit_on + dt.timedelta(days=days),
                    status=FollowUpStatus.DONE,
                    outcome=rng.choice(list(Situation)),
                    source=Source.YOUNG_PERSON,  # a done follow-up has a source (a constraint)
                )
                for x in exits
                for kind, days in ((FollowUpKind.WEEKS_4, 28), (FollowUpKind.DAYS_90, 90))
            ],
            batch_size=2000,
        )
    return project, evaluator


def main() -> None:
    args = _args()
    sys.argv = sys.argv[:1]
    where = _common.use_bench_database(persons=args.persons, fresh=False)
    from vagval.accounts.system import SystemActor, system_context
    from vagval.common.scoping import activated
    from vagval.evaluation import services
    from vagval.evaluation.dataset import dictionary
    from vagval.evaluation.models import DatasetExport

    with activated(system_context(SystemActor.WORKER), "benchmark"):
        print(f"{where}: setting up {args.persons:,} participants ...", flush=True)
        project, evaluator = _setup(args.persons, args.seed)
        export = DatasetExport.objects.create(project=project, file_format=args.format, prepared_by=evaluator)
        started, cpu_started = time.perf_counter(), time.process_time()
        export = services.export_run(export_id=export.pk)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        columns = len(dictionary())

    rows = [[f"{i:020x}"] + [str(i % 7)] * (columns - 1) for i in range(export.rows_total)]
    started, cpu_started = time.perf_counter(), time.process_time()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(range(columns))
    writer.writerows(rows)
    bare, bare_cpu = time.perf_counter() - started, time.process_time() - cpu_started

    print(f"rows: {export.rows_total:,} × {columns} columns ({args.format}), status {export.status}")
    print(
        f"export (build + write + store + log): {seconds:.2f} s wall, {cpu:.2f} s CPU"
        f" ({export.rows_total / seconds:,.0f} rows/s)"
    )
    print(f"bare csv.writer, same rows:            {bare:.2f} s wall, {bare_cpu:.2f} s CPU")
    print(f"ratio export / bare: {seconds / bare:.1f}× wall, {cpu / bare_cpu:.1f}× CPU")
    print(f"target: within {TARGET_SECONDS:.0f} s — {'met' if seconds <= TARGET_SECONDS else 'MISSED'}")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine load average (1, 5, 15 min): {load} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
