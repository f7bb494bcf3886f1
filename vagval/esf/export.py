"""The indicator table as CSV and XLSX (the same rows as the page), written by common.spreadsheet."""

from __future__ import annotations

from django.utils.translation import gettext as _

from vagval.common.spreadsheet import Header, Sheet, write_csv, write_xlsx
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
    return write_csv(_header(), _rows(table))


def table_xlsx(table: IndicatorTable) -> bytes:
    period = f"{table.start:%Y-%m-%d} – {table.end:%Y-%m-%d}"
    return write_xlsx([Sheet("ESF+", [[table.project.name, period], Header(_header()), *_rows(table)])])
