"""Typed request and the client-address helper used by the access log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from vagval.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    user: User


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is trusted by the reverse proxy config, not here.
    return request.META.get("REMOTE_ADDR", "") or ""


def page_number(text: str | None) -> int:
    """A list page's number from the query string: 1 when missing, not a number or below 1."""
    try:
        return max(int(text or 1), 1)
    except ValueError:
        return 1
