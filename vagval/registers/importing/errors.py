"""The one error a broken import file gives."""

from __future__ import annotations

from vagval.common.errors import VagvalError


class FileError(VagvalError):
    """The file as a whole cannot be imported: not a CSV/XLSX file, unreadable, wrong columns, no data.

    The message is Swedish, plain and safe to show to the user (it never contains an identity
    number). Raised when the file is opened, before any row is handed out, except for damage
    that only shows further into the file (a broken quote in a CSV file, a damaged sheet inside an
    XLSX file): then it is raised during iteration, and the caller must throw away what it did.
    """
