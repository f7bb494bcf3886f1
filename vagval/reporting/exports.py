"""The steering-group report as files: a PDF (WeasyPrint, the page's own SVG charts inline) and an
XLSX workbook (openpyxl, one sheet per section with every table, the charts' data tables included)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from vagval.common.spreadsheet import xlsx_cells
from vagval.reporting.report import Table
from vagval.reporting.selectors import SteeringReport

PRINT_CSS = Path(__file__).resolve().parent / "static" / "reporting" / "print.css"
SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
WHOLE_NUMBER = re.compile(r"\d+")


def file_name(report: SteeringReport, extension: str) -> str:
    """No person, no number: the project's id and the period."""
    return f"styrgruppsrapport-{report.project.pk}-{report.start:%Y%m%d}-{report.end:%Y%m%d}.{extension}"


def report_pdf(report: SteeringReport) -> bytes:
    # Imported here: WeasyPrint parses its own stylesheets on import (see plans/pdf.py).
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("reporting/pdf.html", {"report": report})
    # Nothing is fetched: the charts are data: addresses and the stylesheet is given here.
    fetcher = URLFetcher(allowed_protocols=("data",))
    document = HTML(string=html, url_fetcher=fetcher, base_url=str(PRINT_CSS.parent))
    pdf = document.write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))])
    assert pdf is not None
    return pdf


def _value(text: str) -> object:
    """A plain whole number as a number (so a spreadsheet can sum it); "<5", shares and names as text."""
    return int(text) if WHOLE_NUMBER.fullmatch(text) else text


def _write_table(sheet: object, table: Table) -> None:
    sheet.append(xlsx_cells(sheet, [table.caption]))  # type: ignore[attr-defined]
    sheet.append(xlsx_cells(sheet, list(table.columns)))  # type: ignore[attr-defined]
    for row in table.rows:
        sheet.append(xlsx_cells(sheet, [row[0], *(_value(cell) for cell in row[1:])]))  # type: ignore[attr-defined]
    sheet.append([])  # type: ignore[attr-defined]


def report_xlsx(report: SteeringReport) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    cover = book.create_sheet(_("Rapport"))
    cover.append(xlsx_cells(cover, [_("Styrgruppsrapport"), report.project.name]))
    cover.append(xlsx_cells(cover, [_("Period"), f"{report.start:%Y-%m-%d} – {report.end:%Y-%m-%d}"]))
    cover.append(xlsx_cells(cover, [_("Framtagen"), f"{report.made_on:%Y-%m-%d}"]))
    cover.append(xlsx_cells(cover, [_("Antal under 5 visas som ”<5”.")]))
    used: set[str] = set()
    for section in report.sections:
        name = SHEET_NAME.sub("", section.title)[:31]
        while name in used:
            name = f"{name[:28]} {len(used)}"
        used.add(name)
        sheet = book.create_sheet(name)
        for paragraph in section.paragraphs:
            sheet.append(xlsx_cells(sheet, [paragraph]))
        sheet.append([])
        for table in section.all_tables():
            _write_table(sheet, table)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
