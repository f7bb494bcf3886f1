"""Follow-ups: response rate per follow-up kind and the 90-day outcome, overall and per municipality.

The counts are followup.figures' rule (`figure_counts`: due, answered within 30 days, positive
90-day outcome), for the project's follow-ups due in the period; this module only arranges them
and applies the small-cell rule. The targets (issue 13, targets app) are compared in their own
section.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.common.charts import ChartSpec, Series, chart, count_cell, share_cell
from vagval.followup.figures import FigureRow, total_row
from vagval.followup.models import FollowUpKind
from vagval.reporting.groups import FOLLOW_UP_KIND, FOLLOW_UP_MUNICIPALITY, follow_up_counts
from vagval.reporting.report import ReportContext, SectionResult, Table

KEY = "uppfoljning"
TITLE = gettext_lazy("Uppföljning: svarsfrekvens och resultat efter 90 dagar")


def _cells(row: FigureRow) -> list:  # type: ignore[type-arg]
    return [
        count_cell(row.due),
        count_cell(row.answered),
        share_cell(row.answered, row.due),
        count_cell(row.days_90),
        count_cell(row.positive),
        share_cell(row.positive, row.days_90),
    ]


COLUMNS = (
    gettext_lazy("Förfallna uppföljningar"),
    gettext_lazy("Besvarade inom 30 dagar"),
    gettext_lazy("Svarsfrekvens"),
    gettext_lazy("Förfallna 90-dagarsuppföljningar"),
    gettext_lazy("I arbete, alternativ arbetsmarknad eller studier"),
    gettext_lazy("Andel efter 90 dagar"),
)


def build(ctx: ReportContext) -> SectionResult:
    by_kind = follow_up_counts(ctx, FOLLOW_UP_KIND)
    kinds = [
        (str(label), by_kind.get((value,), FigureRow(str(label), 0, 0, 0, 0))) for value, label in FollowUpKind.choices
    ]
    total = total_row([row for _label, row in kinds])
    by_place = follow_up_counts(ctx, FOLLOW_UP_MUNICIPALITY)
    places = sorted(((str(key[0] or _("Okänd kommun")), row) for key, row in by_place.items()), key=lambda p: p[0])
    kind_table = Table.of(
        f"{KEY}-typ",
        _("Uppföljningar per tidpunkt"),
        (_("Uppföljning"), *(str(c) for c in COLUMNS)),
        [*((label, _cells(row)) for label, row in kinds), (_("Totalt"), _cells(total))],
    )
    place_table = Table.of(
        f"{KEY}-kommun",
        _("Uppföljningar per kommun"),
        (_("Kommun"), *(str(c) for c in COLUMNS)),
        [(label, _cells(row)) for label, row in places],
    )
    charts = []
    if places:
        charts.append(
            chart(
                ChartSpec(
                    key=f"{KEY}-andel",
                    title=_("Svarsfrekvens och andel i arbete eller studier efter 90 dagar, per kommun"),
                    category_label=_("Kommun"),
                    value_label=_("Procent"),
                    categories=tuple(label for label, _row in places),
                    series=(
                        Series(_("Svarsfrekvens"), tuple(share_cell(r.answered, r.due) for _l, r in places)),
                        Series(_("Andel efter 90 dagar"), tuple(share_cell(r.positive, r.days_90) for _l, r in places)),
                    ),
                    percent=True,
                )
            )
        )
    return SectionResult(
        key=KEY,
        title=str(TITLE),
        paragraphs=[
            _(
                "Uppföljningar med förfallodag under perioden. Svarsfrekvens: andel med ett utfall registrerat "
                "inom 30 dagar från förfallodagen. Andel efter 90 dagar: andel av de förfallna 90-dagars"
                "uppföljningarna med utfallet arbete, alternativ arbetsmarknad eller studier; en uppföljning "
                "utan svar räknas som inte i arbete eller studier. Andelar byggda på färre än 5 visas inte."
            )
        ],
        tables=[kind_table, place_table],
        charts=charts,
    )
