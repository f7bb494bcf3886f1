"""The pure ESF+ rules: long-term unemployment by age, age at entry, gender groups and rural areas."""

from __future__ import annotations

import datetime as dt

import pytest

from vagval.esf.rules import age_on, gender_group, is_long_term_unemployed, is_rural, isced_levels
from vagval.people.models import Gender

ENTRY = dt.date(2026, 3, 15)


@pytest.mark.parametrize(
    ("since", "age", "long_term"),
    [
        (dt.date(2025, 9, 15), 24, False),  # exactly 6 months under 25: not more than 6
        (dt.date(2025, 9, 14), 24, True),  # 6 months and a day under 25
        (dt.date(2025, 9, 14), 25, False),  # from 25 it takes more than 12 months
        (dt.date(2025, 3, 15), 25, False),  # exactly 12 months
        (dt.date(2025, 3, 14), 25, True),
        (dt.date(2025, 3, 14), None, True),  # no age: the stricter 12 months
        (dt.date(2025, 9, 1), None, False),
        (None, 20, False),
    ],
)
def test_long_term_unemployment_depends_on_the_age_thresholds(since, age, long_term):
    assert is_long_term_unemployed(unemployed_since=since, entry_on=ENTRY, age=age) is long_term


def test_age_at_entry_counts_whole_years():
    assert age_on(birth_date=dt.date(2008, 3, 15), day=ENTRY) == 18
    assert age_on(birth_date=dt.date(2008, 3, 16), day=ENTRY) == 17
    assert age_on(birth_date=None, day=ENTRY) is None


def test_other_gender_is_reported_with_the_non_binary_and_an_unstated_one_is_incomplete():
    assert gender_group(Gender.WOMAN) == "kvinnor"
    assert gender_group(Gender.MAN) == "man"
    assert gender_group(Gender.NON_BINARY) == "icke_binara"
    assert gender_group(Gender.OTHER) == "icke_binara"
    assert gender_group(Gender.NOT_STATED) == ""
    assert gender_group("") == ""


def test_rural_areas_come_from_the_data_file():
    assert is_rural("2039")  # Älvdalen
    assert not is_rural("0180")  # Stockholm
    assert not is_rural(None)


def test_isced_levels_follow_the_reference_file():
    levels = isced_levels()
    assert [level.code for level in levels] == list(range(9))
    assert {level.esf_group for level in levels} == {"ISCED 0-2", "ISCED 3-4", "ISCED 5-8"}
