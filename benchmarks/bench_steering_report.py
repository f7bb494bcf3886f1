"""Figure: the steering-group PDF for a project with 300,000 persons, under 10 s.

    .venv/bin/python benchmarks/bench_steering_report.py [--persons 300000] [--repeat 3] [--seed 1]

Target (issue 13): the PDF the page's download answers (every section of the registry computed
from the database, the charts drawn with matplotlib, the document laid out by WeasyPrint) in under
10 seconds. Printed beside it, from the same run: the same report computed without rendering
(queries, counting and charts: the part that grows with the project) and a minimal WeasyPrint
document (one heading and one table: WeasyPrint's fixed cost), each as a ratio.

The data live in a database of their own (SQLite var/bench/bench-report-N.sqlite3, or PostgreSQL
`vagval_bench_report-N` on the server DATABASE_URL names), built once, set-based, and reused: one
project with N participants at four units in four municipalities, each trying its own method
(Gnestamodellen, Second Chance School, ACT, none); 40 % left with an exit and 28-day, 90-day and
6-month follow-ups; 30 % rated twice with Vägen framåt; a placement for one in five; a partners'
survey round with 12 answers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import time

import _common

TARGET_SECONDS = 10.0
BATCH = 5_000
START, END, TODAY = dt.date(2024, 1, 1), dt.date(2026, 11, 30), dt.date(2026, 12, 1)
MUNICIPALITIES = (("2085", "Ludvika"), ("2061", "Smedjebacken"), ("2029", "Leksand"), ("2031", "Rättvik"))
METHODS = ("Gnestamodellen", "Second Chance School", "ACT", None)


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=300_000, help="participants (default 300000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def _use_database(persons: int) -> str:
    return _common.use_bench_database(persons=persons, fresh=False, label="report-")


def _setting_up(seed: int):  # type: ignore[no-untyped-def]
    """The project, its units (one per municipality), methods, a user and the survey round."""
    from vagval.accounts.models import Role, User
    from vagval.catalogue.models import Offer, OfferKind, Provider
    from vagval.evaluation.models import SurveyAnswer, SurveyRound
    from vagval.organisations.models import Method, Municipality, Organisation, OrganisationKind, Project, Unit

    project, _ = Project.objects.get_or_create(name="Styrgrupp-benchmark", defaults={"starts_on": START})
    units, methods = [], []
    for (code, name), method_name in zip(MUNICIPALITIES, METHODS, strict=True):
        org, _ = Organisation.objects.get_or_create(
            name=f"{name} (benchmark)",
            defaults={"kind": OrganisationKind.MUNICIPALITY, "municipality": Municipality.objects.get(code=code)},
        )
        units.append(Unit.objects.get_or_create(organisation=org, name="Arbetsmarknad")[0])
        methods.append(Method.objects.get_or_create(name=method_name)[0] if method_name else None)
    user, _ = User.objects.get_or_create(username="bench.report", defaults={"unit": units[0], "role": Role.COACH})
    provider, _ = Provider.objects.get_or_create(name="Benchmark AB", defaults={"owner": units[0].organisation})
    offers = [
        Offer.objects.get_or_create(
            title=f"Benchmark {kind}", provider=provider, defaults={"kind": kind, "owner": units[0].organisation}
        )[0]
        for kind in (OfferKind.INTERNSHIP, OfferKind.STUDY, OfferKind.MENTORSHIP)
    ]
    if not SurveyRound.objects.filter(project=project).exists():
        survey = SurveyRound.objects.create(project=project, title="Samverkan 2026", created_by=user, closes_on=TODAY)
        rng = random.Random(seed)
        for n in range(12):
            SurveyAnswer.objects.create(
                round=survey,
                organisation=units[n % 2].organisation,
                ratings={key: rng.randint(1, 5) for key in ("mal", "information", "ansvar", "snabbhet", "stod", "tid")},
                strengths=f"Styrka {n}",
            )
    return project, units, methods, user, offers


def _build(persons: int, seed: int) -> object:
    """The benchmark project with `persons` participants, unless it is there already."""
    from django.db import connection, transaction

    from vagval.assessments.models import Instrument, Response
    from vagval.catalogue.models import Placement, PlacementStatus
    from vagval.common.scoping import unscoped
    from vagval.followup.models import Exit, ExitReason, FollowUp, FollowUpKind, FollowUpStatus, Situation, Source
    from vagval.people.models import Enrolment, EnrolmentStatus, Gender, IdentityType, Person

    with unscoped("the benchmark builds synthetic rows"):
        project, units, methods, user, offers = _setting_up(seed)
        if Enrolment.objects.filter(project=project).count() >= persons:
            return project
        print(f"building {persons:,} participants (once; reused by later runs) ...", flush=True)
        started = time.perf_counter()
        instrument = Instrument.objects.select_related("current_version").get(slug="vagen-framat")
        areas = ("motivation", "rutiner", "halsa", "natverk", "fardigheter", "soka", "arbetsvanor", "boende_ekonomi")
        rng = random.Random(seed)
        genders = [Gender.WOMAN] * 45 + [Gender.MAN] * 45 + [Gender.NON_BINARY] * 4 + [Gender.OTHER] * 2 + [""] * 4
        situations = list(Situation.values)
        for first in range(0, persons, BATCH):
            people, enrolments, exits, follow_ups, responses, placements = [], [], [], [], [], []
            for n in range(first, min(first + BATCH, persons)):
                unit, method = units[n % 4], methods[n % 4]
                person = Person(
                    unit=unit,
                    id_type=IdentityType.PERSONNUMMER,
                    id_number=f"19{n:010d}",
                    first_name=f"Rapport{n}",
                    last_name="Deltagare",
                    first_name_key=f"rapport{n}",
                    last_name_key="deltagare",
                    birth_date=dt.date(1996, 1, 1) + dt.timedelta(days=rng.randrange(365 * 12)),
                    gender=rng.choice(genders),
                )
                people.append(person)
                starts_on = START + dt.timedelta(days=rng.randrange(900))
                enrolment = Enrolment(
                    person=person,
                    project=project,
                    unit=unit,
                    method=method,
                    status=EnrolmentStatus.ACTIVE,
                    starts_on=starts_on,
                )
                enrolments.append(enrolment)
                if rng.random() < 0.3:
                    for day, bump in ((starts_on, 0), (starts_on + dt.timedelta(days=120), rng.choice((-1, 0, 1, 1)))):
                        responses.append(
                            Response(
                                person=person,
                                instrument=instrument,
                                instrument_version=instrument.current_version,
                                unit=unit,
                                respondent="coach_med_den_unga",
                                filled_by=user,
                                context="start",
                                answered_on=day,
                                scores={area: min(5, max(1, 3 + bump)) for area in areas},
                            )
                        )
                if rng.random() < 0.2:
                    placements.append(
                        Placement(
                            person=person,
                            enrolment=enrolment,
                            offer=rng.choice(offers),
                            unit=unit,
                            status=rng.choice((PlacementStatus.STARTED, PlacementStatus.ENDED)),
                            starts_on=starts_on + dt.timedelta(days=30),
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
                    for kind, days in (
                        (FollowUpKind.WEEKS_4, 28),
                        (FollowUpKind.DAYS_90, 90),
                        (FollowUpKind.MONTHS_6, 182),
                    ):
                        done = rng.random() < 0.7
                        due = exit_on + dt.timedelta(days=days)
                        follow_ups.append(
                            FollowUp(
                                exit=exit_,
                                person=person,
                                unit=unit,
                                kind=kind,
                                due_on=due,
                                status=FollowUpStatus.DONE if done else FollowUpStatus.NOT_REACHED,
                                outcome=rng.choice(situations) if done else "",
                                source=Source.YOUNG_PERSON if done else "",
                                recorded_at=dt.datetime.combine(due, dt.time(12), tzinfo=dt.UTC) if done else None,
                            )
                        )
            with transaction.atomic():
                Person.objects.bulk_create(people)
                Enrolment.objects.bulk_create(enrolments)
                Exit.objects.bulk_create(exits)
                FollowUp.objects.bulk_create(follow_ups)
                Response.objects.bulk_create(responses)
                Placement.objects.bulk_create(placements)
        print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return project


def _minimal_pdf() -> bytes:
    from weasyprint import HTML

    pdf = HTML(string="<h1>Rapport</h1><table><tr><th>Deltagare</th><td>1</td></tr></table>").write_pdf()
    assert pdf is not None
    return pdf


def _median_seconds(work, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(median wall seconds, median CPU seconds of this process): CPU time shows what load from
    other processes on the machine does not (the database's own work is in-process on SQLite)."""
    times, cpu = [], []
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        work()
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    return statistics.median(times), statistics.median(cpu)


