import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from vagval.followup.dates import add_months, follow_up_dates
from vagval.followup.models import FollowUpKind, FollowUpSettings


def test_six_months_from_the_31st_of_august_is_the_last_of_february():
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)


def test_six_months_from_the_31st_of_august_before_a_leap_year_is_the_29th_of_february():
    assert add_months(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)


def test_six_months_from_the_31st_of_march_is_the_30th_of_september():
    assert add_months(dt.date(2026, 3, 31), 6) == dt.date(2026, 9, 30)


def test_months_cross_the_new_year():
    assert add_months(dt.date(2026, 12, 15), 6) == dt.date(2027, 6, 15)


def test_the_29th_of_february_plus_twelve_months_is_the_28th():
    assert add_months(dt.date(2028, 2, 29), 12) == dt.date(2029, 2, 28)


def test_default_dates_are_28_days_90_days_and_6_months_after_the_exit():
    dates = follow_up_dates(exit_on=dt.date(2026, 8, 31), settings=None)
    assert dates == {
        FollowUpKind.WEEKS_4: dt.date(2026, 9, 28),
        FollowUpKind.DAYS_90: dt.date(2026, 11, 29),
        FollowUpKind.MONTHS_6: dt.date(2027, 2, 28),
    }


def test_28_days_over_a_leap_day_counts_the_leap_day():
    assert follow_up_dates(exit_on=dt.date(2028, 2, 10), settings=None)[FollowUpKind.WEEKS_4] == dt.date(2028, 3, 9)


def test_a_projects_settings_move_the_dates():
    settings = FollowUpSettings(weeks_4_days=30, days_90_days=100, months_6_months=12)
    dates = follow_up_dates(exit_on=dt.date(2026, 1, 31), settings=settings)
    assert dates[FollowUpKind.WEEKS_4] == dt.date(2026, 3, 2)
    assert dates[FollowUpKind.DAYS_90] == dt.date(2026, 5, 11)
    assert dates[FollowUpKind.MONTHS_6] == dt.date(2027, 1, 31)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)), st.integers(0, 60))
def test_adding_months_keeps_the_day_or_takes_the_months_last_day(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    if result.day != day.day:
        assert result.day < day.day
        assert (result + dt.timedelta(days=1)).day == 1
