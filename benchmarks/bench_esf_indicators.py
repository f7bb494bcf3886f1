"""Figure: the ESF+ indicator table for a project with 300,000 persons, against one hand-written SQL GROUP BY.

    .venv/bin/python benchmarks/bench_esf_indicators.py [--persons 300000] [--repeat 5] [--seed 1]

Target (issue 13): the product's count (vagval.esf.indicators.compute.count_indicators, the ORM
query behind the page and the API) takes at most 3x the same counts from one hand-written SQL
GROUP BY (vagval.esf.indicators.handsql, tested against the ORM) in the same run.

The data live in a database of their own (SQLite var/bench/bench-esf-N.sqlite3, or PostgreSQL
`vagval_bench_esf-N` on the server DATABASE_URL names), built once and reused: one ESF-funded
project with N participants at four units, 90 % with entry data, 40 % left with an exit, and
28-day and 6-month follow-ups for most who left. Printed: the median of each and the ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from typing import Any

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
    return _common.use_bench_database(persons=persons, fresh=False, label="esf-")


# --- Set-based generation: one INSERT … SELECT per table over a series of numbers -------------
#
# Building 300,000 participants as Python objects (five tables, about 1.2 million rows) took
# minutes; here the database makes the rows from a number series n = 0 … N-1. Every "random"
# choice is a fixed arithmetic function of n (h(n) = (n × a + b) mod m), so a run is repeatable
# without a seed, and the ORM-equals-SQL check below still guards the counts.


class _Dialect:
    def __init__(self, vendor: str) -> None:
        self.pg = vendor == "postgresql"

    def series(self, count_param: str) -> tuple[str, str]:
        """(WITH prefix, FROM clause) giving one row per n in 0 … count-1."""
        if self.pg:
            return "", f"generate_series(0::bigint, {count_param}::bigint - 1) AS seq(n)"
        return (
            f"WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < {count_param}) ",
            "seq",
        )

    def uuid(self, prefix: str) -> str:
        """A key for row n of a table: 8 hex digits of its own, then n in 24 (the UUID column's text form)."""
        if self.pg:
            return f"('{prefix}' || lpad(to_hex(n), 24, '0'))::uuid"
        return f"('{prefix}' || printf('%%024x', n))"

    def day(self, base: str, offset: str) -> str:
        if self.pg:
            return f"(date '{base}' + ({offset})::int)"
        return f"date('{base}', '+' || ({offset}) || ' days')"

    def digits(self, expr: str, width: int) -> str:
        if self.pg:
            return f"lpad(({expr})::text, {width}, '0')"
        return f"printf('%%0{width}d', {expr})"


def _h(a: int, b: int, m: int) -> str:
    return f"((n * {a} + {b}) %% {m})"


def _choice(expr: str, values: list[str]) -> str:
    """CASE expr WHEN 0 THEN 'v0' … — a value picked by an index expression."""
    whens = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values))
    return f"(CASE {expr} {whens} END)"


def _insert(model: type, exprs: dict[str, Any], where: str, persons: int) -> None:
    """INSERT INTO model's table SELECT exprs FROM the series WHERE where. An expression is SQL, or
    (SQL, parameters); columns not in exprs get their field default (or '' for text, NULL where
    allowed) as a parameter."""
    from django.db import connection, models

    dialect = _Dialect(connection.vendor)
    columns, selects, values = [], [], []
    for field in model._meta.concrete_fields:
        columns.append(connection.ops.quote_name(field.column))
        expr = exprs.get(field.column)
        if expr is not None:
            sql, params = (expr, []) if isinstance(expr, str) else expr
            selects.append(sql)
            values.extend(params)
            continue
        if field.has_default():
            value = field.get_db_prep_save(field.get_default(), connection)
        elif isinstance(field, (models.CharField, models.TextField)):
            value = ""
        else:
            assert field.null, f"{model.__name__}.{field.name} needs a value"
            value = None
        selects.append("%s")
        values.append(value)
    with_prefix, source = dialect.series("%s")
    sql = (
        f"{with_prefix}INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(selects)} FROM {source} WHERE {where}"
    )
    # The series' count is the first parameter in SQLite's WITH, the last in PostgreSQL's FROM.
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, persons] if dialect.pg else [persons, *values])