def main() -> None:
    args = _args()
    where = _use_database(args.persons)
    project = _build(args.persons, args.seed)
    from vagval.common.db_routing import reporting_reads
    from vagval.common.scoping import unscoped
    from vagval.reporting.exports import report_pdf
    from vagval.reporting.selectors import build_report

    def the_report():  # type: ignore[no-untyped-def]  # read as the page does (selectors.steering_report)
        with reporting_reads():
            return build_report(project=project, start=START, end=END, today=TODAY)  # type: ignore[arg-type]

    def the_pdf() -> bytes:
        return report_pdf(the_report())  # type: ignore[arg-type]

    with unscoped("the benchmark reads aggregates"):
        pdf = the_pdf()  # warm-up: imports, matplotlib's font cache, WeasyPrint's stylesheets
        _minimal_pdf()
        minimal, minimal_cpu = _median_seconds(_minimal_pdf, args.repeat)
        report = the_report()
        tables, tables_cpu = _median_seconds(the_report, args.repeat)
        whole, whole_cpu = _median_seconds(the_pdf, args.repeat)
    total = next(s for s in report.sections if s.key == "deltagare").tables[0].rows[0][1]
    print(f"Steering-group PDF, {args.persons:,} persons, {where}")
    print(f"  participants in the report: {total}; PDF {len(pdf) / 1024:.0f} kB, {len(report.sections)} sections")
    print(f"  minimal WeasyPrint document:          median {minimal * 1000:.0f} ms (CPU {minimal_cpu * 1000:.0f} ms)")
    print(f"  the report without rendering the PDF: median {tables * 1000:.0f} ms (CPU {tables_cpu * 1000:.0f} ms)")
    print(f"  the whole PDF (report + layout):      median {whole * 1000:.0f} ms (CPU {whole_cpu * 1000:.0f} ms)")
    print(f"  (medians over {args.repeat} runs each)")
    print(f"  ratio whole PDF / minimal document {whole / minimal:.1f}; whole PDF / report alone {whole / tables:.2f}")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"  machine load average (1, 5, 15 min): {load} on {os.cpu_count()} cores")
    verdict = "OK" if whole < TARGET_SECONDS else "OVER TARGET"
    print(f"  {whole:.2f} s (target < {TARGET_SECONDS:.0f} s) {verdict}")


if __name__ == "__main__":
    main()
