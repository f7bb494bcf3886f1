"""Working days for referral deadlines: weekends and Swedish holidays (holidays.Sweden) are off."""

import datetime as dt

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vagval.common.workdays import add_working_days, is_working_day, working_days_between


def test_five_working_days_from_a_plain_monday_is_the_next_monday():
    assert add_working_days(dt.date(2026, 3, 2), 5) == dt.date(2026, 3, 9)


def test_a_referral_sent_on_maundy_thursday_2026_is_due_on_the_monday_after_easter_week():
    # Långfredagen 2026-04-03 and annandag påsk 2026-04-06 are public holidays.
    assert add_working_days(dt.date(2026, 4, 2), 5) == dt.date(2026, 4, 13)


def test_good_friday_and_easter_monday_are_not_working_days():
    assert not is_working_day(dt.date(2026, 4, 3))
    assert not is_working_day(dt.date(2026, 4, 6))
    assert is_working_day(dt.date(2026, 4, 7))


def test_holidays_sweden_by_default_leaves_out_midsummer_eve():
    # Documented behaviour of the holidays package: midsommarafton is in the DE_FACTO category,
    # not in the default PUBLIC one. Vägval asks for both, so it is a day off for deadlines.
    assert dt.date(2026, 6, 19) not in holidays.Sweden(years=2026)
    assert dt.date(2026, 6, 19) in holidays.Sweden(years=2026, categories=("public", "de_facto"))


def test_midsummer_eve_is_not_a_working_day():
    assert not is_working_day(dt.date(2026, 6, 19))
    assert add_working_days(dt.date(2026, 6, 18), 5) == dt.date(2026, 6, 26)


def test_christmas_eve_and_new_years_eve_are_not_working_days():
    # 24, 25 Dec and 31 Dec, 1 Jan are off; 26-27 Dec and 2-3 Jan are weekends.
    assert add_working_days(dt.date(2026, 12, 23), 5) == dt.date(2027, 1, 5)


def test_epiphany_is_a_day_off():
    assert add_working_days(dt.date(2027, 1, 5), 1) == dt.date(2027, 1, 7)


def test_a_weekend_start_counts_from_monday():
    assert add_working_days(dt.date(2026, 3, 7), 1) == dt.date(2026, 3, 9)


def test_zero_working_days_is_the_same_day():
    assert add_working_days(dt.date(2026, 4, 3), 0) == dt.date(2026, 4, 3)


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(dt.date(2026, 4, 3), -1)


def test_working_days_between_counts_the_end_day_but_not_the_start_day():
    assert working_days_between(dt.date(2026, 4, 2), dt.date(2026, 4, 13)) == 5
    assert working_days_between(dt.date(2026, 4, 13), dt.date(2026, 4, 2)) == -5
    assert working_days_between(dt.date(2026, 4, 2), dt.date(2026, 4, 2)) == 0


@given(start=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)), n=st.integers(0, 40))
def test_working_days_between_is_the_inverse_of_add_working_days(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    assert n == 0 or is_working_day(end)
