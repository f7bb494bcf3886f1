"""Identity-number parsing, property-tested against the check-digit rule."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vagval.common.identity import (
    PERSONNUMMER,
    SAMORDNINGSNUMMER,
    InvalidIdentityNumber,
    luhn_check_digit,
    parse_identity_number,
)

TODAY = dt.date(2026, 11, 23)

birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
serials = st.integers(min_value=1, max_value=999)


def _reference_luhn(nine: str) -> int:
    """The textbook rule: double every other digit from the left, sum the digits."""
    digits = []
    for i, c in enumerate(nine):
        d = int(c) * (2 if i % 2 == 0 else 1)
        digits.extend(int(x) for x in str(d))
    return (10 - sum(digits) % 10) % 10


def _number(birth: dt.date, serial: int, *, coordination: bool = False) -> tuple[str, str]:
    day = birth.day + (60 if coordination else 0)
    nine = f"{birth:%y%m}{day:02d}{serial:03d}"
    check = _reference_luhn(nine)
    return f"{birth:%Y%m}{day:02d}{serial:03d}{check}", nine


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_our_check_digit_matches_the_textbook_luhn_rule(nine):
    assert luhn_check_digit(nine) == _reference_luhn(nine)


@given(birth_dates, serials, st.sampled_from(["long", "long-dash", "short", "short-dash"]))
def test_every_common_form_parses_to_the_same_twelve_digits(birth, serial, form):
    full, _nine = _number(birth, serial)
    age_100 = (TODAY.year - birth.year) - ((TODAY.month, TODAY.day) < (birth.month, birth.day)) >= 100
    sep = "+" if age_100 else "-"
    text = {
        "long": full,
        "long-dash": f"{full[:8]}-{full[8:]}",
        "short": full[2:],
        "short-dash": f"{full[2:8]}{sep}{full[8:]}",
    }[form]
    if form == "short" and age_100:
        # Without '+', a short number is read as the younger of the two possible people.
        return
    parsed = parse_identity_number(text, today=TODAY)
    assert parsed.digits == full
    assert parsed.kind == PERSONNUMMER
    assert parsed.birth_date == birth


@given(birth_dates, serials)
def test_samordningsnummer_adds_sixty_to_the_day(birth, serial):
    full, _ = _number(birth, serial, coordination=True)
    parsed = parse_identity_number(full, today=TODAY)
    assert parsed.kind == SAMORDNINGSNUMMER
    assert parsed.birth_date == birth


@given(birth_dates, serials, st.integers(min_value=1, max_value=9))
def test_a_wrong_check_digit_is_always_rejected(birth, serial, offset):
    full, _ = _number(birth, serial)
    wrong = full[:-1] + str((int(full[-1]) + offset) % 10)
    with pytest.raises(InvalidIdentityNumber, match="kontrollsiffran"):
        parse_identity_number(wrong, today=TODAY)


def test_the_plus_sign_means_a_hundred_years_older():
    full, _ = _number(dt.date(1920, 6, 1), 123)
    assert parse_identity_number(f"{full[2:8]}+{full[8:]}", today=TODAY).digits == full
    assert parse_identity_number(f"{full[2:8]}-{full[8:]}", today=TODAY).digits == "20" + full[2:]


def test_legal_sex_comes_from_the_third_serial_digit():
    male, _ = _number(dt.date(2005, 1, 1), 13)
    female, _ = _number(dt.date(2005, 1, 1), 12)
    assert parse_identity_number(male, today=TODAY).legal_sex == "M"
    assert parse_identity_number(female, today=TODAY).legal_sex == "F"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "fel format"),
        ("abc", "fel format"),
        ("2005013", "fel format"),
        ("20050230-1234", "datumet finns inte"),
    ],
)
def test_malformed_input_gets_a_swedish_reason(text, reason):
    with pytest.raises(InvalidIdentityNumber, match=reason):
        parse_identity_number(text, today=TODAY)


def test_an_impossible_date_with_a_valid_check_digit_is_rejected():
    nine = "050230123"
    with pytest.raises(InvalidIdentityNumber, match="datumet finns inte"):
        parse_identity_number(f"20{nine}{luhn_check_digit(nine)}", today=TODAY)


def test_a_short_number_whose_birthday_is_later_this_year_is_from_the_previous_century():
    # Regression: the century was chosen by year alone, so 261201 read as 2026-12-01 (the future).
    full, _ = _number(dt.date(1926, 12, 1), 1)
    assert parse_identity_number(full[2:], today=TODAY).digits == full


@pytest.mark.parametrize("born", [dt.date(9999, 6, 1), dt.date(1899, 12, 31), dt.date.today() + dt.timedelta(days=1)])
def test_a_number_whose_birth_date_is_before_1900_or_after_today_is_invalid(born):
    from vagval.people.tests.factories import make_personnummer

    with pytest.raises(InvalidIdentityNumber, match="före 1900 eller efter i dag"):
        parse_identity_number(make_personnummer(born, 12))
