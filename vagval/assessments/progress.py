"""Progress over time: per-area series, change since the first response, the "closer to the labour
market" rule, and chart geometry for server-side SVG. Pure computation: no database, no requests.

The rule is a setting, PROGRESS_RULE, so that it is written down and can be changed:

- "mean_rose" (default): the mean step across the areas is higher in the latest response than
  in the first.
- "two_up_none_down": at least two areas rose and none fell.

Only areas answered in both responses count. An area where a lower score is better (for example
a need for support) counts as having risen when its score went down.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.assessments.definitions import Definition, Section

RULES = {
    "mean_rose": (
        gettext_lazy(
            "Närmare arbetsmarknaden betyder här att medelvärdet av stegen i alla områden är högre i den senaste "
            "skattningen än i den första. Bara områden som har svar vid båda tillfällena räknas."
        )
    ),
    "two_up_none_down": (
        gettext_lazy(
            "Närmare arbetsmarknaden betyder här att minst två områden har gått upp sedan den första skattningen "
            "och att inget område har gått ned. Bara områden som har svar vid båda tillfällena räknas."
        )
    ),
}
DEFAULT_RULE = "mean_rose"
EPSILON = 1e-9


def progress_rule() -> str:
    """The configured rule; an unknown value fails loudly rather than silently using another rule."""
    rule = getattr(settings, "PROGRESS_RULE", DEFAULT_RULE)
    if rule not in RULES:
        raise ImproperlyConfigured(f"PROGRESS_RULE must be one of {', '.join(RULES)}, got {rule!r}")
    return str(rule)


def closer_to_labour_market(
    *,
    first: Mapping[str, float | None],
    latest: Mapping[str, float | None],
    rule: str,
    higher_is_better: Mapping[str, bool] | None = None,
) -> bool | None:
    """Whether the person moved closer between two responses' area scores; None when no area
    was answered both times (the rule cannot be applied)."""
    if rule not in RULES:
        raise ValueError(f"unknown progress rule {rule!r}")
    direction = higher_is_better or {}
    changes = [
        (latest_value - first_value) * (1 if direction.get(key, True) else -1)
        for key, first_value in first.items()
        if first_value is not None and (latest_value := latest.get(key)) is not None
    ]
    if not changes:
        return None
    if rule == "mean_rose":
        return sum(changes) / len(changes) > EPSILON
    rose = sum(1 for c in changes if c > EPSILON)
    fell = sum(1 for c in changes if c < -EPSILON)
    return rose >= 2 and fell == 0


# --- Series for one person and one instrument -------------------------------------------------


@dataclass(frozen=True)
class ScoredResponse:
    """What progress needs from a response (kept free of the model, for testing by hand)."""

    answered_on: dt.date
    context_label: str
    scores: Mapping[str, float | None]


@dataclass(frozen=True)
class Point:
    answered_on: dt.date
    context_label: str
    value: float | None

    @property
    def display(self) -> str:
        return _number(self.value)


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float


@dataclass(frozen=True)
class ChartLine:
    y: float
    label: str


@dataclass(frozen=True)
class ChartTick:
    x: float
    label: str
    anchor: str = "middle"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: float
    gridlines: list[ChartLine]
    points: list[ChartPoint]
    polyline: str
    ticks: list[ChartTick]


@dataclass(frozen=True)
class AreaProgress:
    key: str
    title: str
    low: int
    high: int
    higher_is_better: bool
    points: list[Point]
    first: float | None
    latest: float | None
    change: float | None
    summary: str
    chart: Chart

    @property
    def change_display(self) -> str:
        return signed(self.change)


@dataclass(frozen=True)
class InstrumentProgress:
    slug: str
    title: str
    dates: list[tuple[dt.date, str]]
    areas: list[AreaProgress]
    mean_first: float | None
    mean_latest: float | None
    mean_change: float | None
    distance_travelled: bool
    closer: bool | None
    rule: str
    rule_text: str
    next_due: dt.date | None

    @property
    def count(self) -> int:
        return len(self.dates)

    @property
    def mean_first_display(self) -> str:
        return _number(self.mean_first)

    @property
    def mean_latest_display(self) -> str:
        return _number(self.mean_latest)

    @property
    def mean_change_display(self) -> str:
        return signed(self.mean_change)


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",").replace("-", "−")


def signed(value: float | None) -> str:
    if value is None:
        return "–"
    return ("+" if value > EPSILON else "") + _number(value)


def _area_summary(title: str, points: list[Point], higher_is_better: bool) -> str:
    answered = [p for p in points if p.value is not None]
    if not answered:
        return _("%(title)s: inga svar ännu.") % {"title": title}
    first, latest = answered[0], answered[-1]
    if len(answered) == 1:
        return _("%(title)s: %(value)s den %(date)s. En skattning hittills.") % {
            "title": title,
            "value": _number(first.value),
            "date": format(first.answered_on, "%Y-%m-%d"),
        }
    assert first.value is not None
    assert latest.value is not None
    change = latest.value - first.value
    better = change > EPSILON if higher_is_better else change < -EPSILON
    worse = change < -EPSILON if higher_is_better else change > EPSILON
    verdict = _("bättre") if better else _("sämre") if worse else _("oförändrat")
    return _(
        "%(title)s: %(first)s den %(first_date)s och %(latest)s den %(latest_date)s, förändring "
        "%(change)s (%(verdict)s). %(count)s skattningar."
    ) % {
        "title": title,
        "first": _number(first.value),
        "first_date": format(first.answered_on, "%Y-%m-%d"),
        "latest": _number(latest.value),
        "latest_date": format(latest.answered_on, "%Y-%m-%d"),
        "change": signed(change),
        "verdict": verdict,
        "count": len(answered),
    }


CHART_WIDTH = 320
CHART_HEIGHT = 170
CHART_LEFT = 32
CHART_RIGHT_MARGIN = 14
CHART_TOP = 12
CHART_BOTTOM = 34
MAX_TICKS = 4


def chart_for(points: Sequence[Point], low: int, high: int) -> Chart:
    """Coordinates for a small line chart: one gridline per step, one point per answered response."""
    plot_w = CHART_WIDTH - CHART_LEFT - CHART_RIGHT_MARGIN
    plot_h = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    span = max(high - low, 1)

    def y_of(value: float) -> float:
        return round(CHART_TOP + (high - value) / span * plot_h, 1)

    def x_of(index: int) -> float:
        if len(points) == 1:
            return round(CHART_LEFT + plot_w / 2, 1)
        return round(CHART_LEFT + index * plot_w / (len(points) - 1), 1)

    gridlines = [ChartLine(y=y_of(step), label=str(step)) for step in range(low, high + 1)]
    chart_points = [ChartPoint(x=x_of(i), y=y_of(p.value)) for i, p in enumerate(points) if p.value is not None]
    shown = {0, len(points) - 1} if len(points) > MAX_TICKS else set(range(len(points)))
    last = len(points) - 1

    def anchor(index: int) -> str:
        if last == 0:
            return "middle"
        return "start" if index == 0 else "end" if index == last else "middle"

    ticks = [
        ChartTick(x=x_of(i), label=f"{p.answered_on:%Y-%m-%d}", anchor=anchor(i))
        for i, p in enumerate(points)
        if i in shown
    ]
    return Chart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        left=CHART_LEFT,
        right=CHART_WIDTH - CHART_RIGHT_MARGIN,
        gridlines=gridlines,
        points=chart_points,
        polyline=" ".join(f"{p.x},{p.y}" for p in chart_points),
        ticks=ticks,
    )


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(known) / len(known), 2) if known else None


def instrument_progress(
    *, definition: Definition, responses: Sequence[ScoredResponse], rule: str
) -> InstrumentProgress | None:
    """Progress for one instrument from responses in date order; None when it has no scored areas.

    Areas are the scored sections of `definition` (the current version); responses to older
    versions contribute the areas they share by key.
    """
    sections: list[Section] = definition.scored_sections
    if not sections or not responses:
        return None
    areas: list[AreaProgress] = []
    direction: dict[str, bool] = {}
    for section in sections:
        assert section.scoring is not None
        low, high = section.scale_range or (1, 5)
        points = [Point(r.answered_on, r.context_label, r.scores.get(section.key)) for r in responses]
        answered = [p.value for p in points if p.value is not None]
        first = answered[0] if answered else None
        latest = answered[-1] if answered else None
        higher = section.scoring.higher_is_better
        direction[section.key] = higher
        areas.append(
            AreaProgress(
                key=section.key,
                title=section.title,
                low=low,
                high=high,
                higher_is_better=higher,
                points=points,
                first=first,
                latest=latest,
                change=round(latest - first, 2) if first is not None and latest is not None else None,
                summary=_area_summary(section.title, points, higher),
                chart=chart_for(points, low, high),
            )
        )
    first_scores = {a.key: responses[0].scores.get(a.key) for a in areas}
    latest_scores = {a.key: responses[-1].scores.get(a.key) for a in areas}
    common = [k for k in first_scores if first_scores[k] is not None and latest_scores[k] is not None]
    mean_first = _mean([first_scores[k] for k in common]) if len(responses) > 1 else _mean(list(first_scores.values()))
    mean_latest = _mean([latest_scores[k] for k in common]) if len(responses) > 1 else mean_first
    closer = None
    if definition.distance_travelled and len(responses) > 1:
        closer = closer_to_labour_market(
            first=first_scores, latest=latest_scores, rule=rule, higher_is_better=direction
        )
    last_day = responses[-1].answered_on
    return InstrumentProgress(
        slug=definition.slug,
        title=definition.title,
        dates=[(r.answered_on, r.context_label) for r in responses],
        areas=areas,
        mean_first=mean_first,
        mean_latest=mean_latest,
        mean_change=(
            round(mean_latest - mean_first, 2)
            if len(responses) > 1 and mean_first is not None and mean_latest is not None
            else None
        ),
        distance_travelled=definition.distance_travelled,
        closer=closer,
        rule=rule,
        rule_text=str(RULES[rule]),
        next_due=_add_months(last_day, definition.repeat_months) if definition.repeat_months else None,
    )
