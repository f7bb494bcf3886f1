"""Counting the ESF+ indicators for a project and period: one aggregate query for the whole table.

The rows are the project's enrolments (a person's record at one unit), with what the indicators
ask about annotated on them: the participant key, the gender group, the entry data (a LEFT JOIN
to EsfEntry), the current exit (not superseded by a re-entry) and its follow-ups. One GROUP BY
on the gender group counts, for every indicator, the distinct participants that meet its
condition; the total is the sum of the three groups (and, for EECO01, of the incomplete ones).

A participant is counted once per project: the key is the identity number (shared by every
unit's record of the same person) or, for a person without one, the record itself. Re-entry
reopens the same enrolment (people.services), so it is one row with its first start.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from vagval.esf.indicators import REGISTRY, Indicator, Kind
from vagval.esf.models import LabourStatus
from vagval.esf.rules import GROUPS, MEN, NON_BINARY, WOMEN
from vagval.followup.models import FollowUp, FollowUpKind, FollowUpStatus
from vagval.organisations.models import Project
from vagval.people.models import Enrolment, EnrolmentStatus, Gender

# The 28-day follow-up counts as the last event only when it lies within 4 weeks of leaving.
IMMEDIATE_WINDOW = dt.timedelta(days=28)
INCOMPLETE = "ofullstandig"


@dataclass(frozen=True)
class Counts:
    total: int
    kvinnor: int
    man: int
    icke_binara: int

    def as_dict(self) -> dict[str, int]:
        return {"total": self.total, "kvinnor": self.kvinnor, "man": self.man, "icke_binara": self.icke_binara}


def complete() -> Q:
    """Known gender, labour-market status, age and education: otherwise only in EECO01's total."""
    return (
        Q(person__gender__in=[Gender.WOMAN, Gender.MAN, Gender.NON_BINARY, Gender.OTHER])
        & Q(esf_entry__labour_status__in=LabourStatus.values)
        & Q(esf_entry__isced__isnull=False)
        & Q(esf_entry__age_at_entry__isnull=False)
    )


def _follow_up_outcome(kind: str, *, within_window: bool = False) -> Subquery:
    follow_ups = FollowUp.objects.filter(exit_id=OuterRef("current_exit__id"), kind=kind, status=FollowUpStatus.DONE)
    if within_window:
        window_end = ExpressionWrapper(OuterRef("current_exit__exit_on") + IMMEDIATE_WINDOW, output_field=DateField())
        follow_ups = follow_ups.filter(due_on__lte=window_end)
    return Subquery(follow_ups.values("outcome")[:1], output_field=CharField())


def participant_identity() -> Coalesce:
    """An enrolment's participant: the person's identity number, or their record's id without
    one (one young person at two units of a project is one participant)."""
    return Coalesce("person__id_number", Cast("person_id", output_field=CharField()))


def participant_rows(*, project: Project | uuid.UUID, start: dt.date, end: dt.date) -> QuerySet[Enrolment]:
    """The project's enrolments that entered or left during [start, end], annotated for the conditions."""
    project_id = project.pk if isinstance(project, Project) else project
    in_period = Q(starts_on__gte=start, starts_on__lte=end) | Q(
        current_exit__exit_on__gte=start, current_exit__exit_on__lte=end
    )
    return (
        Enrolment.objects.filter(project_id=project_id, person__merged_into__isnull=True)
        .exclude(status=EnrolmentStatus.PLANNED)
        .annotate(current_exit=FilteredRelation("exits", condition=Q(exits__superseded_on__isnull=True)))
        .filter(in_period)
        .annotate(
            participant=participant_identity(),
            gender_group=Case(
                When(person__gender=Gender.WOMAN, then=Value(WOMEN)),
                When(person__gender=Gender.MAN, then=Value(MEN)),
                When(person__gender__in=[Gender.NON_BINARY, Gender.OTHER], then=Value(NON_BINARY)),
                default=Value(""),
                output_field=CharField(),
            ),
            # The last event within 4 weeks: the 28-day follow-up's outcome when it was done in
            # time, otherwise the situation at leaving.
            immediate=Coalesce(
                _follow_up_outcome(FollowUpKind.WEEKS_4, within_window=True),
                F("current_exit__situation"),
                output_field=CharField(),
            ),
            after_6_months=_follow_up_outcome(FollowUpKind.MONTHS_6),
        )
    )


def _period(indicator: Indicator, start: dt.date, end: dt.date) -> Q:
    if indicator.kind == Kind.OUTPUT:
        return Q(starts_on__gte=start, starts_on__lte=end)
    return Q(current_exit__exit_on__gte=start, current_exit__exit_on__lte=end)


def count_indicators(*, project: Project | uuid.UUID, start: dt.date, end: dt.date) -> dict[str, Counts]:
    """Every indicator in the registry for the project and period, by gender group (one query)."""
    aggregates = {}
    for code, indicator in REGISTRY.items():
        condition = _period(indicator, start, end) & complete() & indicator.condition()
        aggregates[code] = Count("participant", distinct=True, filter=condition)
    # EECO01's total also counts the incomplete records.
    aggregates[INCOMPLETE] = Count("participant", distinct=True, filter=_period(REGISTRY["EECO01"], start, end))
    rows = (
        participant_rows(project=project, start=start, end=end)
        .values("gender_group")  # type: ignore[misc]  # an annotation, which the plugin does not see
        .annotate(**aggregates)
    )
    by_group: dict[str, dict[str, int]] = {row["gender_group"]: row for row in rows}

    def cell(group: str, code: str) -> int:
        return int(by_group.get(group, {}).get(code, 0) or 0)

    result: dict[str, Counts] = {}
    for code, indicator in REGISTRY.items():
        groups = {group: cell(group, code) for group in GROUPS}
        if indicator.counts_incomplete:
            total = sum(cell(group, INCOMPLETE) for group in (*GROUPS, ""))
        else:
            total = sum(groups.values())
        result[code] = Counts(total=total, kvinnor=groups[WOMEN], man=groups[MEN], icke_binara=groups[NON_BINARY])
    return result
