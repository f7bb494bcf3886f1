"""Writes of the budget: the budget lines, a month's costs, and imports from the accounting system.

Each write runs in one transaction, checks inside it that the actor leads the project and may
write, compares the version the leader saw (budget and month forms), and logs what changed
(no person). An import replaces whole months: for each month in the file, the month's stored
costs are replaced by the file's totals (so importing the same file again changes nothing), and
it keeps what it replaced, so the latest import can be undone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.budget import selectors
from vagval.budget.importing import Parsed
from vagval.budget.models import BudgetLine, Cost, CostImport, CostSource, CostType
from vagval.common.errors import Conflict, InvalidInput, PermissionDenied
from vagval.common.versions import require_version
from vagval.organisations.models import Project
from vagval.targets.selectors import led_project


class NeedsConfirmation(Exception):
    """The file has months that already hold costs: the leader confirms before they are replaced."""

    def __init__(self, months: list[dt.date]) -> None:
        super().__init__("confirm")
        self.months = months


def _require_writer(ctx: AccessContext, project: Project) -> Project:
    # Locks the project row, so two saves of the same budget or month queue behind each other.
    led_project(viewer=ctx.user, project_id=project.pk)
    if not ctx.user.can_write:
        raise PermissionDenied(_("Du har endast läsbehörighet."))
    return Project.objects.select_for_update().get(pk=project.pk)


def _log(ctx: AccessContext, action: str, project: Project, **detail: Any) -> None:
    access_log_record(
        ctx=ctx, action=action, basis=AccessBasis.ADMINISTRATION, detail={"project": str(project.pk), **detail}
    )


def _check_amounts(amounts: dict[str, Decimal | None]) -> None:
    errors = {
        key: [_("Beloppet kan inte vara negativt.")]
        for key, value in amounts.items()
        if value is not None and value < 0
    }
    unknown = set(amounts) - set(CostType.values)
    if unknown:
        raise InvalidInput(_("Okänd kostnadstyp."))
    if errors:
        raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors=errors)


def budget_save(
    *, ctx: AccessContext, project: Project, amounts: dict[str, Decimal | None], expected_version: str | None = None
) -> None:
    """Set the project's budget per cost type; an empty amount removes the line."""
    _check_amounts(amounts)
    with transaction.atomic():
        project = _require_writer(ctx, project)
        require_version(expected=expected_version, current=selectors.budget_version(project=project))
        current = {line.cost_type: line for line in BudgetLine.objects.filter(project=project)}
        for cost_type, amount in amounts.items():
            line = current.get(cost_type)
            if amount is None:
                if line is not None:
                    line.delete()
                    _log(ctx, "budget_line.removed", project, cost_type=cost_type)
            elif line is None:
                BudgetLine.objects.create(project=project, cost_type=cost_type, amount=amount, changed_by=ctx.user)
                _log(ctx, "budget_line.created", project, cost_type=cost_type, amount=str(amount))
            elif line.amount != amount:
                line.amount, line.changed_by = amount, ctx.user
                line.save()
                _log(ctx, "budget_line.changed", project, cost_type=cost_type, amount=str(amount))


def cost_month_save(
    *,
    ctx: AccessContext,
    project: Project,
    month: dt.date,
    amounts: dict[str, Decimal | None],
    expected_version: str | None = None,
) -> None:
    """Set a month's cost per cost type by hand; an empty amount removes it."""
    _check_amounts(amounts)
    month = selectors.first_of_month(month)
    with transaction.atomic():
        project = _require_writer(ctx, project)
        require_version(expected=expected_version, current=selectors.month_version(project=project, month=month))
        for cost_type, amount in amounts.items():
            Cost.objects.filter(project=project, month=month, cost_type=cost_type).delete()
            if amount is not None:
                Cost.objects.create(
                    project=project, month=month, cost_type=cost_type, amount=amount, changed_by=ctx.user
                )
        _log(ctx, "cost.recorded", project, month=month.isoformat()[:7])


def _as_rows(costs: Any) -> list[dict[str, str]]:
    return [
        {"cost_type": c.cost_type, "month": c.month.isoformat(), "amount": str(c.amount), "source": c.source}
        for c in costs
    ]


def cost_import(*, ctx: AccessContext, project: Project, file_name: str, parsed: Parsed, confirmed: bool) -> CostImport:
    """Store the file's good rows; replacing months that hold costs needs `confirmed`."""
    if parsed.error or not parsed.totals:
        raise InvalidInput(parsed.error or _("Filen har inga rader som kunde läsas in."))
    with transaction.atomic():
        project = _require_writer(ctx, project)
        months = parsed.months
        existing = Cost.objects.filter(project=project, month__in=months)
        if existing.exists() and not confirmed:
            raise NeedsConfirmation(selectors.months_with_costs(project=project, months=months))
        record = CostImport.objects.create(
            project=project,
            file_name=file_name[:200],
            imported_by=ctx.user,
            rows_accepted=parsed.accepted,
            rows_rejected=len(parsed.rejected),
            replaced=_as_rows(existing.order_by("month", "cost_type")),
        )
        existing.delete()
        Cost.objects.bulk_create(
            Cost(
                project=project,
                cost_type=cost_type,
                month=month,
                amount=amount,
                source=CostSource.IMPORT,
                cost_import=record,
                changed_by=ctx.user,
            )
            for (cost_type, month), amount in sorted(parsed.totals.items())
        )
        record.stored = _as_rows(Cost.objects.filter(cost_import=record).order_by("month", "cost_type"))
        record.save(update_fields=["stored"])
        _log(
            ctx,
            "cost.imported",
            project,
            months=[m.isoformat()[:7] for m in months],
            accepted=parsed.accepted,
            rejected=len(parsed.rejected),
        )
    return record


def cost_import_undo(*, ctx: AccessContext, cost_import: CostImport) -> None:
    """Put back what the latest import replaced; refused when a month was changed after it."""
    with transaction.atomic():
        project = _require_writer(ctx, cost_import.project)
        record = CostImport.objects.select_for_update().get(pk=cost_import.pk)
        if selectors.undoable_import(project=project) != record:
            raise Conflict(_("Bara den senaste importen kan ångras, och bara en gång."))
        months = sorted({dt.date.fromisoformat(row["month"]) for row in record.stored})
        current = Cost.objects.filter(project=project, month__in=months)
        if current.exclude(cost_import=record).exists():
            raise Conflict(
                _("Kostnaderna för de här månaderna har ändrats efter importen. Ändra dem i formuläret i stället.")
            )
        current.delete()
        Cost.objects.bulk_create(
            Cost(
                project=project,
                cost_type=row["cost_type"],
                month=dt.date.fromisoformat(row["month"]),
                amount=Decimal(row["amount"]),
                source=row.get("source", CostSource.FORM),
                changed_by=ctx.user,
            )
            for row in record.replaced
        )
        record.undone_at = timezone.now()
        record.save(update_fields=["undone_at"])
        _log(ctx, "cost.import_undone", project, cost_import=str(record.pk))
