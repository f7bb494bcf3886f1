"""Test helpers for two-factor authentication, shared by every app's tests."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from vagval.accounts.models import User


def totp_device_for(user: User) -> TOTPDevice:
    """The user's confirmed TOTP device, created if needed, ready to accept a fresh code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Testapp", confirmed=True)
    # A code is accepted once per time step; forget earlier use and failures so tests can repeat.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    device.refresh_from_db()
    return device


def totp_token(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows right now."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{code:0{device.digits}d}"


def wrong_totp_token(device: TOTPDevice) -> str:
    """A six-digit code that is not valid in any nearby time step."""
    valid = {
        f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"
        for drift in range(-2, 3)
    }
    return next(code for code in ("000000", "111111", "222222", "333333", "444444", "555555") if code not in valid)


def verified_admin_client(user: User) -> Client:
    """A client logged in as `user` whose session has passed two-factor verification through
    the real two-factor form (as administrators must before using the administration pages)."""
    client = Client()
    client.force_login(user)
    device = totp_device_for(user)
    response = client.post(reverse("accounts:two_factor"), {"token": totp_token(device)})
    assert response.status_code == 302, "the two-factor form did not accept the code"
    return client
