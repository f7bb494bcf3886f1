"""The demand and interest view as a file: the page's table (`reports.demand_and_interest`, with
its small-cell rule), the same rows, as CSV or XLSX written by common.spreadsheet."""

from __future__ import annotations

from django.utils.translation import gettext as _

from vagval.accounts.models import User
from vagval.common.spreadsheet import Header, Sheet, write_csv, write_xlsx
from vagval.matching import reports

FILE_STEM = "efterfragan-och-intresse"


def demand_file(*, viewer: User, kind: str) -> tuple[bytes, str]:
    """The file's content and name; refused (reports.require_demand_view) to whoever may not see the view."""
    reports.require_demand_view(viewer)
    header = reports.demand_header()
    rows = [row.cells() for row in reports.demand_and_interest(viewer=viewer)]
    if kind == "xlsx":
        content = write_xlsx([Sheet(_("Efterfrågan och intresse"), [Header(header), *rows])])
    else:
        content = write_csv(header, rows)
    return content, f"{FILE_STEM}.{kind}"
