"""Placements: the project's participants' placements that started in the period, per kind of offer
(praktik, studieplats, …), and how many have ended. A suggestion, an offer or a declined place is
not a placement (evaluation.dataset.COUNTED_PLACEMENTS, the same rule as the evaluator's data)."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.catalogue.models import OfferKind, Placement, PlacementStatus
from vagval.common.charts import ChartSpec, Series, chart, count_cell
from vagval.evaluation.dataset import COUNTED_PLACEMENTS
from vagval.reporting.report import ReportContext, SectionResult, Table

KEY = "placeringar"
TITLE = gettext_lazy("Placeringar")


def build(ctx: ReportContext) -> SectionResult:
    placements = Placement.objects.filter(
        ctx.enrolment_condition("enrolment__"),
        status__in=COUNTED_PLACEMENTS,
        starts_on__gte=ctx.start,
        starts_on__lte=ctx.end,
    )
    counts: dict[tuple[str, str], int] = {
        (kind, status): n
        for kind, status, n in placements.values_list("offer__kind", "status").annotate(n=Count("pk")).order_by()
    }
    kinds = list(OfferKind.choices)
    started = [count_cell(sum(counts.get((k, s), 0) for s in COUNTED_PLACEMENTS)) for k, _l in kinds]
    ended = [count_cell(counts.get((k, PlacementStatus.ENDED), 0)) for k, _l in kinds]
    table = Table.of(
        f"{KEY}-tabell",
        _("Placeringar som började under perioden, per typ"),
        (_("Typ av erbjudande"), _("Påbörjade"), _("Därav avslutade")),
        [(str(label), [started[i], ended[i]]) for i, (_k, label) in enumerate(kinds)],
    )
    spec = ChartSpec(
        key=f"{KEY}-typ",
        title=_("Placeringar per typ"),
        category_label=_("Typ av erbjudande"),
        value_label=_("Antal placeringar"),
        categories=tuple(str(label) for _k, label in kinds),
        series=(Series(_("Påbörjade"), tuple(started)),),
    )
    return SectionResult(
        key=KEY,
        title=str(TITLE),
        paragraphs=[
            _("Placeringar (praktik, studier, mentorer och andra insatser) som deltagarna påbörjade under perioden.")
        ],
        tables=[table],
        charts=[chart(spec)],
    )
