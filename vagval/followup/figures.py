"""Follow-up figures: response rate and the 90-day outcome, per project, coach, municipality,
gender and method. Aggregates only, shown under the small-cell rule (common.smallcell): every
count under 5, 0 included, is shown as "<5", and a share whose part or whole is such a count is
withheld ("–").

Who sees which follow-ups: a coach (or read-only colleague) their unit's; a project leader the
follow-ups of their projects (assessments.selectors.cohort_projects), across units, as counts.

Definitions (issue 12; docs/ARCHITECTURE.md):
- due: due date on or before today, not "ej aktuell" (a re-entry cancelled it);
- answered within 30 days: an outcome (klar) recorded at most 30 days after the due date;
- 90-day outcome: of the due 90-day follow-ups, the share whose outcome is in work, an
  alternative labour market or education. A follow-up without an outcome counts as not positive
  (seed 002's 30 % is of those who left, not of those who answered).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.accounts.models import Role, User
from vagval.assessments.selectors import cohort_projects
from vagval.common.errors import PermissionDenied
from vagval.common.smallcell import small_cell, small_share
from vagval.followup.models import POSITIVE_SITUATIONS, FollowUp, FollowUpKind, FollowUpStatus
from vagval.people.models import Gender

RESPONSE_WINDOW_DAYS = 30

DIMENSIONS = {
    "project": (gettext_lazy("Projekt"), "exit__enrolment__project__name"),
    "coach": (gettext_lazy("Coach"), "exit__enrolment__coach__username"),
    "municipality": (gettext_lazy("Hemkommun"), "person__home_municipality__name"),
    "gender": (gettext_lazy("Kön"), "person__gender"),
    "method": (gettext_lazy("Metod"), "exit__enrolment__method__name"),
}


def may_see_figures(*, viewer: User) -> bool:
    if viewer.role in {Role.COACH, Role.PROJECT_LEADER} and viewer.unit_id is not None:
        return True
    return cohort_projects(viewer=viewer).exists()


def _follow_ups(viewer: User) -> QuerySet[FollowUp]:
    projects = list(cohort_projects(viewer=viewer).values_list("pk", flat=True))
    where = Q(exit__enrolment__project_id__in=projects) if projects else Q(pk__in=[])
    if viewer.role in {Role.COACH, Role.PROJECT_LEADER} and viewer.unit_id is not None:
        where |= Q(unit_id=viewer.unit_id)
    return FollowUp.objects.filter(where)


def is_positive(status: str, outcome: str | None) -> bool:
    """The 90-day outcome rule: done, with an outcome in work, alternative labour market or education."""
    return status == FollowUpStatus.DONE and outcome in POSITIVE_SITUATIONS


def _answered_in_time(status: str, due_on: dt.date, recorded_at: dt.datetime | None) -> bool:
    return (
        status == FollowUpStatus.DONE
        and recorded_at is not None
        and timezone.localdate(recorded_at) <= due_on + dt.timedelta(days=RESPONSE_WINDOW_DAYS)
    )


def _add(cell: list[int], kind: str, status: str, outcome: str | None, due_on: dt.date, recorded_at: Any) -> None:
    """Count one due follow-up into [due, answered, days_90, positive]: the rules of this module."""
    cell[0] += 1
    cell[1] += _answered_in_time(status, due_on, recorded_at)
    if kind == FollowUpKind.DAYS_90:
        cell[2] += 1
        cell[3] += is_positive(status, outcome)


@dataclass(frozen=True)
class FollowUpCounts:
    due: int  # due follow-ups of every kind (not "ej aktuell")
    answered: int  # of them, answered within 30 days of the due date
    days_90: int  # due 90-day follow-ups
    positive: int  # of them, positive by is_positive


def project_follow_up_counts(*, project_id: uuid.UUID, due_from: dt.date, due_to: dt.date) -> FollowUpCounts:
    """One project's follow-ups due in [due_from, due_to], across its units, counted by this
    module's rules: for the project's targets and the cost per positive outcome (apps targets and
    budget). Counts only; who may see them is the caller's check."""
    rows = (
        FollowUp.objects.filter(exit__enrolment__project_id=project_id, due_on__gte=due_from, due_on__lte=due_to)
        .exclude(status=FollowUpStatus.NOT_APPLICABLE)
        .values_list("kind", "status", "outcome", "due_on", "recorded_at")
    )
    cell = [0, 0, 0, 0]
    for row in rows.iterator():
        _add(cell, *row)
    return FollowUpCounts(*cell)


