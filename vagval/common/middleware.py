"""Middleware that every answer to a signed-in user passes through."""

from __future__ import annotations

from typing import Any

from django.utils.cache import add_never_cache_headers

from vagval.common.request import from_trusted_proxy

# Headers only a reverse proxy of ours may set: from anyone else they are dropped before Django
# reads them (SECURE_PROXY_SSL_HEADER believes X-Forwarded-Proto; the client address is decided
# in common.request.client_address, which checks the proxy itself).
PROXY_HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT")


class DropUntrustedProxyHeadersMiddleware:
    """A client that is not one of TRUSTED_PROXIES cannot claim to have come over HTTPS (or from
    another host) by sending the proxy's headers itself."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        if not from_trusted_proxy(request):
            for name in PROXY_HEADERS:
                request.META.pop(name, None)
        return self.get_response(request)


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
