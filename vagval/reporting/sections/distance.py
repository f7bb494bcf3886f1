"""Distance travelled: the share of participants who moved closer to the labour market, by their
first and latest Vägen framåt rating, per municipality and gender (assessments' rule)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.common.charts import ChartSpec, Series, chart, count_cell, share_cell
from vagval.reporting.groups import GENDER, MUNICIPALITY, Key, distance, participant_counts
from vagval.reporting.report import ReportContext, SectionResult, Table

KEY = "distans"
TITLE = gettext_lazy("Närmare arbetsmarknaden (distance travelled)")


def _table(key: str, caption: str, label: str, groups: dict[Key, int], moved: dict[Key, tuple[int, int]]) -> Table:
    rows = []
    for name_key, persons in sorted(groups.items()):
        assessed, closer = moved.get(name_key, (0, 0))
        rows.append(
            (name_key[0], [count_cell(persons), count_cell(assessed), count_cell(closer), share_cell(closer, assessed)])
        )
    columns = (label, _("Deltagare"), _("Skattade minst två gånger"), _("Närmare arbetsmarknaden"), _("Andel närmare"))
    return Table.of(key, caption, columns, rows)


def build(ctx: ReportContext) -> SectionResult:
    moved = distance(ctx)
    places, by_place_moved = participant_counts(ctx, MUNICIPALITY), moved.counts(MUNICIPALITY)
    assessed, closer = moved.counts().get((), (0, 0))
    by_place = _table(f"{KEY}-kommun", _("Närmare arbetsmarknaden per kommun"), _("Kommun"), places, by_place_moved)
    by_gender = _table(
        f"{KEY}-kon",
        _("Närmare arbetsmarknaden per kön"),
        _("Kön"),
        participant_counts(ctx, GENDER),
        moved.counts(GENDER),
    )
    names = tuple(sorted(name for (name,) in places))
    spec = ChartSpec(
        key=f"{KEY}-andel",
        title=_("Andel av de skattade som kommit närmare arbetsmarknaden, per kommun"),
        category_label=_("Kommun"),
        value_label=_("Procent"),
        categories=names,
        series=(
            Series(
                _("Andel närmare"),
                tuple(share_cell(*reversed(by_place_moved.get((n,), (0, 0)))) for n in names),
            ),
        ),
        percent=True,
    )
    return SectionResult(
        key=KEY,
        title=str(TITLE),
        paragraphs=[
            _("Totalt: %(closer)s av %(assessed)s deltagare som skattats minst två gånger med %(instrument)s.")
            % {
                "closer": count_cell(closer).text,
                "assessed": count_cell(assessed).text,
                "instrument": moved.instrument,
            },
            moved.rule_text,
        ],
        tables=[by_place, by_gender],
        charts=[chart(spec)] if names else [],
    )
