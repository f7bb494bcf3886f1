"""Local passwords per organisation, and the access-log entries of password sign-ins."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from vagval.accounts.tests.factories import PASSWORD
from vagval.audit.models import AccessLogEntry
from vagval.sso.models import IdentityProvider, OrganisationSignIn, ProviderKind

pytestmark = pytest.mark.django_db


def _log_in(username: str, password: str = PASSWORD):
    return Client().post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.fixture
def passwords_off(ludvika_unit):
    return OrganisationSignIn.objects.create(organisation=ludvika_unit.organisation, passwords_allowed=False)


def test_a_password_sign_in_is_logged(alice):
    response = _log_in("alice")

    assert response.status_code == 302
    entry = AccessLogEntry.objects.filter(action="sign_in.succeeded").get()
    assert (entry.user_id, entry.detail) == (alice.pk, {"method": "password"})


def test_a_wrong_password_is_logged_as_a_refusal(alice):
    response = _log_in("alice", "fel-losenord-1")

    assert response.status_code == 200
    entry = AccessLogEntry.objects.filter(action="sign_in.refused").get()
    assert (entry.user_id, entry.detail["reason"]) == (alice.pk, "wrong_password")


def test_an_unknown_user_name_is_logged_without_the_name(db):
    _log_in("ingen-sadan", "fel-losenord-1")

    entry = AccessLogEntry.objects.filter(action="sign_in.refused").get()
    assert entry.username == "system:inloggning"
    assert "ingen-sadan" not in str(entry.detail)


def test_a_correct_password_is_refused_when_the_organisation_turned_passwords_off(alice, passwords_off):
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})

    assert response.status_code == 200
    assert "loggar in via sin egen inloggning" in response.content.decode()
    assert client.get(reverse("accounts:api_tokens")).status_code == 302
    entry = AccessLogEntry.objects.filter(action="sign_in.refused").get()
    assert (entry.user_id, entry.detail["reason"]) == (alice.pk, "passwords_off")


def test_another_organisations_users_keep_their_passwords(charlie, passwords_off):
    assert _log_in("charlie").status_code == 302


def test_administrators_keep_their_password(dana, passwords_off):
    assert _log_in("dana").status_code == 302


def test_the_login_page_offers_each_active_provider(db):
    IdentityProvider.objects.create(name="Ludvika kommun", slug="ludvika", kind=ProviderKind.SAML, attribute="x")
    IdentityProvider.objects.create(name="Avstängd", slug="av", kind=ProviderKind.SAML, attribute="x", active=False)

    page = Client().get(reverse("accounts:login"), {"next": "/att-gora/"}).content.decode()

    assert "Logga in med Ludvika kommun" in page
    assert 'href="/inloggning/ludvika/?next=/att-gora/"' in page
    assert "Avstängd" not in page
