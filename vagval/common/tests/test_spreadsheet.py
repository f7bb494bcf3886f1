"""The CSV and XLSX files we produce: one writer each, and one rule for their cells (no cell runs as a formula)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from vagval.common.http import download_response
from vagval.common.spreadsheet import (
    MAX_WIDTH,
    MIN_WIDTH,
    Header,
    Sheet,
    csv_writer,
    defuse_cell,
    restore_cell,
    write_csv,
    write_xlsx,
    xlsx_cells,
)

PREFIXES = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_text_starting_with_a_formula_character_gets_an_apostrophe(prefix):
    assert defuse_cell(f"{prefix}HYPERLINK(1)") == f"'{prefix}HYPERLINK(1)"


@pytest.mark.parametrize("value", ["Alva", "", "a=b", " =1", "'=1", "Örn-Lind"])
def test_other_texts_are_left_as_they_are(value):
    assert defuse_cell(value) == value


@pytest.mark.parametrize("value", [None, -5, 3.5, True, dt.date(2026, 1, 1)])
def test_values_that_are_not_texts_are_left_as_they_are(value):
    assert defuse_cell(value) is value


@pytest.mark.parametrize("prefix", PREFIXES)
def test_restore_takes_back_only_the_apostrophe_defuse_added(prefix):
    assert restore_cell(defuse_cell(f"{prefix}46 70")) == f"{prefix}46 70"
    assert restore_cell("'Alva") == "'Alva"
    assert restore_cell("Alva") == "Alva"


def test_the_csv_writer_defuses_every_cell():
    out = io.StringIO()

    csv_writer(out).writerow(["=1+1", "+46701234567", "Alva", None, -5])

    assert out.getvalue() == "'=1+1;'+46701234567;Alva;;-5\r\n"


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_cells_are_text_cells_with_the_quote_prefix_when_formula_like(write_only):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("Blad")
    sheet.append(xlsx_cells(sheet, ["=1+1", "@SUM(A1)", "Alva", 7, None]))
    out = io.BytesIO()
    workbook.save(out)

    cells = next(load_workbook(io.BytesIO(out.getvalue()))["Blad"].iter_rows())

    assert [(c.value, c.data_type, c.quotePrefix) for c in cells[:4]] == [
        ("=1+1", "s", True),
        ("@SUM(A1)", "s", True),
        ("Alva", "s", False),
        (7, "n", False),
    ]


# --- The writers: write_csv, write_xlsx, and the response that sends their bytes ------------------


def test_a_csv_file_is_utf8_with_bom_semicolons_and_crlf():
    content = write_csv(["Namn", "Antal"], [["Åsa Öberg", 3], ["Ärla", None]])

    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig") == "Namn;Antal\r\nÅsa Öberg;3\r\nÄrla;\r\n"


def test_csv_cells_with_separators_quotes_or_line_breaks_are_quoted_and_read_back_as_they_were():
    awkward = ["a;b", 'säger "hej"', "två\nrader", "slut "]

    content = write_csv(["x", "y", "z", "w"], [awkward])

    assert content.decode("utf-8-sig").splitlines()[1] == '"a;b";"säger ""hej""";"två'
    assert list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))[1] == awkward


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_csv_header_and_cells_that_look_like_formulas_are_defused(prefix):
    content = write_csv([f"{prefix}rubrik"], [[f"{prefix}1+1"], [-5]])

    assert content.decode("utf-8-sig") == f"'{prefix}rubrik\r\n'{prefix}1+1\r\n-5\r\n"


def test_csv_rows_may_be_a_generator():
    assert write_csv(["n"], ([i] for i in range(3))).decode("utf-8-sig") == "n\r\n0\r\n1\r\n2\r\n"


def _read(content: bytes):
    return load_workbook(io.BytesIO(content))


def test_a_workbook_has_its_sheets_with_their_values_in_order():
    content = write_xlsx(
        [
            Sheet("Tabell", [Header(["Namn", "Antal"]), ["Åsa", 3], [], ["Bo", "<5"]]),
            Sheet("Ordlista", (row for row in [["kolumn", "beskrivning"]])),
        ]
    )

    book = _read(content)
    assert book.sheetnames == ["Tabell", "Ordlista"]
    assert list(book["Tabell"].iter_rows(values_only=True)) == [
        ("Namn", "Antal"),
        ("Åsa", 3),
        (None, None),
        ("Bo", "<5"),
    ]
    assert list(book["Ordlista"].iter_rows(values_only=True)) == [("kolumn", "beskrivning")]


def test_workbook_header_rows_are_bold_and_other_rows_are_not():
    sheet = _read(write_xlsx([Sheet("Blad", [["Rubrik"], Header(["Namn", "Antal"]), ["Åsa", 3]])]))["Blad"]

    assert [[cell.font.b for cell in row] for row in sheet.iter_rows()] == [
        [False, False],
        [True, True],
        [False, False],
    ]


def test_workbook_columns_are_as_wide_as_their_texts_within_bounds():
    rows = [Header(["Namn", "Beskrivning", "x"]), ["Åsa", "en text på tjugo ...", "y" * 200]]
    paragraph = ["ett långt stycke som får flöda över kolumnerna " * 3]

    sheet = _read(write_xlsx([Sheet("Blad", [paragraph, *rows])]))["Blad"]

    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert widths == [MIN_WIDTH, len("en text på tjugo ...") + 2, MAX_WIDTH]


@pytest.mark.parametrize("bold", [False, True])
def test_workbook_cells_that_look_like_formulas_stay_text(bold):
    row = ["=HYPERLINK(1)", "@SUM(A1)", "-1", 7]
    sheet = _read(write_xlsx([Sheet("Blad", [Header(row) if bold else row])]))["Blad"]

    cells = next(sheet.iter_rows())

    assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [
        ("=HYPERLINK(1)", "s", True),
        ("@SUM(A1)", "s", True),
        ("-1", "s", True),
        (7, "n", False),
    ]


@pytest.mark.parametrize(
    ("kind", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("zip", "application/zip"),
        ("pdf", "application/pdf"),
    ],
)
def test_a_download_is_an_attachment_with_its_type(kind, content_type):
    response = download_response(b"data", f"fil.{kind}", kind)

    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="fil.{kind}"'
    assert response.content == b"data"
