"""Every written form of an identity number, and the ones Excel mangles, in an import file."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vagval.common.identity import PERSONNUMMER, SAMORDNINGSNUMMER
from vagval.registers.importing import parse_import_file
from vagval.registers.importing.samples import csv_bytes, identity_number, with_wrong_check_digit, xlsx_bytes

TODAY = dt.date(2026, 11, 23)
HEADER = ("personnummer", "fornamn", "efternamn", "kommunkod")
ALVA = identity_number(dt.date(2009, 4, 12), 238)  # 200904122389
OLD = identity_number(dt.date(1925, 3, 1), 123)  # 101 years old on TODAY
YEAR_2005 = identity_number(dt.date(2005, 3, 14), 1)  # 0503140014 in the short form
YEAR_2000_MARCH = identity_number(dt.date(2000, 3, 14), 1)  # 0003140012: three leading zeros
YEAR_2000_NOVEMBER = identity_number(dt.date(2000, 11, 5), 1)  # 0011050012: two leading zeros


def _parse(*numbers, xlsx=False, kind="befolkning"):
    rows = [(number, "Test", "Testsson", "2085") for number in numbers]
    data = xlsx_bytes(HEADER, rows) if xlsx else csv_bytes(HEADER, rows)
    return parse_import_file(data, kind=kind, today=TODAY)


@pytest.mark.parametrize(
    "written",
    [
        "20090412-2389",
        "200904122389",
        "090412-2389",
        "0904122389",
        " 20090412 - 2389 ",
        "20090412–2389",  # an en dash, as Word and Excel's autocorrect write it
        "200904122389.0",
    ],
)
def test_every_common_form_of_a_personnummer_is_accepted(written):
    result = _parse(written)

    assert result.rejected == []
    assert result.records[0].identity_number == ALVA
    assert result.records[0].identity.kind == PERSONNUMMER


def test_a_samordningsnummer_is_accepted_with_its_real_birth_date():
    number = identity_number(dt.date(2008, 7, 9), 123, coordination=True)

    result = _parse(f"{number[2:8]}-{number[8:]}")

    assert result.records[0].identity_number == number
    assert result.records[0].identity.kind == SAMORDNINGSNUMMER
    assert result.records[0].identity.birth_date == dt.date(2008, 7, 9)


def test_the_plus_form_means_a_person_over_a_hundred():
    result = _parse(f"{OLD[2:8]}+{OLD[8:]}")

    assert result.records[0].identity_number == OLD


def test_a_number_stored_as_a_number_in_excel_keeps_all_twelve_digits():
    result = _parse(int(ALVA), float(YEAR_2005), xlsx=True)

    assert result.rejected == []
    assert [r.identity_number for r in result.records] == [ALVA, YEAR_2005]


@pytest.mark.parametrize("number", [YEAR_2005, YEAR_2000_MARCH, YEAR_2000_NOVEMBER])
def test_a_short_number_whose_leading_zeros_excel_dropped_is_restored(number):
    as_number = int(number[2:])  # what Excel keeps of 0503140014: 503140014

    from_csv = _parse(str(as_number))
    from_xlsx = _parse(as_number, xlsx=True)

    assert len(str(as_number)) in (7, 8, 9)
    assert [r.identity_number for r in from_csv.records] == [number]
    assert [r.identity_number for r in from_xlsx.records] == [number]


def test_a_restored_number_still_needs_the_right_check_digit():
    mangled = str(int(with_wrong_check_digit(YEAR_2005)[2:]))

    result = _parse(mangled)

    assert result.records == []
    assert result.rejected[0].reason == "ogiltigt personnummer: kontrollsiffran stämmer inte"


def test_eleven_digits_are_rejected_because_no_zero_can_have_been_lost_there():
    result = _parse(ALVA[1:])

    assert result.rejected[0].column == "personnummer"
    assert "11 siffror" in result.rejected[0].reason


@pytest.mark.parametrize("written", ["2,00904E+11", "2.00904E+11", "2,00904e+11"])
def test_a_number_excel_saved_in_exponent_form_is_rejected_with_how_to_fix_it(written):
    result = _parse(written)

    assert result.rejected[0].column == "personnummer"
    assert "exponentform" in result.rejected[0].reason
    assert "formatera kolumnen som text" in result.rejected[0].reason


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        (with_wrong_check_digit(ALVA), "ogiltigt personnummer: kontrollsiffran stämmer inte"),
        ("20090231-2380", "ogiltigt personnummer: datumet finns inte"),
        ("20090412-0009", "ogiltigt personnummer: födelsenumret 000 används inte"),
        ("2009-04-12", "ogiltigt personnummer: fel format (ange ÅÅÅÅMMDD-NNNN)"),
        ("12345", "ogiltigt personnummer: fel format (ange ÅÅÅÅMMDD-NNNN)"),
        ("", "personnummer saknas"),
    ],
)
def test_invalid_identity_numbers_are_rejected_with_a_swedish_reason(written, reason):
    result = _parse(written)

    assert result.records == []
    assert (result.rejected[0].line, result.rejected[0].column, result.rejected[0].reason) == (
        2,
        "personnummer",
        reason,
    )


def test_a_reason_never_contains_the_identity_number():
    result = _parse(with_wrong_check_digit(ALVA), ALVA[1:], "2,00904E+11")

    for rejected in result.rejected:
        assert "0904" not in rejected.reason
        assert "0904" not in rejected.error_text


def test_the_previous_number_column_gives_the_replaced_samordningsnummer():
    old = identity_number(dt.date(2009, 4, 12), 555, coordination=True)
    data = csv_bytes(
        [*HEADER, "Tidigare nummer"], [(ALVA, "Alva", "Lind", "2085", old), (YEAR_2005, "Ebba", "Öh", "2085", "")]
    )

    result = parse_import_file(data, kind="befolkning", today=TODAY)

    assert result.unknown_columns == ()
    assert result.records[0].previous_identity.digits == old
    assert result.records[0].previous_identity.kind == SAMORDNINGSNUMMER
    assert result.records[1].previous_identity is None


def test_a_previous_number_must_be_valid_and_different():
    data = csv_bytes(
        [*HEADER, "tidigare_nummer"],
        [
            (ALVA, "Alva", "Lind", "2085", with_wrong_check_digit(YEAR_2005)),
            (YEAR_2005, "Ebba", "Öh", "2085", YEAR_2005),
        ],
    )

    result = parse_import_file(data, kind="befolkning", today=TODAY)

    assert [(r.line, r.column) for r in result.rejected] == [(2, "tidigare_nummer"), (3, "tidigare_nummer")]
    assert result.rejected[1].reason == "tidigare_nummer är samma som personnummer"


def test_the_same_person_twice_in_a_population_file_is_rejected_the_second_time():
    result = _parse(ALVA, f"{ALVA[2:8]}-{ALVA[8:]}")

    assert [r.line for r in result.records] == [2]
    assert (result.rejected[0].line, result.rejected[0].column) == (3, "personnummer")
    assert result.rejected[0].reason == "personen finns redan på rad 2"


def test_the_same_person_may_have_several_rows_in_a_studies_file():
    data = csv_bytes(("personnummer", "skolform", "status"), [(ALVA, "GY", "avbrott"), (ALVA, "IM", "pagaende")])

    result = parse_import_file(data, kind="studier", today=TODAY)

    assert [r.identity_number for r in result.records] == [ALVA, ALVA]


@settings(deadline=None, max_examples=60)
@given(
    birth=st.dates(min_value=dt.date(1997, 1, 1), max_value=dt.date(2010, 12, 31)),
    serial=st.integers(min_value=1, max_value=999),
    coordination=st.booleans(),
    form=st.sampled_from(["long", "long-dash", "short", "short-dash", "excel-number"]),
)
def test_any_young_persons_number_in_any_form_comes_out_as_the_same_twelve_digits(birth, serial, coordination, form):
    number = identity_number(birth, serial, coordination=coordination)
    written = {
        "long": number,
        "long-dash": f"{number[:8]}-{number[8:]}",
        "short": number[2:],
        "short-dash": f"{number[2:8]}-{number[8:]}",
        "excel-number": str(int(number[2:])),
    }[form]

    result = _parse(written)

    assert result.rejected == []
    assert result.records[0].identity_number == number
