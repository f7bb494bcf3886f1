"""Participants by gender, age band at start and municipality (of the unit they are enrolled at).

A participant is a person record with an enrolment in the project open at some time in the
period; one counted in several municipalities' rows (two units) counts once in the total. The
municipality is the enrolling unit's, never the home municipality, which is hidden for protected
persons (docs/ARCHITECTURE.md, "Protected identity").
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.common.charts import ChartSpec, Series, chart, count_cell
from vagval.evaluation.dataset import AGE_BANDS, age_band
from vagval.people.models import Gender
from vagval.reporting.report import ReportContext, SectionResult, Table

KEY = "deltagare"
TITLE = gettext_lazy("Deltagare")


def _grouped(ctx: ReportContext) -> tuple[set[object], dict[str, dict[str, set[object]]]]:
    genders = dict(Gender.choices)
    groups: dict[str, dict[str, set[object]]] = {
        "kon": defaultdict(set),
        "alder": defaultdict(set),
        "kommun": defaultdict(set),
    }
    everyone: set[object] = set()
    rows = ctx.enrolments().values_list(
        "person_id", "person__gender", "person__birth_date", "starts_on", "unit__organisation__municipality__name"
    )
    for person_id, gender, birth, starts_on, municipality in rows.iterator(chunk_size=5000):
        everyone.add(person_id)
        groups["kon"][str(genders.get(gender, genders[""]))].add(person_id)
        groups["alder"][age_band(birth, starts_on) or _("Okänd ålder")].add(person_id)
        groups["kommun"][municipality or _("Okänd kommun")].add(person_id)
    return everyone, groups


def _ordered_ages(groups: dict[str, set[object]]) -> list[str]:
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
                series=(Series(_("Deltagare"), tuple(count_cell(len(groups[key][c])) for c in order)),),
            )
        )
        for key, title, label, order in dimensions
    ]
    total = Table(
        f"{KEY}-totalt",
        _("Deltagare totalt"),
        (_("Deltagare"), _("Antal")),
        ((_("Totalt"), count_cell(len(everyone)).text),),
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
