import base64
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import client_for
from vagval.accounts.tests.helpers import totp_device_for, totp_token, verified_admin_client, wrong_totp_token
from vagval.audit.models import AccessBasis, AccessLogEntry

TWO_FACTOR_URL = reverse("accounts:two_factor")


def pending_device(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=False)


def is_verified(client: Client) -> bool:
    return "otp_device_id" in client.session


@pytest.fixture
def no_throttling(settings):
    """django-otp waits 1, 2, 4 … seconds after each wrong code; tests that retry at once skip that."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in():
    response = Client().get(TWO_FACTOR_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_setup_page_shows_a_qr_code_the_secret_and_the_code_field(alice_client, alice):
    response = alice_client.get(TWO_FACTOR_URL)
    html = response.content.decode()
    assert response.status_code == 200
    device = pending_device(alice)
    match = re.search(
        r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="QR-kod för tvåstegsverifiering"', html
    )
    assert match, "the QR code is embedded as an SVG data: image with a Swedish alt text"
    svg = base64.b64decode(match.group(1))
    assert svg.startswith(b"<svg")
    assert b"style" not in svg
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    assert "Sexsiffrig kod från appen" in html
    assert "style=" not in html.split("<main", 1)[1]
    assert "<script>" not in html


def test_reloading_the_setup_page_keeps_the_same_secret(alice_client, alice):
    alice_client.get(TWO_FACTOR_URL)
    first = pending_device(alice).key
    alice_client.get(TWO_FACTOR_URL)
    assert pending_device(alice).key == first
    assert TOTPDevice.objects.filter(user=alice).count() == 1


def test_a_correct_code_confirms_the_device_and_verifies_the_session(alice_client, alice):
    alice_client.get(TWO_FACTOR_URL)
    device = pending_device(alice)
    response = alice_client.post(TWO_FACTOR_URL, {"token": totp_token(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert is_verified(alice_client)
    entry = AccessLogEntry.objects.get(action="user.two_factor_enabled")
    assert entry.user_id == alice.pk
    assert entry.basis == AccessBasis.ADMINISTRATION
    assert entry.person_id is None


def test_a_wrong_code_does_not_confirm_the_device(alice_client, alice):
    alice_client.get(TWO_FACTOR_URL)
    device = pending_device(alice)
    response = alice_client.post(TWO_FACTOR_URL, {"token": wrong_totp_token(device)})
    assert response.status_code == 200
    assert "Koden stämmer inte." in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not is_verified(alice_client)
    assert not AccessLogEntry.objects.filter(action="user.two_factor_enabled").exists()


def test_a_code_that_is_not_six_digits_gets_a_swedish_error(alice_client):
    alice_client.get(TWO_FACTOR_URL)
    response = alice_client.post(TWO_FACTOR_URL, {"token": "12ab"})
    assert "Ange de sex siffrorna som appen visar." in response.content.decode()


def test_a_user_with_a_device_must_enter_a_code_and_gets_no_new_secret(alice_client, alice):
    totp_device_for(alice)
    html = alice_client.get(TWO_FACTOR_URL).content.decode()
    assert "Sexsiffrig kod från appen" in html
    assert "data:image/svg+xml" not in html
    assert not TOTPDevice.objects.filter(user=alice, confirmed=False).exists()


def test_a_wrong_then_a_right_code_verifies_the_session(alice_client, alice, no_throttling):
    device = totp_device_for(alice)
    wrong = alice_client.post(TWO_FACTOR_URL, {"token": wrong_totp_token(device)})
    assert wrong.status_code == 200
    assert "Koden stämmer inte." in wrong.content.decode()
    assert not is_verified(alice_client)
    right = alice_client.post(TWO_FACTOR_URL, {"token": totp_token(device)})
    assert right.status_code == 302
    assert is_verified(alice_client)


def test_repeated_wrong_codes_are_throttled(alice_client, alice):
    device = totp_device_for(alice)
    alice_client.post(TWO_FACTOR_URL, {"token": wrong_totp_token(device)})
    response = alice_client.post(TWO_FACTOR_URL, {"token": totp_token(device)})
    assert "För många felaktiga koder." in response.content.decode()
    assert not is_verified(alice_client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_a_code_cannot_be_used_twice(alice, no_throttling):
    device = totp_device_for(alice)
    token = totp_token(device)
    first = client_for(alice)
    assert first.post(TWO_FACTOR_URL, {"token": token}).status_code == 302
    second = client_for(alice)
    assert second.post(TWO_FACTOR_URL, {"token": token}).status_code == 200
    assert not is_verified(second)


def test_verification_honours_a_safe_next(alice_client, alice):
    device = totp_device_for(alice)
    response = alice_client.post(TWO_FACTOR_URL + "?next=/personer/sok/", {"token": totp_token(device)})
    assert response["Location"] == "/personer/sok/"


def test_verification_ignores_a_next_on_another_site(alice_client, alice):
    device = totp_device_for(alice)
    response = alice_client.post(TWO_FACTOR_URL, {"token": totp_token(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("people:caseload")


def test_a_verified_user_sees_the_status_page_and_may_turn_it_off(alice):
    client = verified_admin_client(alice)  # works for any user; alice is a coach
    html = client.get(TWO_FACTOR_URL).content.decode()
    assert "Tvåstegsverifiering är aktiverad" in html
    assert reverse("accounts:two_factor_disable") in html
    response = client.post(reverse("accounts:two_factor_disable"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=alice).exists()
    entry = AccessLogEntry.objects.get(action="user.two_factor_disabled")
    assert entry.user_id == alice.pk
    assert entry.basis == AccessBasis.ADMINISTRATION
    assert entry.person_id is None
    # Back to the set-up page: the session is no longer verified.
    assert "data:image/svg+xml" in client.get(TWO_FACTOR_URL).content.decode()


def test_an_unverified_session_cannot_turn_two_factor_off(alice_client, alice):
    totp_device_for(alice)
    response = alice_client.post(reverse("accounts:two_factor_disable"))
    assert response.status_code == 302
    assert response["Location"].startswith(TWO_FACTOR_URL)
    assert TOTPDevice.objects.filter(user=alice).exists()


def test_an_administrator_cannot_turn_two_factor_off(dana):
    client = verified_admin_client(dana)
    html = client.get(TWO_FACTOR_URL).content.decode()
    assert "Tvåstegsverifiering är aktiverad" in html
    assert reverse("accounts:two_factor_disable") not in html
    response = client.post(reverse("accounts:two_factor_disable"))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=dana, confirmed=True).exists()
    assert not AccessLogEntry.objects.filter(action="user.two_factor_disabled").exists()


def test_turning_off_requires_post(alice):
    client = verified_admin_client(alice)
    assert client.get(reverse("accounts:two_factor_disable")).status_code == 405
