"""The "closer to the labour market" rule on hand-computed cases, per-area progress and chart geometry."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from vagval.assessments.definitions import parse_definition
from vagval.assessments.progress import (
    RULES,
    ScoredResponse,
    chart_for,
    closer_to_labour_market,
    instrument_progress,
    progress_rule,
)

VF = parse_definition(
    json.loads((Path(__file__).resolve().parents[1] / "instruments" / "vagen-framat" / "v1.json").read_text())
)
AREAS = [s.key for s in VF.scored_sections]


def scores(*values):
    return dict(zip(AREAS, values, strict=True))


# Hand-computed cases. Areas: 8. "mean" = mean of the eight steps.
#   A: 2,2,2,2,2,2,2,2 (mean 2.0) → 3,2,2,2,2,2,2,2 (mean 2.125): mean rose; only one area rose.
#   B: 2,2,2,2,2,2,2,2 → 4,4,1,2,2,2,2,2 (mean 2.375): mean rose; two rose but one fell.
#   C: 3,3,3,3,3,3,3,3 → 4,4,3,3,3,3,3,3 (mean 3.25): mean rose; two rose, none fell.
#   D: 3,3,3,3,3,3,3,3 → 5,1,3,3,3,3,3,3 (mean 3.0): mean unchanged; one rose, one fell.
#   E: 4,4,4,4,4,4,4,4 → 3,4,4,4,4,4,4,4 (mean 3.875): mean fell.
CASES = {
    "A": (scores(2, 2, 2, 2, 2, 2, 2, 2), scores(3, 2, 2, 2, 2, 2, 2, 2), True, False),
    "B": (scores(2, 2, 2, 2, 2, 2, 2, 2), scores(4, 4, 1, 2, 2, 2, 2, 2), True, False),
    "C": (scores(3, 3, 3, 3, 3, 3, 3, 3), scores(4, 4, 3, 3, 3, 3, 3, 3), True, True),
    "D": (scores(3, 3, 3, 3, 3, 3, 3, 3), scores(5, 1, 3, 3, 3, 3, 3, 3), False, False),
    "E": (scores(4, 4, 4, 4, 4, 4, 4, 4), scores(3, 4, 4, 4, 4, 4, 4, 4), False, False),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_mean_rose_rule_on_hand_computed_cases(case):
    first, latest, mean_rose, _two_up = CASES[case]
    assert closer_to_labour_market(first=first, latest=latest, rule="mean_rose") is mean_rose


@pytest.mark.parametrize("case", sorted(CASES))
def test_two_up_none_down_rule_on_hand_computed_cases(case):
    first, latest, _mean_rose, two_up = CASES[case]
    assert closer_to_labour_market(first=first, latest=latest, rule="two_up_none_down") is two_up


def test_only_areas_answered_both_times_count():
    # Motivation was not answered at first: only the other seven compare, and they are unchanged.
    first = scores(None, 3, 3, 3, 3, 3, 3, 3)
    latest = scores(5, 3, 3, 3, 3, 3, 3, 3)
    assert closer_to_labour_market(first=first, latest=latest, rule="mean_rose") is False


def test_no_common_area_means_the_rule_cannot_be_applied():
    assert closer_to_labour_market(first={"a": None}, latest={"a": 3}, rule="mean_rose") is None


def test_a_lower_is_better_area_that_went_down_counts_as_risen():
    first, latest = {"behov": 4.0, "annat": 2.0}, {"behov": 2.0, "annat": 2.0}
    directions = {"behov": False, "annat": True}
    assert closer_to_labour_market(first=first, latest=latest, rule="mean_rose", higher_is_better=directions)
    assert not closer_to_labour_market(first=latest, latest=first, rule="mean_rose", higher_is_better=directions)


def test_the_rule_is_a_setting_with_mean_rose_as_default(settings):
    del settings.PROGRESS_RULE
    assert progress_rule() == "mean_rose"
    settings.PROGRESS_RULE = "two_up_none_down"
    assert progress_rule() == "two_up_none_down"


def test_an_unknown_rule_fails_loudly(settings):
    settings.PROGRESS_RULE = "vibes"
    with pytest.raises(ImproperlyConfigured):
        progress_rule()


def test_progress_has_per_area_change_since_first_and_a_verdict():
    responses = [
        ScoredResponse(dt.date(2026, 1, 10), "Vid start", scores(2, 2, 2, 2, 2, 2, 2, 2)),
        ScoredResponse(dt.date(2026, 4, 10), "Uppföljning", scores(3, 2, 2, 2, 2, 2, 2, 2)),
        ScoredResponse(dt.date(2026, 7, 10), "Vid avslut", scores(4, 3, 2, 2, 2, 2, 2, 1)),
    ]
    progress = instrument_progress(definition=VF, responses=responses, rule="mean_rose")
    assert progress.count == 3
    motivation = progress.areas[0]
    assert (motivation.first, motivation.latest, motivation.change) == (2, 4, 2)
    assert motivation.change_display == "+2"
    assert progress.areas[-1].change_display == "−1"
    assert progress.mean_first == 2.0
    assert progress.mean_latest == 2.25
    assert progress.closer is True
    assert progress.rule_text == RULES["mean_rose"]
    assert progress.next_due == dt.date(2026, 10, 10)
    assert "Motivation och mål: 2 den 2026-01-10 och 4 den 2026-07-10, förändring +2 (bättre)" in motivation.summary


def test_one_response_gives_no_verdict():
    progress = instrument_progress(
        definition=VF,
        responses=[ScoredResponse(dt.date(2026, 1, 10), "Vid start", scores(2, 2, 2, 2, 2, 2, 2, 2))],
        rule="mean_rose",
    )
    assert progress.closer is None
    assert progress.mean_change is None
    assert "En skattning hittills" in progress.areas[0].summary


def test_next_due_handles_month_ends():
    responses = [ScoredResponse(dt.date(2026, 11, 30), "Vid start", scores(2, 2, 2, 2, 2, 2, 2, 2))]
    progress = instrument_progress(definition=VF, responses=responses, rule="mean_rose")
    assert progress.next_due == dt.date(2027, 2, 28)


def test_chart_puts_higher_steps_higher_and_spreads_dates_evenly():
    progress = instrument_progress(
        definition=VF,
        responses=[
            ScoredResponse(dt.date(2026, 1, 1), "", scores(1, 1, 1, 1, 1, 1, 1, 1)),
            ScoredResponse(dt.date(2026, 2, 1), "", scores(5, 1, 1, 1, 1, 1, 1, 1)),
        ],
        rule="mean_rose",
    )
    points = progress.areas[0].points
    chart = chart_for(points, 1, 5)
    low, high = chart.points
    assert high.y < low.y
    assert low.x == chart.left
    assert high.x == chart.right
    assert [line.label for line in chart.gridlines] == ["1", "2", "3", "4", "5"]
    assert [tick.anchor for tick in chart.ticks] == ["start", "end"]
    assert chart.polyline == f"{low.x},{low.y} {high.x},{high.y}"
