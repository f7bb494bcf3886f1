"""What a steering-group report is made of: the period it covers, and the sections' parts.

A section (one module in `reporting/sections/`) turns a `ReportContext` into a `SectionResult`:
paragraphs of text, tables and charts. Every table and chart is aggregates only, read through the
owning apps' selectors; counts of persons go through `common.charts.count_cell`/`share_cell`, so
the small-cell rule ("<5") is applied in one place for the page, the PDF and the workbook.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from django.db.models import Q, QuerySet
from django.utils.functional import Promise

from vagval.common.charts import Cell, Chart, DataTable
from vagval.organisations.models import Project
from vagval.people.models import Enrolment, EnrolmentStatus


@dataclass(frozen=True)
class ReportContext:
    project: Project
    start: dt.date
    end: dt.date
    today: dt.date
    # What several sections read (the participants' groups, distance travelled), computed once
    # per report: reporting.groups keys it.
    memo: dict[object, object] = field(default_factory=dict, compare=False, repr=False)

    def enrolments(self) -> QuerySet[Enrolment]:
        """The project's enrolments that were open at some time in the period (planned ones and
        merged records left out): the report's participants."""
        return Enrolment.objects.filter(self.enrolment_condition())

    def enrolment_condition(self, path: str = "") -> Q:
        """`enrolments()`'s condition on the enrolment that `path` leads to ("enrolment__" from an
        exit or a placement). Filtering a few rows through their enrolment joins each to its one
        enrolment; `enrolment__in=enrolments()` instead makes SQLite list all the project's
        hundreds of thousands of enrolments first, for every section that asks."""
        return (
            Q(
                **{
                    f"{path}project": self.project,
                    f"{path}person__merged_into__isnull": True,
                    f"{path}starts_on__lte": self.end,
                }
            )
            & ~Q(**{f"{path}status": EnrolmentStatus.PLANNED})
            & ~Q(**{f"{path}ends_on__lt": self.start})
        )


@dataclass(frozen=True)
class Table:
    """A table of text cells; its first column names the rows."""

    key: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, key: str, caption: str, columns: tuple[str, ...], rows: list[tuple[str, list[Cell]]]) -> Table:
        return cls(key, caption, columns, tuple((label, *(c.text for c in cells)) for label, cells in rows))

    @classmethod
    def from_chart(cls, key: str, table: DataTable) -> Table:
        return cls(key, table.caption, table.columns, table.rows)


@dataclass(frozen=True)
class SectionResult:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    def all_tables(self) -> list[Table]:
        """Every table of the section, the charts' data tables included (the workbook's sheets)."""
        return [*(Table.from_chart(c.spec.key, c.table) for c in self.charts), *self.tables]


class Section(Protocol):
    """One module of `reporting.sections`: a key, a Swedish title and `build`."""

    KEY: str
    TITLE: Promise

    def build(self, ctx: ReportContext) -> SectionResult: ...  # pragma: no cover