@dataclass(frozen=True)
class FigureRow:
    label: str
    due: int
    answered: int
    days_90: int
    positive: int

    @property
    def due_shown(self) -> str:
        return small_cell(self.due)

    @property
    def answered_shown(self) -> str:
        return small_cell(self.answered)

    @property
    def response_rate(self) -> str:
        return small_share(self.answered, self.due)

    @property
    def days_90_shown(self) -> str:
        return small_cell(self.days_90)

    @property
    def positive_shown(self) -> str:
        return small_cell(self.positive)

    @property
    def positive_rate(self) -> str:
        return small_share(self.positive, self.days_90)


@dataclass(frozen=True)
class Figures:
    dimension: str
    dimension_label: str
    rows: list[FigureRow]
    total: FigureRow


def project_follow_ups(*, project_id: uuid.UUID, start: dt.date, end: dt.date) -> QuerySet[FollowUp]:
    """A project's follow-ups due in [start, end] (the steering-group report: counts only)."""
    return FollowUp.objects.filter(exit__enrolment__project_id=project_id, due_on__gte=start, due_on__lte=end)


def figure_counts(
    *, follow_ups: QuerySet[FollowUp], paths: tuple[str, ...], today: dt.date
) -> dict[tuple[object, ...], FigureRow]:
    """The counting rule, written once: per value of `paths`, due, answered within 30 days, due
    90-day follow-ups and positive ones. Keys are the raw values (None where missing)."""
    rows = (
        follow_ups.filter(due_on__lte=today)
        .exclude(status=FollowUpStatus.NOT_APPLICABLE)
        .values_list(*paths, "kind", "status", "outcome", "due_on", "recorded_at")
    )
    width = len(paths)
    counts: dict[tuple[object, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in rows.iterator(chunk_size=5000):
        _add(counts[tuple(row[:width])], *row[width:])
    return {key: FigureRow(str(key), *values) for key, values in counts.items()}


def total_row(rows: list[FigureRow]) -> FigureRow:
    return FigureRow(
        _("Totalt"),
        sum(r.due for r in rows),
        sum(r.answered for r in rows),
        sum(r.days_90 for r in rows),
        sum(r.positive for r in rows),
    )


def follow_up_figures(*, viewer: User, dimension: str = "project", today: dt.date | None = None) -> Figures:
    if not may_see_figures(viewer=viewer):
        raise PermissionDenied(_("Bara coacher och projektledare ser uppföljningens siffror."))
    today = today or timezone.localdate()
    if dimension not in DIMENSIONS:
        dimension = "project"
    label, path = DIMENSIONS[dimension]
    gender_labels = dict(Gender.choices)
    merged: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for (key,), figures in figure_counts(follow_ups=_follow_ups(viewer), paths=(path,), today=today).items():
        if dimension == "gender":
            key = str(gender_labels.get(key, "")) if key else ""  # type: ignore[call-overload]
        cell = merged[str(key) if key else _("Uppgift saknas")]
        for index, value in enumerate((figures.due, figures.answered, figures.days_90, figures.positive)):
            cell[index] += value
    result = [FigureRow(name, *values) for name, values in sorted(merged.items())]
    return Figures(dimension=dimension, dimension_label=str(label), rows=result, total=total_row(result))
