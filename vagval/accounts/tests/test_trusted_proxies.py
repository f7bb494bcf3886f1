"""Behind the recommended reverse proxy, the access log and the login lock-out see the client's
address (from X-Forwarded-For), not the proxy's; a header from anyone but a trusted proxy is ignored.
Both go through the one helper, vagval.common.request.client_address."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from vagval.accounts.tests.factories import PASSWORD
from vagval.audit.models import AccessLogEntry

PROXY = "10.0.0.5"
LOGIN_URL = reverse("accounts:login")


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]


def via_proxy(client_ip: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_ip)


def login(client: Client, username: str, password: str):
    return client.post(LOGIN_URL, {"username": username, "password": password})


def view_person(client: Client, person) -> AccessLogEntry:
    assert client.get(reverse("people:detail", kwargs={"person_id": person.pk})).status_code == 200
    return AccessLogEntry.objects.filter(action="person.viewed").latest("id")


# --- The access log --------------------------------------------------------------------------------


def test_the_access_log_records_the_client_behind_a_trusted_proxy(behind_proxy, alice, alices_person):
    client = via_proxy("198.51.100.23")
    client.force_login(alice)
    assert view_person(client, alices_person).client_address == "198.51.100.23"


def test_the_access_log_ignores_a_spoofed_header_from_an_untrusted_address(behind_proxy, alice, alices_person):
    client = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.23")
    client.force_login(alice)
    assert view_person(client, alices_person).client_address == "203.0.113.9"


def test_without_trusted_proxies_the_access_log_keeps_the_socket_address(settings, alice, alices_person):
    settings.TRUSTED_PROXIES = []
    client = via_proxy("198.51.100.23")
    client.force_login(alice)
    assert view_person(client, alices_person).client_address == PROXY


# --- The login lock-out ----------------------------------------------------------------------------


def test_one_client_locked_out_behind_the_proxy_does_not_lock_out_another(behind_proxy, alice):
    attacker = via_proxy("198.51.100.66")
    for _ in range(5):
        login(attacker, "alice", "fel-losenord")
    assert login(attacker, "alice", PASSWORD).status_code == 429

    colleague = via_proxy("198.51.100.10")
    assert login(colleague, "alice", PASSWORD).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}


def test_a_spoofed_header_does_not_dodge_the_lock_out(behind_proxy, alice):
    """An attacker not behind our proxy cannot look like a new client on every try."""
    for attempt in range(5):
        client = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}")
        login(client, "alice", "fel-losenord")
    again = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert login(again, "alice", PASSWORD).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
