"""Errors shared by services, selectors, views and the API.

Views and the API translate these into 404/403/400 answers; services never return
HTTP responses themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.functional import Promise
from django.utils.translation import gettext as _


class VagvalError(Exception):
    """Base class: carries a message safe to show to the user.

    Messages are Swedish msgids marked for translation (gettext, or gettext_lazy for module
    constants); a lazy message is resolved here, in the language of the request that raised it.
    """

    def __init__(
        self, message: str | Promise, *, field_errors: Mapping[str, Sequence[str | Promise]] | None = None
    ) -> None:
        text = str(message)
        super().__init__(text)
        self.message = text
        self.field_errors: dict[str, list[str]] = {
            name: [str(m) for m in messages] for name, messages in (field_errors or {}).items()
        }


class NotFound(VagvalError):
    """The record does not exist, or the viewer may not know that it exists."""


class PermissionDenied(VagvalError):
    """The viewer may see the record but not do this with it (e.g. read-only users)."""


class InvalidInput(VagvalError):
    """Input broke a domain rule; field_errors name the fields."""


class Conflict(VagvalError):
    """Someone else saved the record after the editor read it: the change was not saved.

    Raised by a service that was given the version the editor saw (`common.versions`) when the
    record has changed since. Pages show both versions; the API answers 412.
    """


class RateLimited(VagvalError):
    """Too many requests in a short time (an API token over its limit per minute): 429."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            _("För många anrop med den här API-nyckeln. Försök igen om %(seconds)s sekunder.")
            % {"seconds": retry_after}
        )
        self.retry_after = retry_after
