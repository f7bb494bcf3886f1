"""Inflow, active and exits in the period, per month, and the exits' reasons.

Inflow: enrolments whose start lies in the period. Active: open on the period's last day (started,
not ended by then). Exits: the current exit of an enrolment (not superseded by a re-entry, as the
ESF+ indicators count it) dated in the period. Counts of enrolments, under the small-cell rule.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.common.charts import ChartSpec, Series, chart, count_cell
from vagval.followup.models import Exit, ExitReason
from vagval.reporting.groups import ENDS_ON, STARTS_ON, enrolment_counts
from vagval.reporting.report import ReportContext, SectionResult, Table

KEY = "flode"
TITLE = gettext_lazy("Inflöde, aktiva och avslut")
MAX_MONTHS = 36  # a longer period gets the table of totals only


def _by_month(rows: dict[dt.date, int], months: list[dt.date]) -> tuple[int, ...]:
    return tuple(rows.get(month, 0) for month in months)


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def _per_day(queryset, field: str, *fields: str) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    """(day, *fields, count) rows counted by the database: a few thousand rows, from which the
    totals and the months are added up here (TruncMonth is a Python function per row on SQLite,
    and each separate count would read the project's enrolments again)."""
    return list(queryset.values_list(field, *fields).annotate(n=Count("pk")).order_by())


def _by_month_of(rows: list[tuple]) -> dict[dt.date, int]:  # type: ignore[type-arg]
    months: dict[dt.date, int] = defaultdict(int)
    for row in rows:
        months[row[0].replace(day=1)] += row[-1]
    return dict(months)


def build(ctx: ReportContext) -> SectionResult:
    # Inflow and active from the report's one pass over the enrolments (per start and end day).
    started_days = [(day, n) for day, n in enrolment_counts(ctx, STARTS_ON).items() if day >= ctx.start]
    active = sum(n for day, n in enrolment_counts(ctx, ENDS_ON).items() if day is None or day > ctx.end)
    exits = Exit.objects.filter(
        ctx.enrolment_condition("enrolment__"), superseded_on__isnull=True, exit_on__gte=ctx.start, exit_on__lte=ctx.end
    )
    exit_days = _per_day(exits, "exit_on", "reason")
    totals = Table.of(
        f"{KEY}-totalt",
        _("Inflöde, aktiva och avslut under perioden"),
        (_("Mått"), _("Antal")),
        [
            (_("Började under perioden"), [count_cell(sum(row[-1] for row in started_days))]),
            (_("Aktiva vid periodens slut"), [count_cell(active)]),
            (_("Avslutade under perioden"), [count_cell(sum(row[-1] for row in exit_days))]),
        ],
    )
    reasons: dict[str, int] = defaultdict(int)
    for _day, reason, n in exit_days:
        reasons[reason] += n
    by_reason = Table.of(
        f"{KEY}-orsak",
        _("Avslut per anledning"),
        (_("Anledning"), _("Antal")),
        [(str(label), [count_cell(reasons.get(value, 0))]) for value, label in ExitReason.choices],
    )
    charts = []
    months = _months(ctx.start, ctx.end)
    if len(months) <= MAX_MONTHS:
        inflow, outflow = _by_month_of(started_days), _by_month_of(exit_days)
        charts.append(
            chart(
                ChartSpec(
                    key=f"{KEY}-manad",
                    title=_("Inflöde och avslut per månad"),
                    category_label=_("Månad"),
                    value_label=_("Antal deltaganden"),
                    categories=tuple(f"{m:%Y-%m}" for m in months),
                    series=(
                        Series(_("Började"), tuple(count_cell(n) for n in _by_month(inflow, months))),
                        Series(_("Avslutade"), tuple(count_cell(n) for n in _by_month(outflow, months))),
                    ),
                )
            )
        )
    return SectionResult(
        key=KEY,
        title=str(TITLE),
        paragraphs=[
            _(
                "Inflöde är deltaganden som började under perioden, aktiva de som pågick på periodens sista dag "
                "och avslut de som avslutades under perioden (ett avslut som följts av återinskrivning räknas inte)."
            )
        ],
        tables=[totals, by_reason],
        charts=charts,
    )
