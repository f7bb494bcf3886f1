"""Method comparison (seed 001): per method and municipality, participants, the 90-day outcome and
distance travelled, each share with a 95 % Wilson interval, under the small-cell rule.

The method is the enrolment's (`people.Enrolment.method`); the municipality is the enrolling unit's.
The 90-day counts are followup.figures' rule, distance travelled assessments' rule.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.common.charts import Cell, ChartSpec, Series, chart, count_cell, share_cell
from vagval.followup.figures import FigureRow
from vagval.reporting.groups import (
    FOLLOW_UP_METHOD,
    FOLLOW_UP_MUNICIPALITY,
    METHOD,
    MUNICIPALITY,
    distance,
    follow_up_counts,
    participant_counts,
)
from vagval.reporting.report import ReportContext, SectionResult, Table
from vagval.reporting.stats import interval_text

KEY = "metoder"
TITLE = gettext_lazy("Jämförelse av metoder")
NOT_COMPARABLE = gettext_lazy(
    "Grupperna går inte att jämföra rakt av: deltagarna har inte lottats till metoderna, så skillnader kan bero "
    "på vilka unga som kom till varje kommun och metod, inte bara på metoden."
)


def _ninety_days(ctx: ReportContext) -> dict[tuple[str, str], FigureRow]:
    rows = follow_up_counts(ctx, FOLLOW_UP_METHOD, FOLLOW_UP_MUNICIPALITY)
    return {
        (str(method or _("Ingen metod angiven")), str(place or _("Okänd kommun"))): row
        for (method, place), row in rows.items()
    }


def build(ctx: ReportContext) -> SectionResult:
    groups = participant_counts(ctx, METHOD, MUNICIPALITY)
    ninety = _ninety_days(ctx)
    moved = distance(ctx).counts(METHOD, MUNICIPALITY)
    rows: list[tuple[str, list[Cell]]] = []
    labels, shares_90, shares_closer = [], [], []
    for (method, place), persons in sorted(groups.items()):
        figures = ninety.get((method, place), FigureRow("", 0, 0, 0, 0))
        assessed, closer = moved.get((method, place), (0, 0))
        label = f"{method} – {place}"
        rows.append(
            (
                label,
                [
                    count_cell(persons),
                    count_cell(figures.days_90),
                    share_cell(figures.positive, figures.days_90),
                    Cell(None, interval_text(figures.positive, figures.days_90)),
                    count_cell(assessed),
                    share_cell(closer, assessed),
                    Cell(None, interval_text(closer, assessed)),
                ],
            )
        )
        labels.append(label)
        shares_90.append(share_cell(figures.positive, figures.days_90))
        shares_closer.append(share_cell(closer, assessed))
    columns = (
        _("Metod – kommun"),
        _("Deltagare"),
        _("Förfallna 90-dagarsuppföljningar"),
        _("Andel i arbete eller studier efter 90 dagar"),
        _("95 %-intervall"),
        _("Skattade minst två gånger"),
        _("Andel närmare arbetsmarknaden"),
        _("95 %-intervall"),
    )
    charts = []
    if labels:
        spec = ChartSpec(
            key=f"{KEY}-andel",
            title=_("Resultat per metod och kommun"),
            category_label=_("Metod – kommun"),
            value_label=_("Procent"),
            categories=tuple(labels),
            series=(
                Series(_("I arbete eller studier efter 90 dagar"), tuple(shares_90)),
                Series(_("Närmare arbetsmarknaden"), tuple(shares_closer)),
            ),
            percent=True,
        )
        charts.append(chart(spec))
    return SectionResult(
        key=KEY,
        title=str(TITLE),
        paragraphs=[
            str(NOT_COMPARABLE),
            _(
                "Intervallet är ett 95 %-konfidensintervall (Wilson). Antal under 5 visas som ”<5” och andelar "
                "byggda på dem visas inte."
            ),
        ],
        tables=[Table.of(f"{KEY}-tabell", _("Resultat per metod och kommun"), columns, rows)],
        charts=charts,
    )
