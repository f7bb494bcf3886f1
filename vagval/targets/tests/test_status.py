"""'I fas' arithmetic, computed by hand: pro rata of the period elapsed for counts, the target
itself for shares, at most the target for times."""

import datetime as dt

import pytest

from vagval.targets.models import Status
from vagval.targets.status import elapsed_fraction, expected_by, month_ends, status_of

YEAR_START, YEAR_END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


@pytest.mark.parametrize(
    ("on", "fraction"),
    [
        (dt.date(2025, 12, 31), 0.0),  # before the period
        (dt.date(2026, 1, 1), 1 / 365),  # the first day counts as elapsed
        (dt.date(2026, 7, 2), 183 / 365),  # 31+28+31+30+31+30+2 days
        (dt.date(2026, 12, 31), 1.0),
        (dt.date(2027, 3, 1), 1.0),  # after the period
    ],
)
def test_the_elapsed_fraction_counts_days_including_the_day_asked_about(on, fraction):
    assert elapsed_fraction(starts_on=YEAR_START, ends_on=YEAR_END, on_date=on) == pytest.approx(fraction)


def test_a_count_target_is_expected_pro_rata_and_a_share_in_full():
    # 300 participants over 365 days: after 183 days, 300 × 183 / 365 = 150.41… → 150.4
    assert expected_by(target=300, pro_rata=True, fraction=183 / 365) == 150.4
    assert expected_by(target=30, pro_rata=False, fraction=183 / 365) == 30


def test_the_status_compares_with_what_is_expected_on_the_day():
    assert status_of(actual=151, expected=150.4, higher_is_better=True, started=True) == Status.ON_TRACK
    assert status_of(actual=150, expected=150.4, higher_is_better=True, started=True) == Status.BEHIND
    assert status_of(actual=30, expected=30, higher_is_better=True, started=True) == Status.ON_TRACK
    # Time to first contact: lower is better, at most the target is on track.
    assert status_of(actual=5, expected=5, higher_is_better=False, started=True) == Status.ON_TRACK
    assert status_of(actual=5.5, expected=5, higher_is_better=False, started=True) == Status.BEHIND
    assert status_of(actual=None, expected=30, higher_is_better=True, started=True) == Status.TOO_FEW
    assert status_of(actual=0, expected=0, higher_is_better=True, started=False) == Status.NOT_STARTED


def test_the_trend_has_one_point_per_month_the_last_cut_at_the_day():
    assert month_ends(starts_on=dt.date(2026, 1, 15), until=dt.date(2026, 3, 10)) == [
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 10),
    ]
    assert month_ends(starts_on=dt.date(2026, 12, 1), until=dt.date(2027, 1, 31)) == [
        dt.date(2026, 12, 31),
        dt.date(2027, 1, 31),
    ]
