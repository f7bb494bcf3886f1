"""The Wilson interval against values computed by hand (z = 1.96)."""

from __future__ import annotations

import pytest

from vagval.reporting.stats import interval_text, wilson


def test_wilson_for_5_of_6():
    low, high = wilson(5, 6)
    assert low == pytest.approx(0.4365, abs=1e-4)
    assert high == pytest.approx(0.9699, abs=1e-4)


def test_wilson_stays_inside_0_and_1_at_the_edges():
    assert wilson(0, 10)[0] == 0.0
    assert wilson(10, 10)[1] == pytest.approx(1.0)
    assert wilson(0, 0) == (0.0, 1.0)


def test_the_interval_is_withheld_under_the_small_cell_rule():
    assert interval_text(5, 6) == "44–97 %"
    assert interval_text(3, 20) == "–"
    assert interval_text(5, 4) == "–"
