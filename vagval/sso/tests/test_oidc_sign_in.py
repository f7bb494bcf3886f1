"""Sign-in through OpenID Connect against a small provider on 127.0.0.1: success and each refusal."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from vagval.accounts.models import Role, User
from vagval.audit.models import AccessLogEntry
from vagval.sso.models import ExternalIdentity
from vagval.sso.tests.conftest import link, oidc_sign_in

pytestmark = pytest.mark.django_db


def _signed_in_user(client: Client) -> User | None:
    response = client.get(reverse("accounts:api_tokens"))
    return response.wsgi_request.user if response.status_code == 200 else None


def _refusal(reason: str) -> AccessLogEntry:
    entry = AccessLogEntry.objects.filter(action="sign_in.refused").get()
    assert entry.detail["reason"] == reason
    return entry


def test_a_user_is_found_by_e_mail_and_signs_in(oidc_world, alice):
    alice.email = "alice@ludvika.se"
    alice.save()
    oidc_world.op.claims = {"email": "Alice@Ludvika.se"}
    client = Client()

    response = oidc_sign_in(client, oidc_world.provider)

    assert response.status_code == 302
    assert _signed_in_user(client) == alice
    # The match is remembered: the next sign-in finds her by the identity, not the address.
    assert ExternalIdentity.objects.get(user=alice).subject == "Alice@Ludvika.se"
    entry = AccessLogEntry.objects.filter(action="sign_in.succeeded").get()
    assert (entry.user_id, entry.detail["method"]) == (alice.pk, "oidc")


def test_an_id_token_signed_with_another_key_is_refused(oidc_world, alice):
    link(oidc_world.provider, alice, "alice@ludvika.se")
    oidc_world.op.claims = {"email": "alice@ludvika.se"}
    oidc_world.op.sign_with_other_key = True
    client = Client()

    response = oidc_sign_in(client, oidc_world.provider)

    assert response.status_code == 403
    assert _signed_in_user(client) is None
    _refusal("invalid_response")


def test_an_expired_id_token_is_refused(oidc_world, alice):
    link(oidc_world.provider, alice, "alice@ludvika.se")
    oidc_world.op.claims = {"email": "alice@ludvika.se"}
    oidc_world.op.expired = True
    client = Client()

    response = oidc_sign_in(client, oidc_world.provider)

    assert response.status_code == 403
    assert _signed_in_user(client) is None
    _refusal("invalid_response")


def test_a_token_for_another_client_is_refused(oidc_world, alice):
    link(oidc_world.provider, alice, "alice@ludvika.se")
    oidc_world.op.claims = {"email": "alice@ludvika.se", "aud": "another-client"}
    client = Client()

    assert oidc_sign_in(client, oidc_world.provider).status_code == 403
    assert _signed_in_user(client) is None


def test_a_callback_with_another_state_is_refused(oidc_world, alice):
    link(oidc_world.provider, alice, "alice@ludvika.se")
    client = Client()
    client.get(reverse("sso:start", args=[oidc_world.provider.slug]))

    response = client.get(reverse("sso:oidc_callback", args=[oidc_world.provider.slug]), {"code": "x", "state": "y"})

    assert response.status_code == 403
    _refusal("invalid_response")


def test_an_unknown_person_is_refused(oidc_world, alice):
    oidc_world.op.claims = {"email": "okand@ludvika.se"}
    client = Client()

    response = oidc_sign_in(client, oidc_world.provider)

    assert response.status_code == 403
    assert _signed_in_user(client) is None
    _refusal("unknown_user")


def test_a_token_without_the_configured_claim_is_refused(oidc_world, alice):
    client = Client()

    response = oidc_sign_in(client, oidc_world.provider)

    assert response.status_code == 403
    assert "uppgift som Vägval känner igen dig på" in response.content.decode()
    _refusal("no_attribute")


def test_an_unknown_person_becomes_a_user_with_the_default_role_only(oidc_world, ludvika_unit):
    oidc_world.provider.jit_role = Role.PARTNER
    oidc_world.provider.jit_unit = ludvika_unit
    oidc_world.provider.save()
    oidc_world.op.claims = {"email": "ny@ludvika.se"}
    client = Client()

    oidc_sign_in(client, oidc_world.provider)

    user = _signed_in_user(client)
    assert user is not None
    assert user.email == "ny@ludvika.se"
    assert (user.role, user.unit, user.is_administrator, user.has_usable_password()) == (
        Role.PARTNER,
        ludvika_unit,
        False,
        False,
    )


def test_an_administrator_matched_by_e_mail_alone_is_refused(oidc_world, dana):
    """Administrators have no unit, so no organisation: only an explicit link lets them in."""
    dana.email = "dana@ludvika.se"
    dana.save()
    oidc_world.op.claims = {"email": "dana@ludvika.se"}

    assert oidc_sign_in(Client(), oidc_world.provider).status_code == 403
    _refusal("unknown_user")


def test_an_administrator_is_still_asked_for_the_second_factor(oidc_world, dana):
    link(oidc_world.provider, dana, "dana@ludvika.se")
    TOTPDevice.objects.create(user=dana, name="app", confirmed=True)
    oidc_world.op.claims = {"email": "dana@ludvika.se"}
    client = Client()

    oidc_sign_in(client, oidc_world.provider)
    response = client.get(reverse("accounts:user_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))


def test_logout_goes_on_to_the_providers_end_session_endpoint(oidc_world, alice):
    link(oidc_world.provider, alice, "alice@ludvika.se")
    oidc_world.op.claims = {"email": "alice@ludvika.se"}
    client = Client()
    oidc_sign_in(client, oidc_world.provider)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"].startswith(f"{oidc_world.op.issuer}/logout?id_token_hint=")
    assert "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2Fkonto%2Flogga-in%2F" in response["Location"]
    assert _signed_in_user(client) is None
    assert AccessLogEntry.objects.filter(action="sign_out.done", user_id=alice.pk).exists()
