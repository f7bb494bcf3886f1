"""The indicator table as CSV and XLSX (the same rows as the page)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from vagval.common.spreadsheet import csv_writer, xlsx_cells
from vagval.esf.selectors import IndicatorTable


def _header() -> list[str]:
    return [_("Kod"), _("Indikator"), _("Totalt"), _("Kvinnor"), _("Män"), _("Icke-binära")]


def _rows(table: IndicatorTable) -> list[list[object]]:
    return [
        [
            row.indicator.code,
            str(row.indicator.title),
            row.counts.total,
            row.counts.kvinnor,
            row.counts.man,
            row.counts.icke_binara,
        ]
        for row in table.rows
    ]


def filename(table: IndicatorTable, extension: str) -> str:
    return f"esf-indikatorer-{table.start:%Y%m%d}-{table.end:%Y%m%d}.{extension}"


def table_csv(table: IndicatorTable) -> bytes:
    """UTF-8 with BOM (so Excel reads å, ä, ö), semicolons, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(_header())
    writer.writerows(_rows(table))
    return buffer.getvalue().encode("utf-8-sig")


def table_xlsx(table: IndicatorTable) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "ESF+"
    sheet.append(xlsx_cells(sheet, [table.project.name, f"{table.start:%Y-%m-%d} – {table.end:%Y-%m-%d}"]))
    sheet.append(xlsx_cells(sheet, _header()))
    for row in _rows(table):
        sheet.append(xlsx_cells(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
