"""Errors shared by services, selectors, views and the API.

Views and the API translate these into 404/403/400 answers; services never return
HTTP responses themselves.
"""


class VagvalError(Exception):
    """Base class: carries a Swedish message safe to show to the user."""

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class NotFound(VagvalError):
    """The record does not exist, or the viewer may not know that it exists."""


class PermissionDenied(VagvalError):
    """The viewer may see the record but not do this with it (e.g. read-only users)."""


class InvalidInput(VagvalError):
    """Input broke a domain rule; field_errors name the fields."""
