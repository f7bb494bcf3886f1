"""Figure: follow-ups falling due and link reminders for 300,000 persons with 50,000 exits (issue 12:
under 60 s on SQLite and PostgreSQL), against a plain bulk update of the same rows.

    .venv/bin/python benchmarks/bench_followups.py [--persons 300000] [--exits 50000] [--seed 1]

In the benchmark database for N persons (see _common: SQLite under var/bench/, or a database of its
own when DATABASE_URL points at PostgreSQL) a unit of its own ("Uppföljningsbenchmark") gets N
persons (built once and reused), `--exits` of them an ended enrolment and an exit spread over the
240 days before D, each with its three follow-ups (kommande); two in three have a mobile number,
the others e-mail or nothing. Each run first resets the follow-ups to kommande and removes the
links (not timed), then times, as the job actor "uppföljning" with a sender that sends nothing:

- fall due: followup.services.follow_ups_fall_due(today=D): kommande → att göra, links created,
  messages built, access log written;
- reminders: follow_up_reminders_send on D+3, D+7 and D+10 (day 3, day 7, then to the coach);
- baseline: a plain bulk UPDATE of the same rows to att göra and back (what any job must at least do).

Printed: seconds of each, the total, and the ratio of the total to the baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
import uuid

import _common

TARGET_SECONDS = 60.0
D = dt.date(2026, 9, 1)


class NullSender:
    """Builds nothing further and sends nothing: the benchmark measures Vägval, not an SMS gateway."""

    def send_email(self, *, to: str, subject: str, body: str) -> None:
        return None

    def send_sms(self, *, to: str, body: str) -> None:
        return None


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=300_000)
    parser.add_argument("--exits", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def _setup(persons: int, exits: int, seed: int) -> tuple[object, int]:
    from django.db import transaction

    from vagval.accounts.models import Role, User
    from vagval.followup.dates import follow_up_dates
    from vagval.followup.models import Exit, FollowUp
    from vagval.organisations.models import Municipality, Organisation, OrganisationKind, Project, Unit
    from vagval.people.models import Enrolment, EnrolmentStatus, IdentityType, Person

    rng = random.Random(seed)
    municipality = Municipality.objects.get(code="2085")
    org, _ = Organisation.objects.get_or_create(
        name="Benchmark Ludvika kommun (uppföljning)",
        defaults={"kind": OrganisationKind.MUNICIPALITY, "municipality": municipality},
    )
    unit, _ = Unit.objects.get_or_create(organisation=org, name="Uppföljningsbenchmark")
    coach, _ = User.objects.get_or_create(username="bench.uppfoljning", defaults={"unit": unit, "role": Role.COACH})
    project, _ = Project.objects.get_or_create(
        name="Benchmark uppföljning", defaults={"starts_on": D - dt.timedelta(days=900)}
    )
    project.organisations.add(org)
    have = Person.objects.filter(unit=unit).count()
    if have != persons:
        print(f"building {persons:,} persons and {exits:,} exits (once; reused by later runs) ...", flush=True)
        started = time.perf_counter()
        with transaction.atomic():
            FollowUp.objects.filter(unit=unit).delete()
            Exit.objects.filter(unit=unit).delete()
            Enrolment.objects.filter(unit=unit).delete()
            Person.objects.filter(unit=unit).delete()
            people = []
            for i in range(persons):
                kind = rng.random()
                people.append(
                    Person(
                        unit=unit,
                        id_type=IdentityType.NONE,
                        first_name=f"Bench{i}",
                        last_name="Uppföljning",
                        first_name_key=f"bench{i}",
                        last_name_key="uppföljning",
                        phone="070-000 00 00" if kind < 0.67 else "",
                        email=f"bench{i}@example.org" if 0.67 <= kind < 0.9 else "",
                    )
                )
            Person.objects.bulk_create(people, batch_size=5000)
            leaving = rng.sample(people, exits)
            enrolments, exit_rows, follow_ups = [], [], []
            for person in leaving:
                exit_on = D - dt.timedelta(days=rng.randint(0, 240))
                enrolment = Enrolment(
                    id=uuid.uuid4(),
                    person=person,
                    project=project,
                    unit=unit,
                    coach=coach,
                    status=EnrolmentStatus.ENDED,
                    starts_on=exit_on - dt.timedelta(days=200),
                    ends_on=exit_on,
                )
                enrolments.append(enrolment)
                exit_ = Exit(
                    id=uuid.uuid4(),
                    enrolment=enrolment,
                    person=person,
                    unit=unit,
                    exit_on=exit_on,
                    reason="malet_natt",
                    situation="soker_arbete",
                    source="ungdomen",
                    recorded_by=coach,
                )
                exit_rows.append(exit_)
                for kind, due_on in follow_up_dates(exit_on=exit_on, settings=None).items():
                    follow_ups.append(FollowUp(exit=exit_, person=person, unit=unit, kind=kind, due_on=due_on))
            Enrolment.objects.bulk_create(enrolments, batch_size=5000)
            Exit.objects.bulk_create(exit_rows, batch_size=5000)
            FollowUp.objects.bulk_create(follow_ups, batch_size=5000)
        print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
    return unit, FollowUp.objects.filter(unit=unit, due_on__lte=D).count()


def _reset(unit: object) -> None:
    from django.db import transaction

    from vagval.followup.models import FollowUp, FollowUpLink, FollowUpStatus

    with transaction.atomic():
        FollowUpLink.objects.filter(unit=unit).delete()
        FollowUp.objects.filter(unit=unit).update(status=FollowUpStatus.UPCOMING, needs_coach=False)


def main() -> None:
    args = _args()
    where = _common.use_bench_database(persons=args.persons, fresh=False)
    from django.conf import settings
    from django.db import transaction

    from vagval.common import scoping
    from vagval.followup import services
    from vagval.followup.models import FollowUp, FollowUpStatus

    settings.ASSESSMENT_LINK_SENDER = "bench_followups.NullSender"
    with scoping.unscoped("benchmark: building and resetting its own rows"):
        unit, due = _setup(args.persons, args.exits, args.seed)
        _reset(unit)
        started = time.perf_counter()
        with transaction.atomic():
            FollowUp.objects.filter(unit=unit, status=FollowUpStatus.UPCOMING, due_on__lte=D).update(
                status=FollowUpStatus.DUE
            )
            FollowUp.objects.filter(unit=unit, status=FollowUpStatus.DUE).update(status=FollowUpStatus.UPCOMING)
        baseline = time.perf_counter() - started

    load_before = os.getloadavg()[0]
    cpu_started = time.process_time()
    started = time.perf_counter()
    fell_due = services.follow_ups_fall_due(today=D)
    fall_due_seconds = time.perf_counter() - started
    reminder_seconds = []
    reminded = []
    for day in (3, 7, 10):
        started = time.perf_counter()
        reminded.append(services.follow_up_reminders_send(today=D + dt.timedelta(days=day)))
        reminder_seconds.append(time.perf_counter() - started)
    total = fall_due_seconds + sum(reminder_seconds)
    cpu = time.process_time() - cpu_started

    print(f"{where}: {args.persons:,} persons, {args.exits:,} exits, {due:,} follow-ups due by {D}")
    print(f"fall due   {fall_due_seconds:8.2f} s  ({fell_due.changed:,} to do, {fell_due.sent:,} links sent)")
    for day, seconds, result in zip((3, 7, 10), reminder_seconds, reminded, strict=True):
        print(f"day {day:<2}     {seconds:8.2f} s  ({result.changed:,} reminders, {result.to_coach:,} to the coach)")
    print(f"total      {total:8.2f} s  wall ({cpu:.2f} s CPU in this process, the database's own work not counted)")
    print(f"baseline   {baseline:8.2f} s  (plain bulk update of the same rows there and back)")
    print(f"ratio      {total / baseline if baseline else float('inf'):8.1f} × baseline")
    load_after = os.getloadavg()[0]
    print(f"load       {load_before:.1f} → {load_after:.1f} (1-minute load average, {os.cpu_count()} CPUs)")
    verdict = "met" if total < TARGET_SECONDS else "NOT met"
    print(f"target: under {TARGET_SECONDS:.0f} s: {verdict}")
    sys.exit(0)


if __name__ == "__main__":
    main()
