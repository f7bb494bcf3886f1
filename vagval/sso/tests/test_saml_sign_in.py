"""Sign-in through SAML 2.0 against pysaml2's IdP on 127.0.0.1: success and each refusal."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from vagval.accounts.models import Role, User
from vagval.accounts.tests.factories import UserFactory
from vagval.audit.models import AccessLogEntry
from vagval.sso.models import ExternalIdentity
from vagval.sso.tests.conftest import HSA_ID, link, saml_sign_in
from vagval.sso.tests.idp import SamlIdp

pytestmark = pytest.mark.django_db


def _signed_in_user(client: Client) -> User | None:
    response = client.get(reverse("accounts:api_tokens"))
    return response.wsgi_request.user if response.status_code == 200 else None


def test_a_linked_user_signs_in_with_their_hsa_id(saml_world, alice):
    link(saml_world.provider, alice, "SE2321000032-abc1")
    saml_world.idp.user = {HSA_ID: ["SE2321000032-abc1"]}
    client = Client()

    response = saml_sign_in(client, saml_world.provider)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert client.get(response["Location"])["Location"] == reverse("people:caseload")
    assert _signed_in_user(client) == alice
    entry = AccessLogEntry.objects.filter(action="sign_in.succeeded").get()
    assert (entry.user_id, entry.detail) == (alice.pk, {"method": "saml", "provider": "Ludvika kommuns inloggning"})
    assert ExternalIdentity.objects.get(user=alice).last_sign_in_at is not None


def test_the_next_address_survives_the_trip(saml_world, alice):
    link(saml_world.provider, alice, "SE2321000032-abc1")
    saml_world.idp.user = {HSA_ID: ["SE2321000032-abc1"]}
    client = Client()

    response = saml_sign_in(client, saml_world.provider, next_url="/att-gora/")

    assert client.get(response["Location"])["Location"] == "/att-gora/"


def test_a_response_signed_with_another_key_is_refused(saml_world, alice, tmp_path):
    link(saml_world.provider, alice, "SE2321000032-abc1")
    impostor_dir = tmp_path / "impostor"
    impostor_dir.mkdir()
    impostor = SamlIdp(
        base_url=saml_world.idp.base_url, folder=impostor_dir, sp_metadata=_sp_metadata(saml_world), key_name="impostor"
    )
    impostor.user = {HSA_ID: ["SE2321000032-abc1"]}
    saml_world.answer_with(impostor)
    client = Client()

    response = saml_sign_in(client, saml_world.provider)

    assert response.status_code == 403
    assert "ogiltigt eller för gammalt" in response.content.decode()
    assert _signed_in_user(client) is None
    entry = AccessLogEntry.objects.filter(action="sign_in.refused").get()
    assert entry.detail["reason"] == "invalid_response"
    assert entry.username == "system:inloggning"


def _sp_metadata(saml_world) -> str:
    from vagval.sso import saml

    return saml.metadata_xml(saml_world.provider, base_url="http://testserver")


def test_an_expired_assertion_is_refused(saml_world, alice):
    link(saml_world.provider, alice, "SE2321000032-abc1")
    saml_world.idp.user = {HSA_ID: ["SE2321000032-abc1"]}
    saml_world.idp.lifetime_minutes = -10  # valid until ten minutes ago (allowed skew: one minute)
    client = Client()

    response = saml_sign_in(client, saml_world.provider)

    assert response.status_code == 403
    assert _signed_in_user(client) is None
    assert AccessLogEntry.objects.filter(action="sign_in.refused").get().detail["reason"] == "invalid_response"


def test_a_response_without_a_request_of_ours_is_refused(saml_world, alice):
    """An unsolicited (or replayed in another browser) response: no request id in this browser."""
    link(saml_world.provider, alice, "SE2321000032-abc1")
    saml_world.idp.user = {HSA_ID: ["SE2321000032-abc1"]}
    first = Client()
    start = first.get(reverse("sso:start", args=[saml_world.provider.slug]))
    import requests

    page = requests.get(start["Location"], timeout=10).text
    import html
    import re

    value = html.unescape(re.search(r'name="SAMLResponse" value="([^"]+)"', page).group(1))

    other_browser = Client()
    response = other_browser.post(reverse("sso:saml_acs", args=[saml_world.provider.slug]), {"SAMLResponse": value})

    assert response.status_code == 403
    assert _signed_in_user(other_browser) is None


def test_an_unknown_person_is_refused(saml_world, alice):
    saml_world.idp.user = {HSA_ID: ["SE2321000032-okand"]}
    client = Client()

    response = saml_sign_in(client, saml_world.provider)

    assert response.status_code == 403
    assert "inget konto i Vägval" in response.content.decode()
    assert _signed_in_user(client) is None
    entry = AccessLogEntry.objects.filter(action="sign_in.refused").get()
    # The identity is kept for the administrator, with anything shaped like an identity number cut
    # out (an HSA-id's organisation number has that shape too).
    assert (entry.detail["reason"], entry.detail["subject"]) == ("unknown_user", "SE[personnummer borttaget]-okand")


def test_an_unknown_person_becomes_a_user_with_the_default_role_only(saml_world, ludvika_unit):
    saml_world.provider.jit_role = Role.COACH
    saml_world.provider.jit_unit = ludvika_unit
    saml_world.provider.save()
    saml_world.idp.user = {HSA_ID: ["SE2321000032-ny1"]}
    client = Client()

    saml_sign_in(client, saml_world.provider)

    user = _signed_in_user(client)
    assert user is not None
    assert (user.role, user.unit, user.read_only, user.has_usable_password()) == (
        Role.COACH,
        ludvika_unit,
        False,
        False,
    )
    assert not user.project_roles.exists()
    assert ExternalIdentity.objects.get(user=user).subject == "SE2321000032-ny1"
    assert AccessLogEntry.objects.filter(action="sign_in.user_created", user_id=user.pk).exists()


def test_a_user_of_another_organisation_is_refused(saml_world, charlie):
    link(saml_world.provider, charlie, "SE2321000032-charlie")
    saml_world.idp.user = {HSA_ID: ["SE2321000032-charlie"]}
    client = Client()

    response = saml_sign_in(client, saml_world.provider)

    assert response.status_code == 403
    assert _signed_in_user(client) is None
    entry = AccessLogEntry.objects.filter(action="sign_in.refused").get()
    assert (entry.user_id, entry.detail["reason"]) == (charlie.pk, "not_allowed")


def test_an_administrator_is_still_asked_for_the_second_factor(saml_world, dana):
    link(saml_world.provider, dana, "SE2321000032-dana")
    TOTPDevice.objects.create(user=dana, name="app", confirmed=True)
    saml_world.idp.user = {HSA_ID: ["SE2321000032-dana"]}
    client = Client()

    landing = client.get(saml_sign_in(client, saml_world.provider)["Location"])
    admin_page = client.get(landing["Location"])

    assert admin_page.status_code == 302
    assert admin_page["Location"].startswith(reverse("accounts:two_factor"))
    assert client.get(reverse("accounts:user_list")).status_code == 302


def test_logout_ends_the_session_here_and_asks_the_idp_to_end_its_own(saml_world, alice):
    link(saml_world.provider, alice, "SE2321000032-abc1")
    saml_world.idp.user = {HSA_ID: ["SE2321000032-abc1"]}
    client = Client()
    saml_sign_in(client, saml_world.provider)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"].startswith(f"{saml_world.idp.base_url}/slo?SAMLRequest=")
    assert _signed_in_user(client) is None
    entry = AccessLogEntry.objects.filter(action="sign_out.done").get()
    assert (entry.user_id, entry.detail["single_logout"]) == (alice.pk, True)
    assert client.get(reverse("sso:saml_logout_done", args=[saml_world.provider.slug]))["Location"] == reverse(
        "accounts:login"
    )


def test_an_inactive_provider_refuses(saml_world, alice):
    saml_world.provider.active = False
    saml_world.provider.save()

    response = Client().get(reverse("sso:start", args=[saml_world.provider.slug]))

    assert response.status_code == 403


def test_the_service_provider_metadata_names_the_assertion_consumer_service(saml_world):
    response = Client().get(reverse("sso:saml_metadata", args=[saml_world.provider.slug]))

    assert response.status_code == 200
    assert b"/inloggning/ludvika-saml/saml/acs/" in response.content


def test_other_users_are_not_the_signed_in_one(saml_world, alice):
    assert UserFactory(username="someone").pk != alice.pk
