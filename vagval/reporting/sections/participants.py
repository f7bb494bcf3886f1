"""Participants by gender, age band at start and municipality (of the unit they are enrolled at).

A participant is a person record with an enrolment in the project open at some time in the
period; one counted in several municipalities' rows (two units) counts once in the total. The
municipality is the enrolling unit's, never the home municipality, which is hidden for protected
persons (docs/ARCHITECTURE.md, "Protected identity").
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.common.charts import ChartSpec, Series, chart, count_cell
from vagval.evaluation.dataset import AGE_BANDS
from vagval.reporting.groups import AGE_BAND, GENDER, MUNICIPALITY, participant_counts
from vagval.reporting.report import ReportContext, SectionResult, Table

KEY = "deltagare"
TITLE = gettext_lazy("Deltagare")


def _grouped(ctx: ReportContext) -> tuple[int, dict[str, dict[str, int]]]:
    genders = {name: n for (name,), n in participant_counts(ctx, GENDER).items()}
    # Gender is the person's, so the gender groups part the participants: their sum is everyone.
    everyone = sum(genders.values())
    groups = {
        "kon": genders,
        "alder": {name: n for (name,), n in participant_counts(ctx, AGE_BAND).items()},
        "kommun": {name: n for (name,), n in participant_counts(ctx, MUNICIPALITY).items()},
    }
    return everyone, groups


def _ordered_ages(groups: dict[str, int]) -> list[str]:
    order = [label for _low, _high, label in AGE_BANDS] + ["30+"]
    return sorted(groups, key=lambda label: order.index(label) if label in order else len(order))


def build(ctx: ReportContext) -> SectionResult:
    everyone, groups = _grouped(ctx)
    dimensions = (
        ("kon", _("Deltagare per kön"), _("Kön (som personen själv anger)"), sorted(groups["kon"])),
        ("alder", _("Deltagare per åldersgrupp vid start"), _("Ålder"), _ordered_ages(groups["alder"])),
        ("kommun", _("Deltagare per kommun"), _("Kommun"), sorted(groups["kommun"])),
    )
    charts = [
        chart(
            ChartSpec(
                key=f"{KEY}-{key}",
                title=title,
                category_label=label,
                value_label=_("Antal deltagare"),
                categories=tuple(order),
                series=(Series(_("Deltagare"), tuple(count_cell(groups[key][c]) for c in order)),),
            )
        )
        for key, title, label, order in dimensions
    ]
    total = Table(
        f"{KEY}-totalt",
        _("Deltagare totalt"),
        (_("Deltagare"), _("Antal")),
        ((_("Totalt"), count_cell(everyone).text),),
    )
    return SectionResult(
        key=KEY,
        title=str(TITLE),
        paragraphs=[
            _(
                "Deltagare med ett deltagande i projektet någon gång under perioden. Antal under 5 visas som "
                "”<5”. Kommunen är den kommun där deltagaren är inskriven."
            )
        ],
        tables=[total],
        charts=charts,
    )
