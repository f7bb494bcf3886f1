"""The steering-group report as files: a PDF (WeasyPrint, the page's own SVG charts inline) and an
XLSX workbook (openpyxl, one sheet per section with every table, the charts' data tables included)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from vagval.common.spreadsheet import Header, Sheet, write_xlsx
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


def _table_rows(table: Table) -> list[Sequence[object]]:
    """A table on a sheet: its caption, its column names, its rows, a blank line."""
    rows = [[row[0], *(_value(cell) for cell in row[1:])] for row in table.rows]
    return [[table.caption], Header(table.columns), *rows, []]


def _sheet_names(report: SteeringReport) -> list[str]:
    """One name per section, as Excel allows them: no []:*?/\\, at most 31 characters, unique."""
    used: list[str] = []
    for section in report.sections:
        name = SHEET_NAME.sub("", section.title)[:31]
        while name in used:
            name = f"{name[:28]} {len(used)}"
        used.append(name)
    return used


def report_xlsx(report: SteeringReport) -> bytes:
    cover = Sheet(
        _("Rapport"),
        [
            [_("Styrgruppsrapport"), report.project.name],
            [_("Period"), f"{report.start:%Y-%m-%d} – {report.end:%Y-%m-%d}"],
            [_("Framtagen"), f"{report.made_on:%Y-%m-%d}"],
            [_("Antal under 5 visas som ”<5”.")],
        ],
    )
    sections = [
        Sheet(
            name,
            [
                *([paragraph] for paragraph in section.paragraphs),
                [],
                *(row for table in section.all_tables() for row in _table_rows(table)),
            ],
        )
        for name, section in zip(_sheet_names(report), report.sections, strict=True)
    ]
    return write_xlsx([cover, *sections])
