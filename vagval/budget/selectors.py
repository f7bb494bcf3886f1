"""Reads of the budget: a project's lines, costs and imports, and the cost summary.

Who: the project's leaders (the same rule as targets: `targets.selectors.led_project`).
Cost per participant uses the ESF+ participant count and cost per positive outcome the 90-day
outcome rule of followup, both through `targets.figures` (one rule each, never copied).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from vagval.access.scope import Scope
from vagval.accounts.models import User
from vagval.audit.models import AccessBasis
from vagval.audit.services import access_log_record
from vagval.budget.models import BudgetLine, Cost, CostImport, CostType
from vagval.common.errors import NotFound
from vagval.common.versions import version_of
from vagval.organisations.models import Project
from vagval.targets import figures
from vagval.targets.selectors import led_project, led_projects

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _version(rows: QuerySet) -> str:
    joined = "|".join(version_of(row) for row in rows.order_by("pk"))
    return hashlib.sha256(joined.encode()).hexdigest()


def budget_version(*, project: Project) -> str:
    """The version of the project's whole budget (the form edits every line at once)."""
    return _version(BudgetLine.objects.filter(project=project))


def month_version(*, project: Project, month: dt.date) -> str:
    return _version(Cost.objects.filter(project=project, month=month))


def budget_amounts(*, project: Project) -> dict[str, Decimal]:
    return dict(BudgetLine.objects.filter(project=project).values_list("cost_type", "amount"))


def month_amounts(*, project: Project, month: dt.date) -> dict[str, Decimal]:
    return dict(Cost.objects.filter(project=project, month=month).values_list("cost_type", "amount"))


def months_with_costs(*, project: Project, months: list[dt.date]) -> list[dt.date]:
    return sorted(set(Cost.objects.filter(project=project, month__in=months).values_list("month", flat=True)))


def imports(*, project: Project) -> QuerySet[CostImport]:
    return CostImport.objects.filter(project=project).select_related("imported_by")


def led_import(*, viewer: User, import_id: uuid.UUID) -> CostImport:
    record = CostImport.objects.filter(pk=import_id, project__in=led_projects(viewer=viewer)).first()
    if record is None:
        raise NotFound(_("Importen finns inte eller så leder du inte projektet."))
    return record


def undoable_import(*, project: Project) -> CostImport | None:
    """Only the latest import that is not undone can be undone (imports undo in reverse order)."""
    latest = CostImport.objects.filter(project=project).order_by("-created_at").first()
    return latest if latest is not None and latest.undone_at is None else None


# --- The summary -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostTypeRow:
    cost_type: str  # budget.models.CostType
    label: str
    budget: Decimal  # the whole project period's budget for the type
    cost: Decimal  # actual cost in the period
    cost_to_date: Decimal  # actual cost from the first month on record to the period's end

    @property
    def used_share(self) -> Decimal | None:
        """The share of the budget used up to the period's end, in per cent (None: no budget)."""
        return (100 * self.cost_to_date / self.budget).quantize(Decimal("0.1")) if self.budget else None


@dataclass(frozen=True)
class MonthCost:
    month: dt.date
    by_type: dict[str, Decimal]
    total: Decimal


@dataclass(frozen=True)
class CostSummary:
    project_id: uuid.UUID
    project_name: str
    start: dt.date
    end: dt.date
    rows: list[CostTypeRow]  # one per cost type, in CostType order
    months: list[MonthCost]  # the months of the period that have costs
    budget_total: Decimal
    cost_total: Decimal  # in the period
    cost_to_date: Decimal
    participants: int  # ESF+ rule: participants who started in the period
    positive_outcomes: int  # 90-day follow-ups due in the period with a positive outcome
    cost_per_participant: Decimal | None  # None when there is nobody to divide by
    cost_per_positive_outcome: Decimal | None


def divide(amount: Decimal, count: int) -> Decimal | None:
    """Kronor per head, rounded to whole öre (half up); None for no heads."""
    return (amount / count).quantize(CENT, rounding=ROUND_HALF_UP) if count else None


def project_cost_summary(
    *,
    project: Project,
    start: dt.date,
    end: dt.date,
    participants: int | None = None,
    positive_outcomes: int | None = None,
) -> CostSummary:
    """The arithmetic without the access check (callers check first; the tests call it directly).

    Costs count by month: the months whose first day lies in [first of start's month, end].
    `participants` and `positive_outcomes`: the counts behind the ratios, when the caller has
    already counted them by the same rules (`targets.figures`; the steering-group report)."""
    budget = budget_amounts(project=project)
    in_period: dict[str, Decimal] = defaultdict(lambda: ZERO)
    to_date: dict[str, Decimal] = defaultdict(lambda: ZERO)
    months: dict[dt.date, dict[str, Decimal]] = defaultdict(dict)
    for cost_type, month, amount in Cost.objects.filter(project=project, month__lte=end).values_list(
        "cost_type", "month", "amount"
    ):
        to_date[cost_type] += amount
        if month >= first_of_month(start):
            in_period[cost_type] += amount
            months[month][cost_type] = amount
    rows = [
        CostTypeRow(value, str(label), budget.get(value, ZERO), in_period[value], to_date[value])
        for value, label in CostType.choices
    ]
    cost_total = sum((row.cost for row in rows), ZERO)
    if participants is None:
        participants = figures.participants(project, start, end).base
    positive = figures.positive_outcomes(project, start, end) if positive_outcomes is None else positive_outcomes
    return CostSummary(
        project_id=project.pk,
        project_name=project.name,
        start=start,
        end=end,
        rows=rows,
        months=[MonthCost(m, by_type, sum(by_type.values(), ZERO)) for m, by_type in sorted(months.items())],
        budget_total=sum((row.budget for row in rows), ZERO),
        cost_total=cost_total,
        cost_to_date=sum((row.cost_to_date for row in rows), ZERO),
        participants=participants,
        positive_outcomes=positive,
        cost_per_participant=divide(cost_total, participants),
        cost_per_positive_outcome=divide(cost_total, positive),
    )


def cost_summary(*, scope: Scope, project: Project, start: dt.date, end: dt.date) -> CostSummary:
    """Budget, costs, cost per participant and per positive outcome for the project and period.

    For the project's leaders only (NotFound for anyone else); aggregates only, logged once as
    `budget.viewed` (no person). Must run inside an active scope: the counts read person-level records."""
    led_project(viewer=scope.actor, project_id=project.pk)
    summary = project_cost_summary(project=project, start=start, end=end)
    access_log_record(
        ctx=scope.ctx,
        action="budget.viewed",
        basis=AccessBasis.ADMINISTRATION,
        detail={"project": str(project.pk), "from": start.isoformat(), "to": end.isoformat()},
    )
    return summary
