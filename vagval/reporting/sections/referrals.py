"""Referral response times per partner: referrals about the project's participants sent in the
period, the median calendar days to the partner's first action (referrals' rule,
`response_times_of`). A median over fewer than 5 answers is withheld, like a share."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.common.charts import Cell, ChartSpec, Series, chart, count_cell, number_cell
from vagval.common.smallcell import is_small
from vagval.referrals.models import Referral
from vagval.referrals.selectors import ResponseTimeRow, response_times_of
from vagval.reporting.report import ReportContext, SectionResult, Table

KEY = "remisser"
TITLE = gettext_lazy("Svarstider på remisser per samverkanspart")


def _median(row: ResponseTimeRow) -> Cell:
    return Cell(None, "–") if is_small(row.answered) else number_cell(row.median_days)


def build(ctx: ReportContext) -> SectionResult:
    # EXISTS per referral, not `person_id IN (every participant)`: a project's referrals are few
    # beside its enrolments, and SQLite would list all of those first.
    referrals = Referral.objects.filter(
        Exists(ctx.enrolments().filter(person_id=OuterRef("person_id"))),
        sent_at__date__gte=ctx.start,
        sent_at__date__lte=ctx.end,
    )
    times = response_times_of(referrals=referrals)
    rows = [(str(row.unit) if row.unit else _("Alla samverkansparter"), row) for row in times]
    table = Table.of(
        f"{KEY}-tabell",
        _("Remisser och svarstid per mottagare"),
        (_("Mottagare"), _("Skickade"), _("Besvarade"), _("Väntar"), _("Median, dagar till första åtgärd")),
        [(label, [count_cell(r.sent), count_cell(r.answered), count_cell(r.waiting), _median(r)]) for label, r in rows],
    )
    partners = [(label, r) for label, r in rows if r.unit is not None]
    charts = []
    if partners:
        charts.append(
            chart(
                ChartSpec(
                    key=f"{KEY}-median",
                    title=_("Median antal dagar till första åtgärd, per mottagare"),
                    category_label=_("Mottagare"),
                    value_label=_("Dagar"),
                    categories=tuple(label for label, _r in partners),
                    series=(Series(_("Median, dagar"), tuple(_median(r) for _l, r in partners)),),
                )
            )
        )
    return SectionResult(
        key=KEY,
        title=str(TITLE),
        paragraphs=[
            _(
                "Remisser om projektets deltagare som skickades under perioden. Svarstiden är kalenderdagar från "
                "att remissen skickades till mottagarens första åtgärd (tar emot, avböjer eller begär mer underlag). "
                "Remisser som återkallades innan svar räknas inte."
            )
        ],
        tables=[table],
        charts=charts,
    )
