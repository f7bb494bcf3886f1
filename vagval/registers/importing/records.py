"""What parsing hands out: a typed record per valid row, a RejectedRow per invalid row.

Identity numbers and raw values are left out of repr(), so a record that ends up in a log line
or a traceback does not carry a personnummer.
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from vagval.common.identity import IdentityNumber

from .reading import CellValue
from .values import Skolform, StudyStatus

RecordClass = TypeVar("RecordClass", bound=type)


def _pickled_as_arguments(cls: RecordClass) -> RecordClass:
    """Pickle a record as its class and field values: an import spools every record to a
    temporary file and back, and the dataclass default for a frozen slots class (a dict built
    through dataclasses.fields() per record) costs more than the record itself."""
    values = operator.attrgetter(*(item.name for item in fields(cls)))

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        return (cls, values(self))

    cls.__reduce__ = __reduce__  # type: ignore[assignment]
    return cls


@_pickled_as_arguments
@dataclass(frozen=True, slots=True)
class PopulationRow:
    """One person in a population extract (befolkning). Optional fields are None when empty."""

    line: int
    identity: IdentityNumber = field(repr=False)  # .digits (12), .kind, .birth_date
    first_name: str
    last_name: str
    municipality_code: str  # four digits, exists in reference/kommuner.csv
    address: str | None = None
    postal_code: str | None = None  # five digits
    city: str | None = None
    protected: bool | None = None  # None: not stated (column missing or empty); never read as "not protected"
    phone: str | None = None
    email: str | None = None
    previous_identity: IdentityNumber | None = field(default=None, repr=False)  # tidigare_nummer

    @property
    def identity_number(self) -> str:
        return self.identity.digits


@_pickled_as_arguments
@dataclass(frozen=True, slots=True)
class StudyRow:
    """One study enrolment in a studies extract (studier); a person may have several."""

    line: int
    identity: IdentityNumber = field(repr=False)
    school_form: Skolform
    status: StudyStatus
    programme: str | None = None
    school_unit: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None

    @property
    def identity_number(self) -> str:
        return self.identity.digits


@dataclass(frozen=True, slots=True)
class Problem:
    column: str  # canonical column name ("kommunkod"); "" for the row as a whole
    reason: str  # Swedish


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A row that cannot be imported: where, why, and the values exactly as read.

    `column` and `reason` are the first problem; `problems` holds all of them (a row is
    reported once, with everything that is wrong with it). `column_label` is the column's name
    as written in the file. `identity_number` is the row's normalised number when that column
    was valid, so a caller can tell "this person is in the file, but their row was rejected"
    from "this person is not in the file".
    """

    line: int
    column: str
    reason: str
    values: tuple[CellValue, ...] = field(repr=False)
    problems: tuple[Problem, ...] = ()
    column_label: str = ""
    identity_number: str | None = field(default=None, repr=False)

    @property
    def message(self) -> str:
        """ "rad 7, kolumn kommunkod: kommunkoden 9999 finns inte" (first problem only)."""
        where = f"rad {self.line}, kolumn {self.column_label or self.column}" if self.column else f"rad {self.line}"
        return f"{where}: {self.reason}"

    @property
    def error_text(self) -> str:
        """Every problem in one line: what goes in the `fel` column of the rejected-rows file."""
        return "; ".join(
            f"{problem.column}: {problem.reason}" if problem.column else problem.reason
            for problem in self.problems or (Problem(self.column, self.reason),)
        )


@dataclass(frozen=True, slots=True)
class ParseCounts:
    read: int = 0  # data rows read (blank lines not counted)
    accepted: int = 0
    rejected: int = 0
