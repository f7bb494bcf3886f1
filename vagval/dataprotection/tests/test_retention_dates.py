import datetime as dt

import pytest

from vagval.dataprotection import retention_dates as d


def test_the_cutoff_is_the_same_day_years_back():
    assert d.cutoff(as_of=dt.date(2026, 6, 1), years=5, by_end_of_following_year=False) == dt.date(2021, 6, 1)


def test_with_the_yearly_rhythm_the_cutoff_is_the_end_of_the_year_before_last_minus_the_years():
    assert d.cutoff(as_of=dt.date(2026, 6, 1), years=5, by_end_of_following_year=True) == dt.date(2020, 12, 31)


def test_a_leap_day_moves_to_the_28th():
    assert d.years_later(dt.date(2020, 2, 29), 5) == dt.date(2025, 2, 28)


def test_the_deadline_is_the_end_of_the_year_after_the_time_ran_out():
    assert d.deadline(last_entry=dt.date(2019, 6, 1), years=5, by_end_of_following_year=True) == dt.date(2025, 12, 31)
    assert d.deadline(last_entry=dt.date(2019, 6, 1), years=5, by_end_of_following_year=False) == dt.date(2024, 6, 1)


@pytest.mark.parametrize(
    ("number", "birth", "day"),
    [("200103150000", None, 15), ("200103750000", None, 15), (None, dt.date(2001, 3, 25), 25), ("", None, None)],
)
def test_the_birth_day_comes_from_the_number_first(number, birth, day):
    assert d.birth_day(id_number=number, birth_date=birth) == day