def _build(persons: int, seed: int) -> object:
    """The benchmark project with `persons` participants, unless it is there already."""
    from django.db import connection, transaction
    from django.utils import timezone

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
        print(f"building {persons:,} participants set-based (once; reused by later runs) ...", flush=True)
        started = time.perf_counter()
        org, _ = Organisation.objects.get_or_create(name="ESF-benchmarkkommunen", kind=OrganisationKind.MUNICIPALITY)
        units = [Unit.objects.get_or_create(organisation=org, name=f"Enhet {n}")[0] for n in range(4)]
        user, _ = User.objects.get_or_create(username="bench.esf", defaults={"unit": units[0], "role": Role.COACH})
        d = _Dialect(connection.vendor)
        pk = Unit._meta.pk
        unit_ids = [pk.get_db_prep_value(u.pk, connection) for u in units]
        project_id = Project._meta.pk.get_db_prep_value(project.pk, connection)
        user_id = User._meta.pk.get_db_prep_value(user.pk, connection)
        now = Person._meta.get_field("created_at").get_db_prep_value(timezone.now(), connection)
        unit = ("(CASE n %% 4 WHEN 0 THEN %s WHEN 1 THEN %s WHEN 2 THEN %s ELSE %s END)", unit_ids)
        # Offsets in days from 2024-01-01 (start, exit, follow-ups) and from 1995-01-01 (birth).
        start_off = _h(15485863, 3, 900)
        birth_off = _h(104729, 7, 4380)
        exit_off = f"({start_off} + 30 + {_h(59, 0, 400)})"
        leaves, ended = f"{_h(53, 11, 10)} < 4", EnrolmentStatus.ENDED  # 40 % left with an exit
        genders = [Gender.WOMAN] * 45 + [Gender.MAN] * 45 + [Gender.NON_BINARY] * 4 + [Gender.OTHER] * 2 + [""] * 4
        answers = [Answer.YES, Answer.NO, Answer.NO, Answer.DECLINED, Answer.NOT_ASKED]
        situations = list(Situation.values)
        stamps = {"created_at": ("%s", [now]), "updated_at": ("%s", [now])}
        with transaction.atomic():
            _insert(
                Person,
                {
                    "id": d.uuid("10000000"),
                    **stamps,
                    "unit_id": unit,
                    "id_type": f"'{IdentityType.PERSONNUMMER}'",
                    # The same young person at two units now and then: counted once.
                    "id_number": "'20' || " + d.digits("CASE WHEN n %% 50 = 1 THEN n - 1 ELSE n END", 10),
                    "first_name": "'Delta' || n",
                    "last_name": "'Gare'",
                    "first_name_key": "'delta' || n",
                    "last_name_key": "'gare'",
                    "birth_date": d.day("1995-01-01", birth_off),
                    "gender": _choice(_h(7919, 13, 100), genders),
                },
                "1 = 1",
                persons,
            )
            _insert(
                Enrolment,
                {
                    "id": d.uuid("20000000"),
                    **stamps,
                    "person_id": d.uuid("10000000"),
                    "project_id": ("%s", [project_id]),
                    "unit_id": unit,
                    "status": f"(CASE WHEN {leaves} THEN '{ended}' ELSE '{EnrolmentStatus.ACTIVE}' END)",
                    "starts_on": d.day("2024-01-01", start_off),
                    "ends_on": f"(CASE WHEN {leaves} THEN {d.day('2024-01-01', exit_off)} END)",
                },
                "1 = 1",
                persons,
            )
            unemployed = f"{_h(17, 1, 3)} = 0"
            _insert(
                EsfEntry,
                {
                    "id": d.uuid("30000000"),
                    **stamps,
                    "enrolment_id": d.uuid("20000000"),
                    "person_id": d.uuid("10000000"),
                    "unit_id": unit,
                    "labour_status": _choice(
                        _h(17, 1, 3), [LabourStatus.UNEMPLOYED, LabourStatus.INACTIVE, LabourStatus.EMPLOYED]
                    ),
                    "unemployed_since": f"(CASE WHEN {unemployed} THEN {d.day('2022-01-01', _h(13, 0, 800))} END)",
                    "long_term_unemployed": (
                        f"(CASE WHEN {unemployed} AND {_h(37, 0, 10)} < 4 THEN %s ELSE %s END)",
                        [True, False],
                    ),
                    "isced": f"(CASE WHEN {_h(41, 2, 20)} = 0 THEN NULL ELSE {_h(43, 1, 9)} END)",
                    "age_at_entry": f"((10592 + {start_off} - {birth_off}) / 365)",
                    "disability": _choice(_h(3, 1, 5), answers),
                    "third_country": _choice(_h(7, 2, 5), answers),
                    "foreign_background": _choice(_h(11, 3, 5), answers),
                    "minority": _choice(_h(19, 4, 5), answers),
                    "homeless": _choice(_h(23, 0, 5), answers),
                    "improved_after_6_months": _choice(_h(29, 1, 5), answers),
                    "rural": (f"(CASE WHEN {_h(47, 0, 10)} < 3 THEN %s ELSE %s END)", [True, False]),
                    "recorded_by_id": ("%s", [user_id]),
                },
                f"{_h(31, 5, 10)} <> 0",  # 90 % have entry data
                persons,
            )
            _insert(
                Exit,
                {
                    "id": d.uuid("40000000"),
                    **stamps,
                    "enrolment_id": d.uuid("20000000"),
                    "person_id": d.uuid("10000000"),
                    "unit_id": unit,
                    "exit_on": d.day("2024-01-01", exit_off),
                    "reason": f"'{ExitReason.GOAL_REACHED}'",
                    "situation": _choice(_h(61, 0, len(situations)), situations),
                    "source": f"'{Source.YOUNG_PERSON}'",
                    "recorded_by_id": ("%s", [user_id]),
                },
                leaves,
                persons,
            )
            for prefix, kind, days, salt in (
                ("50000000", FollowUpKind.WEEKS_4, 28, 1),
                ("60000000", FollowUpKind.MONTHS_6, 182, 2),
            ):
                done = f"{_h(71, salt, 10)} < 7"
                outcome, not_reached = _choice(_h(67, salt, len(situations)), situations), FollowUpStatus.NOT_REACHED
                _insert(
                    FollowUp,
                    {
                        "id": d.uuid(prefix),
                        **stamps,
                        "exit_id": d.uuid("40000000"),
                        "person_id": d.uuid("10000000"),
                        "unit_id": unit,
                        "kind": f"'{kind}'",
                        "due_on": d.day("2024-01-01", f"{exit_off} + {days}"),
                        "status": f"(CASE WHEN {done} THEN '{FollowUpStatus.DONE}' ELSE '{not_reached}' END)",
                        "outcome": f"(CASE WHEN {done} THEN {outcome} ELSE '' END)",
                        "source": f"(CASE WHEN {done} THEN '{Source.YOUNG_PERSON}' ELSE '' END)",
                    },
                    leaves,
                    persons,
                )
        print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
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
