"""One rule for the cells of every CSV and XLSX file we produce: no cell runs as a formula."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from vagval.common.spreadsheet import csv_writer, defuse_cell, restore_cell, xlsx_cells

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
