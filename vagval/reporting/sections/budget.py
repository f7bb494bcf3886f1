"""Budget and cost: budget and actual cost per cost type, cost per participant and per positive
outcome, for the report's period. The arithmetic is the budget app's
(`budget.selectors.project_cost_summary`); this module only arranges it. Costs are not person
data; the participant and outcome counts behind the ratios are shown only as the ratios.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.budget.selectors import project_cost_summary
from vagval.reporting.groups import entrant_count, positive_outcome_count
from vagval.reporting.report import ReportContext, SectionResult, Table

KEY = "budget"
TITLE = gettext_lazy("Budget och kostnad")


def _kronor(amount: Decimal | None) -> str:
    if amount is None:
        return "–"
    return f"{amount:,.0f} kr".replace(",", "\u00a0")


def build(ctx: ReportContext) -> SectionResult:
    # The counts behind the ratios come from the report's own passes (no second count here).
    summary = project_cost_summary(
        project=ctx.project,
        start=ctx.start,
        end=ctx.end,
        participants=entrant_count(ctx),
        positive_outcomes=positive_outcome_count(ctx),
    )
    lines = Table(
        KEY,
        _("Budget och kostnad per kostnadsslag"),
        (_("Kostnadsslag"), _("Budget"), _("Kostnad under perioden")),
        (
            *((str(row.label), _kronor(row.budget), _kronor(row.cost)) for row in summary.rows),
            (_("Totalt"), _kronor(summary.budget_total), _kronor(summary.cost_total)),
        ),
    )
    ratios = Table(
        f"{KEY}-per",
        _("Kostnad per deltagare och per positivt utfall"),
        (_("Mått"), _("Kostnad")),
        (
            (_("Kostnad per deltagare"), _kronor(summary.cost_per_participant)),
            (_("Kostnad per positivt utfall efter 90 dagar"), _kronor(summary.cost_per_positive_outcome)),
        ),
    )
    return SectionResult(
        key=KEY,
        title=str(TITLE),
        paragraphs=[
            _(
                "Kostnad per deltagare: periodens kostnad delad med antalet deltagare som började under perioden. "
                "Kostnad per positivt utfall: delad med antalet 90-dagarsuppföljningar under perioden med "
                "utfallet arbete, alternativ arbetsmarknad eller studier."
            )
        ],
        tables=[lines, ratios],
    )
