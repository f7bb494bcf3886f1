"""Junk rows are rejected once each, with line and reason; the rejected-rows file can be fixed and re-imported."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from vagval.registers.importing import RejectedRowsWriter, open_import_file, parse_import_file, write_rejected_rows
from vagval.registers.importing.samples import csv_bytes, identity_number, with_wrong_check_digit, xlsx_bytes

TODAY = dt.date(2026, 11, 23)
HEADER = ("personnummer", "fornamn", "efternamn", "kommunkod", "Anteckning")
NUMBERS = [identity_number(dt.date(2008, 1, day), 100 + day) for day in range(1, 10)]


def _junk_file():
    """Lines 2–8: good, bad check digit, empty first name, unknown municipality, too many values,
    too few values, good (kommunkod 482 is 0482 with its zero lost)."""
    return (
        "personnummer;fornamn;efternamn;kommunkod;Anteckning\r\n"
        f"{NUMBERS[0]};Alva;Lind;2085;\r\n"
        f"{with_wrong_check_digit(NUMBERS[1])};Elias;Berg;2085;ring\r\n"
        f"{NUMBERS[2]};;Nyström;2085;\r\n"
        f"{NUMBERS[3]};Saga;Dahl;9999;=1+1\r\n"
        f"{NUMBERS[4]};Olle;Ek;2085;;extra\r\n"
        f"{NUMBERS[5]};Ebba;Sjöberg\r\n"
        f"{NUMBERS[6]};Åke;Öhman;482;\r\n"
    ).encode("utf-8-sig")


def test_each_junk_row_is_rejected_once_with_its_line_column_and_reason():
    result = parse_import_file(_junk_file(), kind="befolkning", today=TODAY)

    assert [r.line for r in result.records] == [2, 8]
    assert [(r.line, r.column, r.reason) for r in result.rejected] == [
        (3, "personnummer", "ogiltigt personnummer: kontrollsiffran stämmer inte"),
        (4, "fornamn", "förnamn saknas"),
        (5, "kommunkod", "kommunkoden 9999 finns inte"),
        (6, "", "raden har 6 värden men rubrikraden har 5 kolumner (fel avgränsare eller citattecken?)"),
        (7, "", "raden har 3 värden men rubrikraden har 5 kolumner (fel avgränsare eller citattecken?)"),
    ]
    assert result.rejected[2].message == "rad 5, kolumn kommunkod: kommunkoden 9999 finns inte"
    assert result.rejected[0].values[1:] == ("Elias", "Berg", "2085", "ring")
    assert result.counts.read == 7
    assert (result.counts.accepted, result.counts.rejected) == (2, 5)


def test_bad_dates_in_a_studies_file_are_rejected_with_their_line():
    data = csv_bytes(
        ("personnummer", "skolform", "status", "startdatum", "slutdatum"),
        [
            (NUMBERS[0], "GY", "pagaende", "2025-08-18", ""),
            (NUMBERS[1], "GY", "avbrott", "18 augusti", "2026-03-02"),
            (NUMBERS[2], "GY", "avbrott", "2025-08-18", "2025-02-30"),
            (NUMBERS[3], "XYZ", "examen", "2025-08-18", "2024-06-01"),
        ],
    )

    result = parse_import_file(data, kind="studier", today=TODAY)

    assert [(r.line, r.column) for r in result.rejected] == [(3, "startdatum"), (4, "slutdatum"), (5, "skolform")]
    assert result.rejected[2].error_text == "skolform: okänd skolform 'XYZ'; slutdatum: slutdatum före startdatum"


def _read_csv(data):
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads å, ä and ö right
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_the_rejected_rows_file_has_the_original_columns_values_and_a_fel_column():
    with open_import_file(_junk_file(), kind="befolkning", today=TODAY) as parsed:
        rejected = [item for item in parsed if not hasattr(item, "first_name")]
        header = parsed.header
    out = io.BytesIO()

    assert write_rejected_rows(out, rejected, header=header, file_format="csv") == 5

    table = _read_csv(out.getvalue())
    assert table[0] == ["fel", *HEADER]
    assert table[1] == [
        "personnummer: ogiltigt personnummer: kontrollsiffran stämmer inte",
        with_wrong_check_digit(NUMBERS[1]),
        "Elias",
        "Berg",
        "2085",
        "ring",
    ]
    assert table[3][1:] == [NUMBERS[3], "Saga", "Dahl", "9999", "'=1+1"]  # defused: a spreadsheet shows it as text
    assert table[4][1:] == [NUMBERS[4], "Olle", "Ek", "2085", "", "extra"]  # values exactly as read
    assert table[5][1:] == [NUMBERS[5], "Ebba", "Sjöberg"]


def _fix(table):
    """What the user does in Excel: correct each row; the `fel` column may stay."""
    fixed = [table[0]]
    for row in table[1:]:
        number, first, last = row[1], row[2] or "Maja", row[3]
        if "kontrollsiffran" in row[0]:
            number = NUMBERS[1]
        fixed.append([row[0], number, first, last, "2085", ""])
    return fixed


def test_the_rejected_rows_file_once_fixed_imports_to_exactly_the_rejected_people():
    first = parse_import_file(_junk_file(), kind="befolkning", today=TODAY)
    out = io.BytesIO()
    write_rejected_rows(out, first.rejected, header=first.header, file_format="csv")
    table = _read_csv(out.getvalue())

    unfixed = parse_import_file(out.getvalue(), kind="befolkning", today=TODAY)
    fixed_file = csv_bytes(table[0], _fix(table)[1:])
    fixed = parse_import_file(fixed_file, kind="befolkning", today=TODAY)

    # Unfixed, the same rows are rejected for the same reasons (a row count now includes `fel`).
    assert [r.column for r in unfixed.rejected] == [r.column for r in first.rejected]
    assert [r.reason for r in unfixed.rejected[:3]] == [r.reason for r in first.rejected[:3]]
    assert unfixed.unknown_columns == ("Anteckning",)
    assert fixed.rejected == []
    assert [r.identity_number for r in fixed.records] == NUMBERS[1:6]


def test_rejecting_a_corrected_file_again_reuses_its_fel_column():
    data = csv_bytes(("fel", *HEADER[:4]), [("gammalt fel", NUMBERS[0], "Alva", "Lind", "9999")])
    first = parse_import_file(data, kind="befolkning", today=TODAY)
    out = io.BytesIO()

    write_rejected_rows(out, first.rejected, header=first.header, file_format="csv")

    assert _read_csv(out.getvalue()) == [
        ["fel", *HEADER[:4]],
        ["kommunkod: kommunkoden 9999 finns inte", NUMBERS[0], "Alva", "Lind", "9999"],
    ]


def test_an_excel_input_gives_an_excel_rejected_rows_file_with_values_as_they_were():
    header = ["personnummer", "fornamn", "efternamn", "kommunkod", "anteckning"]
    rows = [
        [int(NUMBERS[0]), "Alva", "Lind", 9999, dt.datetime(2025, 8, 18)],
        [int(NUMBERS[1]), "", "Berg", 2085, "ring"],
    ]
    first = parse_import_file(xlsx_bytes(header, rows), kind="befolkning", today=TODAY)
    out = io.BytesIO()

    with RejectedRowsWriter(out, header=first.header, file_format=first.file_format) as writer:
        for row in first.rejected:
            writer.write(row)

    cells = list(load_workbook(io.BytesIO(out.getvalue())).worksheets[0].iter_rows(values_only=True))
    assert cells[0] == ("fel", *header)
    assert cells[1][0] == "kommunkod: kommunkoden 9999 finns inte"
    assert cells[1][1:] == (int(NUMBERS[0]), "Alva", "Lind", 9999, dt.datetime(2025, 8, 18))
    again = parse_import_file(out.getvalue(), kind="befolkning", today=TODAY)
    assert [(r.line, r.column) for r in again.rejected] == [(2, "kommunkod"), (3, "fornamn")]


def test_text_that_looks_like_a_formula_stays_text_in_an_excel_rejected_rows_file():
    rejected = parse_import_file(_junk_file(), kind="befolkning", today=TODAY).rejected[2]  # Anteckning "=1+1"
    out = io.BytesIO()

    write_rejected_rows(out, [rejected], header=HEADER, file_format="xlsx")

    cell = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]["F2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_writer_can_write_to_a_path(tmp_path, file_format):
    rows = [(NUMBERS[0], "Alva", "Lind", "9999", ""), (NUMBERS[1], "", "Berg", "2085", "")]
    data = xlsx_bytes(HEADER, rows) if file_format == "xlsx" else csv_bytes(HEADER, rows)
    first = parse_import_file(data, kind="befolkning", today=TODAY)
    path = tmp_path / f"fel.{file_format}"

    write_rejected_rows(path, first.rejected, header=first.header, file_format=file_format)

    assert len(parse_import_file(path, kind="befolkning", today=TODAY).rejected) == 2


def test_a_formula_like_value_comes_back_defused_in_a_csv_rejected_rows_file_and_imports_again():
    rows = [(NUMBERS[0], "=HYPERLINK(1)", "Lind", "9999", "")]
    first = parse_import_file(csv_bytes(HEADER, rows), kind="befolkning", today=TODAY)
    out = io.BytesIO()

    write_rejected_rows(out, first.rejected, header=first.header, file_format="csv")

    lines = out.getvalue().decode("utf-8-sig").splitlines()
    assert ";'=HYPERLINK(1);" in lines[1]
    assert lines[1].startswith("kommunkod")
    again = parse_import_file(out.getvalue().replace(b";9999;", b";2085;"), kind="befolkning", today=TODAY)
    assert [record.first_name for record in again.records] == ["=HYPERLINK(1)"]
