"""Time to first contact: for the project's participants who came through a unit's KAA or UVAS
list, the working days from identification to the first contact that reached them and the days to
the first measure (outreach's rule, `contact_figures_for`), for lists opened in the period."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.common.charts import Cell, count_cell, number_cell
from vagval.common.smallcell import is_small
from vagval.outreach.selectors import contact_figures_for
from vagval.reporting.groups import UNIT, enrolment_counts
from vagval.reporting.report import ReportContext, SectionResult, Table

KEY = "forsta-kontakt"
TITLE = gettext_lazy("Tid till första kontakt")


def _median(value: float | None, count: int) -> Cell:
    return Cell(None, "–") if is_small(count) else number_cell(value)


def build(ctx: ReportContext) -> SectionResult:
    enrolments = ctx.enrolments()
    unit_ids: list[uuid.UUID] = list(enrolment_counts(ctx, UNIT))
    rows = contact_figures_for(
        unit_ids=unit_ids,
        persons=enrolments.values("person_id"),
        date_from=ctx.start,
        date_to=ctx.end,
        today=ctx.today,
    )
    table = Table.of(
        f"{KEY}-tabell",
        _("Tid från identifiering till första kontakt"),
        (
            _("Lista"),
            _("Identifierade"),
            _("Nådda"),
            _("Nådda inom målet"),
            _("Median, arbetsdagar till kontakt"),
            _("Med insats"),
            _("Median, dagar till insats"),
        ),
        [
            (
                row.label,
                [
                    count_cell(row.episodes),
                    count_cell(row.reached),
                    count_cell(row.reached_within_target),
                    _median(row.median_workdays_to_contact, row.reached),
                    count_cell(row.with_measure),
                    _median(row.median_days_to_measure, row.with_measure),
                ],
            )
            for row in rows
        ],
    )
    return SectionResult(
        key=KEY,
        title=str(TITLE),
        paragraphs=[
            _(
                "Deltagare som kom till projektet via kommunens KAA- eller UVAS-lista, där de identifierades under "
                "perioden. Tiden räknas i arbetsdagar från identifieringen till den första kontakten som nådde "
                "personen; målet är varje kommuns inställning."
            )
        ],
        tables=[table],
    )
