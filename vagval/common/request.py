"""Typed request and the one client-address helper, used by the access log and the login lock-out."""

from __future__ import annotations

import functools
import ipaddress
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest

if TYPE_CHECKING:
    from vagval.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    user: User


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _parse(text: str) -> IPAddress | None:
    """An address as a proxy writes it ("192.0.2.1", "192.0.2.1:5000", "[2001:db8::1]:443"), or None."""
    value = text.strip()
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:  # IPv4 with a port; a bare IPv6 address has several colons
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def from_trusted_proxy(request: HttpRequest) -> bool:
    """Whether the request's socket address is one of settings.TRUSTED_PROXIES."""
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    remote_address = _parse(request.META.get("REMOTE_ADDR", "") or "") if networks else None
    return remote_address is not None and _is_trusted(remote_address, networks)


def client_address(request: HttpRequest) -> str:
    """The client's address, for the access log and the login lock-out (AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR, unless it is one of settings.TRUSTED_PROXIES: then the right-most address in
    X-Forwarded-For that is not itself a trusted proxy (each proxy appends the address it got
    the request from, so everything left of that is what the client claimed and is not
    believed). A header from anyone else is ignored, so a client cannot choose its own address.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    remote_address = _parse(remote) if networks else None
    if remote_address is None or not _is_trusted(remote_address, networks):
        return remote
    hops = [_parse(hop) for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop is None:
            # Garbage where an address should be: nothing further left can be trusted.
            return str(remote_address)
        if not _is_trusted(hop, networks):
            return str(hop)
    # Every hop is one of our own proxies (e.g. a health check between them): the first one asked.
    return str(hops[0]) if hops else str(remote_address)


def page_number(text: str | None) -> int:
    """A list page's number from the query string: 1 when missing, not a number or below 1."""
    try:
        return max(int(text or 1), 1)
    except ValueError:
        return 1
