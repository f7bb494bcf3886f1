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

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.accounts.models import Role, User
from vagval.assessments.selectors import cohort_projects
from vagval.common.errors import PermissionDenied
from vagval.common.smallcell import small_cell, small_share
from vagval.common.sql import UtcDaysAfter
from vagval.followup.models import POSITIVE_SITUATIONS, Exit, FollowUp, FollowUpKind, FollowUpStatus
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


def _answered_in_time() -> Q:
    """Done, with an outcome recorded (Swedish date) at most 30 days after the due date.

    The local date is within a day of the UTC date, so only answers whose UTC date is 30 or 31
    days after the due date need the exact, time-zone-aware test (slow on SQLite)."""
    utc_days = UtcDaysAfter("recorded_at", "due_on")
    local_delay = ExpressionWrapper(TruncDate("recorded_at") - F("due_on"), output_field=DurationField())
    exact = Q(LessThanOrEqual(utc_days, RESPONSE_WINDOW_DAYS + 1)) & Q(
        LessThanOrEqual(local_delay, dt.timedelta(days=RESPONSE_WINDOW_DAYS))
    )
    in_time = Q(LessThanOrEqual(utc_days, RESPONSE_WINDOW_DAYS - 1)) | exact
    return Q(status=FollowUpStatus.DONE, recorded_at__isnull=False) & in_time


def _counts() -> dict[str, Count]:
    """The four counts of a group of due follow-ups, in the database: [due, answered within 30
    days, due 90-day follow-ups, positive 90-day outcomes] (positive: done, in work, an
    alternative labour market or education)."""
    days_90 = Q(kind=FollowUpKind.DAYS_90)
    positive = days_90 & Q(status=FollowUpStatus.DONE, outcome__in=POSITIVE_SITUATIONS)
    return {
        "due": Count("pk"),
        "answered": Count("pk", filter=_answered_in_time()),
        "days_90": Count("pk", filter=days_90),
        "positive": Count("pk", filter=positive),
    }


COUNTED = ("due", "answered", "days_90", "positive")


@dataclass(frozen=True)
class FollowUpCounts:
    due: int  # due follow-ups of every kind (not "ej aktuell")
    answered: int  # of them, answered within 30 days of the due date
    days_90: int  # due 90-day follow-ups
    positive: int  # of them, done with an outcome in POSITIVE_SITUATIONS


def project_follow_up_counts(*, project_id: uuid.UUID, due_from: dt.date, due_to: dt.date) -> FollowUpCounts:
    """One project's follow-ups due in [due_from, due_to], across its units, counted by this
    module's rules: for the project's targets and the cost per positive outcome (apps targets and
    budget). Counts only; who may see them is the caller's check."""
    counted = (
        # The project's exits as a subquery: SQLite then looks up no exit or enrolment per follow-up.
        FollowUp.objects.filter(
            exit_id__in=Exit.objects.filter(enrolment__project_id=project_id).values("pk"),
            due_on__gte=due_from,
            due_on__lte=due_to,
        )
        .exclude(status=FollowUpStatus.NOT_APPLICABLE)
        .aggregate(**_counts())
    )
    return FollowUpCounts(*(counted[name] for name in COUNTED))


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
    90-day follow-ups and positive ones, counted by the database (GROUP BY). Keys are the raw
    values (None where missing)."""
    rows = (
        follow_ups.filter(due_on__lte=today)
        .exclude(status=FollowUpStatus.NOT_APPLICABLE)
        .values(*paths)
        .annotate(**_counts())
        .order_by()
    )
    result = {}
    for row in rows:
        key = tuple(row[path] for path in paths)
        result[key] = FigureRow(str(key), *(row[name] for name in COUNTED))
    return result


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
