"""Middleware that every answer to a signed-in user passes through."""

from __future__ import annotations

from typing import Any

from django.utils.cache import add_never_cache_headers


class NeverCacheSignedInMiddleware:
    """No answer to a signed-in user (a page, a file, an API body) is kept by a browser or a
    proxy cache: it may hold person data, and on a shared computer the back button must not
    show it to the next user. One place, so a page that forgets `never_cache` is covered too."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response
