"""The ESF+ indicator counts as one hand-written SQL GROUP BY: the benchmark's baseline.

The same counts as `compute.count_indicators` (tested against it in
vagval/esf/tests/test_handsql.py), written with `vagval.common.sql` (table and column names
from the models, every value a parameter). The product uses the ORM version; this one exists
so the benchmark can show that the ORM's query costs no more than ~3x a hand-written one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connections, router

from vagval.common import sql
from vagval.esf.indicators import REGISTRY
from vagval.esf.indicators.compute import Counts
from vagval.esf.models import Answer, EsfEntry, LabourStatus
from vagval.esf.rules import GROUPS, MEN, NON_BINARY, WOMEN
from vagval.followup.models import Exit, FollowUp, FollowUpKind, FollowUpStatus, Situation
from vagval.people.models import Enrolment, EnrolmentStatus, Gender, Person


def _statement(vendor: str) -> tuple[str, dict[str, Any], list[str]]:
    """The SQL (named placeholders), its constant parameters, and the indicator column order."""

    def columns(model: Any, alias: str) -> Any:
        return lambda name: sql.column(model, name, alias=alias)

    e, p, en, x = columns(Enrolment, "e"), columns(Person, "p"), columns(EsfEntry, "en"), columns(Exit, "x")
    f, f6 = columns(FollowUp, "f28"), columns(FollowUp, "f6")
    window = (
        f"{f('due_on')} <= date({x('exit_on')}, '+28 days')"
        if vendor == "sqlite"
        else f"{f('due_on')} <= {x('exit_on')} + 28"
    )
    params: dict[str, Any] = {}

    def value(raw: Any) -> str:
        name = f"v{len(params)}"
        params[name] = raw
        return f"%({name})s"

    gender = (
        f"CASE WHEN {p('gender')} = {value(Gender.WOMAN)} THEN {value(WOMEN)} "
        f"WHEN {p('gender')} = {value(Gender.MAN)} THEN {value(MEN)} "
        f"WHEN {p('gender')} IN ({value(Gender.NON_BINARY)}, {value(Gender.OTHER)}) THEN {value(NON_BINARY)} "
        f"ELSE {value('')} END"
    )
    immediate = f"COALESCE(CASE WHEN {window} THEN {f('outcome')} END, {x('situation')})"
    complete = (
        f"{p('gender')} IN ({value(Gender.WOMAN)}, {value(Gender.MAN)}, {value(Gender.NON_BINARY)}, "
        f"{value(Gender.OTHER)}) AND {en('labour_status')} IN ({', '.join(value(v) for v in LabourStatus.values)}) "
        f"AND {en('isced')} IS NOT NULL AND {en('age_at_entry')} IS NOT NULL"
    )
    conditions = {
        "EECO01": "1 = 1",
        "EECO02": f"{en('labour_status')} = {value(LabourStatus.UNEMPLOYED)}",
        "EECO03": f"{en('labour_status')} = {value(LabourStatus.UNEMPLOYED)} AND {en('long_term_unemployed')}",
        "EECO04": f"{en('labour_status')} = {value(LabourStatus.INACTIVE)}",
        "EECO05": f"{en('labour_status')} = {value(LabourStatus.EMPLOYED)}",
        "EECO06": f"{en('age_at_entry')} < 18",
        "EECO07": f"{en('age_at_entry')} BETWEEN 18 AND 29",
        "EECO08": f"{en('age_at_entry')} >= 55",
        "EECO09": f"{en('isced')} <= 2",
        "EECO10": f"{en('isced')} BETWEEN 3 AND 4",
        "EECO11": f"{en('isced')} >= 5",
        "EECO12": f"{en('disability')} = {value(Answer.YES)}",
        "EECO13": f"{en('third_country')} = {value(Answer.YES)}",
        "EECO14": f"{en('foreign_background')} = {value(Answer.YES)}",
        "EECO15": f"{en('minority')} = {value(Answer.YES)}",
        "EECO16": f"{en('homeless')} = {value(Answer.YES)}",
        "EECO17": f"{en('rural')}",
        "EECR01": f"{immediate} = {value(Situation.JOB_SEEKING)}",
        "EECR02": f"{immediate} = {value(Situation.STUDYING)}",
        "EECR03": f"{immediate} = {value(Situation.QUALIFIED)}",
        "EECR04": f"{immediate} = {value(Situation.WORKING)}",
        "EECR05": f"{f6('outcome')} = {value(Situation.WORKING)}",
        "EECR06": (
            f"{en('labour_status')} = {value(LabourStatus.EMPLOYED)} AND "
            f"{en('improved_after_6_months')} = {value(Answer.YES)} AND {f6('outcome')} = {value(Situation.WORKING)}"
        ),
    }
    assert list(conditions) == list(REGISTRY), "the hand SQL must cover every indicator, in order"
    out_period = f"{e('starts_on')} BETWEEN %(start)s AND %(end)s"
    res_period = f"{x('exit_on')} BETWEEN %(start)s AND %(end)s"
    key = f"COALESCE({p('id_number')}, CAST({p('id')} AS TEXT))"
    counts = []
    for code, condition in conditions.items():
        period = out_period if REGISTRY[code].kind == "output" else res_period
        counts.append(f"COUNT(DISTINCT CASE WHEN {period} AND {complete} AND ({condition}) THEN {key} END)")
    counts.append(f"COUNT(DISTINCT CASE WHEN {out_period} THEN {key} END)")  # EECO01 incl. incomplete
    statement = (
        f"SELECT {gender} AS g, {', '.join(counts)} "  # noqa: S608 (names from the models, values parameters)
        f"FROM {sql.table(Enrolment)} e "
        f"JOIN {sql.table(Person)} p ON p.{sql.column(Person, 'id')} = {e('person')} "
        f"LEFT JOIN {sql.table(EsfEntry)} en ON {en('enrolment')} = {e('id')} "
        f"LEFT JOIN {sql.table(Exit)} x ON {x('enrolment')} = {e('id')} AND {x('superseded_on')} IS NULL "
        f"LEFT JOIN {sql.table(FollowUp)} f28 ON {f('exit')} = {x('id')} "
        f"AND {f('kind')} = {value(FollowUpKind.WEEKS_4)} "
        f"AND {f('status')} = {value(FollowUpStatus.DONE)} "
        f"LEFT JOIN {sql.table(FollowUp)} f6 ON {f6('exit')} = {x('id')} "
        f"AND {f6('kind')} = {value(FollowUpKind.MONTHS_6)} "
        f"AND {f6('status')} = {value(FollowUpStatus.DONE)} "
        f"WHERE {e('project')} = %(project)s AND {p('merged_into')} IS NULL "
        f"AND {e('status')} <> {value(EnrolmentStatus.PLANNED)} "
        f"AND ({out_period} OR {res_period}) "
        f"GROUP BY g"
    )
    return statement, params, list(conditions)


def count_indicators_sql(*, project_id: Any, start: dt.date, end: dt.date) -> dict[str, Counts]:
    connection = connections[router.db_for_read(Enrolment)]
    statement, constants, codes = _statement(connection.vendor)
    values = {
        **constants,
        "project": sql.value(Enrolment, "project", project_id),
        "start": sql.value(Enrolment, "starts_on", start),
        "end": sql.value(Enrolment, "starts_on", end),
    }
    rows = sql.fetch(Enrolment, statement, values)  # type: ignore[arg-type]
    by_group = {row[0]: row[1:] for row in rows}

    def cell(group: str, position: int) -> int:
        row = by_group.get(group)
        return int(row[position]) if row else 0

    result = {}
    for position, code in enumerate(codes):
        groups = {group: cell(group, position) for group in GROUPS}
        total = (
            sum(cell(group, len(codes)) for group in (*GROUPS, ""))
            if REGISTRY[code].counts_incomplete
            else sum(groups.values())
        )
        result[code] = Counts(total=total, kvinnor=groups[WOMEN], man=groups[MEN], icke_binara=groups[NON_BINARY])
    return result
