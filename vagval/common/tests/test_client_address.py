"""common.request.client_address: X-Forwarded-For counts only when the request comes from a
trusted proxy (settings.TRUSTED_PROXIES), and then only up to the first address that is not ours."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from vagval.common.request import client_address

PROXY = "10.0.0.5"


def address(remote: str, forwarded: str | None = None) -> str:
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **headers))


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY, "192.168.10.0/24", "fd00::/8"]


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert address("203.0.113.7", "198.51.100.1") == "203.0.113.7"


def test_a_spoofed_header_from_an_untrusted_address_is_ignored(behind_proxy):
    assert address("203.0.113.7", "198.51.100.1") == "203.0.113.7"
    assert address("203.0.113.7", PROXY) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_forwarded_client_counts(behind_proxy):
    assert address(PROXY, "198.51.100.1") == "198.51.100.1"


def test_a_trusted_proxy_may_be_given_as_a_network(behind_proxy):
    assert address("192.168.10.77", "198.51.100.1") == "198.51.100.1"


def test_what_the_client_put_in_the_header_itself_is_not_believed(behind_proxy):
    """The client sent "X-Forwarded-For: 1.2.3.4"; our proxy appended the address it saw."""
    assert address(PROXY, "1.2.3.4, 198.51.100.1") == "198.51.100.1"


def test_chained_trusted_proxies_are_skipped_from_the_right(behind_proxy):
    assert address(PROXY, "1.2.3.4, 198.51.100.1, 192.168.10.2") == "198.51.100.1"


def test_garbage_in_the_header_falls_back_to_the_proxy(behind_proxy):
    assert address(PROXY, "198.51.100.1, 19900101-1234") == PROXY
    assert address(PROXY, "unknown") == PROXY


def test_a_trusted_proxy_without_the_header_is_itself_the_client(behind_proxy):
    assert address(PROXY) == PROXY
    assert address(PROXY, "") == PROXY


def test_only_our_own_proxies_in_the_header_gives_the_first_of_them(behind_proxy):
    assert address(PROXY, "192.168.10.3, 192.168.10.2") == "192.168.10.3"


def test_ports_and_ipv6_are_understood(behind_proxy):
    assert address(PROXY, "198.51.100.1:5123") == "198.51.100.1"
    assert address(PROXY, "[2001:db8::1]:443") == "2001:db8::1"
    assert address("fd00::1", "2001:db8::2") == "2001:db8::2"
    assert address("::ffff:10.0.0.5", "198.51.100.1") == "198.51.100.1"


def test_proxy_headers_from_a_client_that_is_not_a_trusted_proxy_are_dropped(rf, settings):
    from vagval.common.middleware import DropUntrustedProxyHeadersMiddleware

    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    seen = {}

    def view(request):
        seen.update(proto=request.META.get("HTTP_X_FORWARDED_PROTO"), secure=request.is_secure())
        return None

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    middleware = DropUntrustedProxyHeadersMiddleware(view)
    middleware(rf.get("/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="203.0.113.9"))
    assert seen == {"proto": None, "secure": False}
    middleware(rf.get("/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="10.0.0.5"))
    assert seen == {"proto": "https", "secure": True}
