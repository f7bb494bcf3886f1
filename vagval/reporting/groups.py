"""Participants counted by what the report breaks figures down by, and their distance travelled.

Shared by the sections that break down by municipality, method and gender. The rule for
"closer to the labour market" is assessments' (`distance_outcomes`, the setting PROGRESS_RULE);
this only groups persons.

Participants per group are counted by the database (COUNT(DISTINCT person) … GROUP BY), not
read row by row: a project has hundreds of thousands of enrolments. Only the enrolments of
persons with a distance-travelled rating are read, to count the assessed ones per group.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from vagval.assessments.progress import RULES, progress_rule
from vagval.assessments.selectors import distance_outcomes_by_key, distance_rated_persons
from vagval.common.sql import as_uuid, distinct_counts, hex_key, query_rows
from vagval.esf.indicators.compute import participant_identity
from vagval.evaluation.dataset import age_band_expression
from vagval.followup.figures import FigureRow, figure_counts, project_follow_ups
from vagval.people.models import Gender
from vagval.reporting.report import ReportContext

MUNICIPALITY = "unit__organisation__municipality__name"
METHOD = "method__name"
GENDER = "person__gender"
Key = tuple[str, ...]


def _label(path: str, value: object) -> str:
    if path == AGE_BAND:
        return str(value) if value else _("Okänd ålder")
    if path == GENDER:
        return str(dict(Gender.choices).get(str(value or ""), _("Ej angivet")))
    if value:
        return str(value)
    return _("Ingen metod angiven") if path == METHOD else _("Okänd kommun")


def _key(paths: tuple[str, ...], values: tuple[object, ...]) -> Key:
    return tuple(_label(path, value) for path, value in zip(paths, values, strict=True))


AGE_BAND = "age_band"  # at the start of the enrolment, evaluation's bands (not a field: an expression)
STARTS_ON, ENDS_ON, UNIT = "starts_on", "ends_on", "unit_id"
# The breakdowns the report's sections ask for, counted together in one statement the first time
# any of them is asked for (each separate count read the project's enrolments again): distinct
# persons per group, and enrolments per start day, end day and unit (the flow's inflow and
# active, the units whose lists first contact reads).
REPORT_GROUPINGS = ((GENDER,), (MUNICIPALITY,), (METHOD, MUNICIPALITY), (AGE_BAND,))
ENROLMENT_GROUPINGS = ((STARTS_ON,), (ENDS_ON,), (UNIT,))
# The budget's participants (esf's participant rule: one per identity number, started in the
# period), counted in the same pass: distinct ENTRANT per value of STARTED.
ENTRANT, STARTED = "entrant", "started"


def participant_counts(ctx: ReportContext, *paths: str) -> dict[Key, int]:
    """The period's participants (distinct persons) per combination of the given enrolment fields
    (or AGE_BAND); no fields: the key () and everyone. Two raw values with one label (an unknown
    gender and "") are added: a person has one value of a person field, and one label stands for
    each missing enrolment field."""
    key = ("participants", paths)
    if key not in ctx.memo:
        if paths in REPORT_GROUPINGS:
            _count_report_groupings(ctx)
        else:
            ((counts,), _none, _entrants) = _counts(ctx, (paths,), ())
            ctx.memo[key] = counts
    return ctx.memo[key]  # type: ignore[return-value]


def enrolment_counts(ctx: ReportContext, path: str) -> dict[Any, int]:
    """The period's enrolments per value of STARTS_ON (a date), ENDS_ON (a date or None) or UNIT
    (a unit id)."""
    key = ("enrolments", path)
    if key not in ctx.memo:
        _count_report_groupings(ctx)
    return ctx.memo[key]  # type: ignore[return-value]


def entrant_count(ctx: ReportContext) -> int:
    """The participants who started in the period by esf's participant rule
    (`targets.figures.participants`, the budget's cost per participant), from the report's pass."""
    if ("entrants",) not in ctx.memo:
        _count_report_groupings(ctx)
    return ctx.memo[("entrants",)]  # type: ignore[return-value]


def _count_report_groupings(ctx: ReportContext) -> None:
    persons, enrolments, entrants = _counts(ctx, REPORT_GROUPINGS, ENROLMENT_GROUPINGS, entrants=True)
    for grouping, counts in zip(REPORT_GROUPINGS, persons, strict=True):
        ctx.memo[("participants", grouping)] = counts
    for (path,), raw_counts in zip(ENROLMENT_GROUPINGS, enrolments, strict=True):
        ctx.memo[("enrolments", path)] = {_value(path, value): n for (value,), n in raw_counts.items()}
    # An enrolment that started in the period is open in it (a constraint: no end before the start).
    ctx.memo[("entrants",)] = sum(n for (started,), n in entrants.items() if started)


def _column(ctx: ReportContext, path: str) -> Case | F | Coalesce:
    if path == AGE_BAND:
        return age_band_expression("person__birth_date", "starts_on")
    if path == ENTRANT:
        return participant_identity()
    if path == STARTED:
        return Case(When(starts_on__gte=ctx.start, then=Value(1)), default=Value(0), output_field=IntegerField())
    return F(path)


def _value(path: str, raw: object) -> object:
    """A date or unit id as the ORM gives it (the grouped statement gives them as the driver does)."""
    if path == UNIT:
        return as_uuid(raw)
    return dt.date.fromisoformat(raw) if isinstance(raw, str) else raw


def _counts(
    ctx: ReportContext,
    person_groupings: tuple[tuple[str, ...], ...],
    enrolment_groupings: tuple[tuple[str, ...], ...],
    *,
    entrants: bool = False,
) -> tuple[list[dict[Key, int]], list[dict[tuple[Any, ...], int]], dict[tuple[Any, ...], int]]:
    """COUNT(DISTINCT person) … GROUP BY per person grouping and COUNT(*) … GROUP BY per
    enrolment grouping, and with `entrants` COUNT(DISTINCT ENTRANT) … GROUP BY STARTED, all
    from one pass over the enrolments."""
    extra = (ENTRANT, STARTED) if entrants else ()
    paths = sorted({path for grouping in (*person_groupings, *enrolment_groupings) for path in grouping} | set(extra))
    names = {path: f"g{index}" for index, path in enumerate(paths)}
    rows = ctx.enrolments().values(who=F("person_id"), **{names[path]: _column(ctx, path) for path in paths})
    counted = distinct_counts(
        rows,
        groupings=[
            *(("who", [names[p] for p in grouping]) for grouping in person_groupings),
            *((None, [names[p] for p in grouping]) for grouping in enrolment_groupings),
            *([(names[ENTRANT], [names[STARTED]])] if entrants else []),
        ],
    )
    persons = []
    for grouping, raw in zip(person_groupings, counted, strict=False):
        counts: dict[Key, int] = defaultdict(int)
        for values, n in raw.items():
            counts[_key(grouping, values)] += n
        persons.append(dict(counts))
    ends = len(person_groupings) + len(enrolment_groupings)
    return persons, counted[len(person_groupings) : ends], counted[ends] if entrants else {}


FOLLOW_UP_KIND = "kind"
FOLLOW_UP_METHOD = "exit__enrolment__method__name"
FOLLOW_UP_MUNICIPALITY = "exit__enrolment__unit__organisation__municipality__name"
_FOLLOW_UP_PATHS = (FOLLOW_UP_KIND, FOLLOW_UP_METHOD, FOLLOW_UP_MUNICIPALITY)


def follow_up_counts(ctx: ReportContext, *paths: str) -> dict[tuple[object, ...], FigureRow]:
    """followup.figures' counts of the project's follow-ups due in the period, by any of kind,
    method and municipality (raw values as keys). One GROUP BY by all three per report, added up
    here: each follow-up is in exactly one group, so the sums are the counts by fewer fields."""
    if "follow_ups" not in ctx.memo:
        follow_ups = project_follow_ups(project_id=ctx.project.pk, start=ctx.start, end=ctx.end)
        ctx.memo["follow_ups"] = figure_counts(follow_ups=follow_ups, paths=_FOLLOW_UP_PATHS, today=ctx.today)
    rows: dict[tuple[object, ...], FigureRow] = ctx.memo["follow_ups"]  # type: ignore[assignment]
    columns = [_FOLLOW_UP_PATHS.index(path) for path in paths]
    sums: dict[tuple[object, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for key, row in rows.items():
        cell = sums[tuple(key[c] for c in columns)]
        for index, count in enumerate((row.due, row.answered, row.days_90, row.positive)):
            cell[index] += count
    return {key: FigureRow(str(key), *cell) for key, cell in sums.items()}


def positive_outcome_count(ctx: ReportContext) -> int | None:
    """The positive 90-day outcomes due in the period (`targets.figures.positive_outcomes`, the
    budget's cost per positive outcome) from the report's follow-up counts; None when the period
    ends after today, where those counts leave out the follow-ups not yet due."""
    if ctx.end > ctx.today:
        return None
    return sum(row.positive for row in follow_up_counts(ctx).values())


@dataclass(frozen=True)
class Distance:
    outcomes: dict[str, bool | None]  # by the person id's hex digits
    instrument: str
    rule_text: str
    # Per (municipality, method, gender) of the rated persons' enrolments in the period: the
    # persons (hex ids) with an outcome, and those of them who moved closer. Sets, so that the
    # sections' groupings are unions of a few dozen sets rather than a pass over every rating.
    assessed: dict[Key, frozenset[str]]
    moved: dict[Key, frozenset[str]]

    def counts(self, *paths: str) -> dict[Key, tuple[int, int]]:
        """Per group of the given fields: (assessed at least twice, moved closer), each person
        once per group."""
        columns = [(MUNICIPALITY, METHOD, GENDER).index(path) for path in paths]
        assessed: dict[Key, set[str]] = defaultdict(set)
        moved: dict[Key, set[str]] = defaultdict(set)
        for key, persons in self.assessed.items():
            group = tuple(key[c] for c in columns)
            assessed[group] |= persons
            moved[group] |= self.moved[key]
        return {group: (len(persons), len(moved[group])) for group, persons in assessed.items()}


def distance(ctx: ReportContext) -> Distance:
    if "distance" not in ctx.memo:
        ctx.memo["distance"] = _distance(ctx)
    return ctx.memo["distance"]  # type: ignore[return-value]


def _distance(ctx: ReportContext) -> Distance:
    rule = progress_rule()
    outcomes, title = distance_outcomes_by_key(persons=ctx.enrolments().values("person_id"), rule=rule)
    paths = (MUNICIPALITY, METHOD, GENDER)
    rows = (
        ctx.enrolments()
        .filter(person_id__in=distance_rated_persons())
        .values_list("person_id", *paths)
        .distinct()
        .order_by()
    )
    labels: dict[tuple[object, ...], Key] = {}
    assessed: dict[Key, set[str]] = defaultdict(set)
    # Read as the driver gives them (no UUID made per row): only the hex digits are compared.
    for person_id, *values in query_rows(rows):
        key = hex_key(person_id)
        if outcomes.get(key) is None:
            continue
        raw = tuple(values)
        if raw not in labels:
            labels[raw] = _key(paths, raw)
        assessed[labels[raw]].add(key)
    return Distance(
        outcomes=outcomes,
        instrument=title,
        rule_text=str(RULES[rule]),
        assessed={group: frozenset(persons) for group, persons in assessed.items()},
        moved={group: frozenset(p for p in persons if outcomes[p]) for group, persons in assessed.items()},
    )
