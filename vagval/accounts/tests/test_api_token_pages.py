"""The API-token pages: "Mina API-nycklar" for every signed-in user, and the tokens section of
the user administration page. Tokens are named in URLs by id only, never by the token itself."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import ctx_for
from vagval.accounts.models import ApiToken, TokenRevocation, User
from vagval.accounts.services import api_token_revoke, api_token_user, user_version
from vagval.accounts.tests.factories import api_token_create
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.audit.models import AccessLogEntry

OWN_PAGE = reverse("accounts:api_tokens")


def make_token(user: User, name: str = "integration") -> tuple[str, ApiToken]:
    raw = api_token_create(user=user, name=name)
    return raw, ApiToken.objects.get(user=user, name=name)


def revoke_url(token: ApiToken) -> str:
    return reverse("accounts:api_token_revoke", kwargs={"token_id": token.pk})


def admin_revoke_url(user: User, token: ApiToken) -> str:
    return reverse("accounts:user_api_token_revoke", kwargs={"user_id": user.pk, "token_id": token.pk})


@pytest.fixture
def dana_client(dana) -> Client:
    return verified_admin_client(dana)


# --- The user's own page ---------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(alice):
    _raw, token = make_token(alice)
    for response in (Client().get(OWN_PAGE), Client().post(revoke_url(token))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_the_page_lists_own_tokens_with_expiry_and_status(alice, bob, alice_client):
    raw, working = make_token(alice, "lönesystem")
    _raw, gone = make_token(alice, "gammal")
    api_token_revoke(ctx=ctx_for(alice), token=gone)
    _raw, expired = make_token(alice, "utgången")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    make_token(bob, "bobs-nyckel")

    response = alice_client.get(OWN_PAGE)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html
    assert "Mina API-nycklar" in html
    for name in ("lönesystem", "gammal", "utgången"):
        assert name in html
    assert timezone.localtime(working.expires_at).strftime("%Y-%m-%d %H:%M") in html
    assert "Gäller" in html
    assert "Har gått ut" in html
    assert "återkallad av användaren" in html
    assert "bobs-nyckel" not in html
    assert raw not in html
    assert working.token_hash not in html
    assert revoke_url(working) in html
    assert revoke_url(gone) not in html  # nothing left to revoke


def test_the_page_says_so_when_there_are_no_tokens(alice_client):
    assert "Det finns inga API-nycklar." in alice_client.get(OWN_PAGE).content.decode()


def test_the_owner_revokes_a_token_and_it_stops_working(alice, alice_client):
    raw, token = make_token(alice)

    response = alice_client.post(revoke_url(token))

    assert response.status_code == 302
    assert response["Location"] == OWN_PAGE
    assert api_token_user(raw=raw) is None
    token.refresh_from_db()
    assert token.revoked_reason == TokenRevocation.OWNER
    assert AccessLogEntry.objects.get(action="api_token.revoked").client_address == "127.0.0.1"


def test_revoking_by_get_is_refused(alice, alice_client):
    raw, token = make_token(alice)
    assert alice_client.get(revoke_url(token)).status_code == 405
    assert api_token_user(raw=raw) == alice


def test_a_read_only_user_may_still_revoke_their_own_token(bob, bob_client):
    """Read-only means "cannot change case data"; revoking one's own token only takes access away."""
    raw, token = make_token(bob)
    assert bob_client.post(revoke_url(token)).status_code == 302
    assert api_token_user(raw=raw) is None


@pytest.mark.parametrize("persona", ["bob", "charlie", "dana"])
def test_someone_elses_token_is_not_found_on_the_own_page(request, alice, persona):
    """Another organisation, a colleague, even an administrator: the own page is about one's own tokens."""
    raw, token = make_token(alice)
    user = request.getfixturevalue(persona)
    client = verified_admin_client(user) if persona == "dana" else Client()
    if persona != "dana":
        client.force_login(user)

    assert client.post(revoke_url(token)).status_code == 404
    assert api_token_user(raw=raw) == alice
    assert "integration" not in client.get(OWN_PAGE).content.decode()


def test_a_raw_token_in_the_url_is_not_a_route(alice, alice_client):
    raw, _token = make_token(alice)
    assert alice_client.post(f"{OWN_PAGE}{raw}/aterkalla/").status_code == 404
    assert api_token_user(raw=raw) == alice


# --- The user administration page ------------------------------------------------------------------


def test_the_administration_page_lists_the_users_tokens(alice, dana_client):
    raw, token = make_token(alice, "lönesystem")

    html = dana_client.get(reverse("accounts:user_edit", kwargs={"user_id": alice.pk})).content.decode()

    assert 'id="api-tokens"' in html
    assert "lönesystem" in html
    assert timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M") in html
    assert admin_revoke_url(alice, token) in html
    assert raw not in html


def test_an_administrator_revokes_a_users_token(alice, dana, dana_client):
    raw, token = make_token(alice)

    response = dana_client.post(admin_revoke_url(alice, token))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_edit", kwargs={"user_id": alice.pk}) + "#api-tokens"
    assert api_token_user(raw=raw) is None
    token.refresh_from_db()
    assert (token.revoked_reason, token.revoked_by) == (TokenRevocation.ADMINISTRATOR, dana)
    entry = AccessLogEntry.objects.get(action="api_token.revoked")
    assert (entry.username, entry.detail["username"]) == ("dana", "alice")


def test_the_administration_route_refuses_a_token_of_another_user(alice, charlie, dana_client):
    raw, token = make_token(charlie)
    assert dana_client.post(admin_revoke_url(alice, token)).status_code == 404
    assert api_token_user(raw=raw) == charlie


def test_non_administrators_get_403_on_the_administration_route(alice, alice_client, bob_client, charlie_client):
    raw, token = make_token(alice)
    for client in (alice_client, bob_client, charlie_client):
        assert client.post(admin_revoke_url(alice, token)).status_code == 403
    assert api_token_user(raw=raw) == alice


def test_anonymous_is_sent_to_log_in_from_the_administration_route(alice):
    _raw, token = make_token(alice)
    response = Client().post(admin_revoke_url(alice, token))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_deactivating_on_the_administration_page_revokes_the_tokens(alice, dana_client):
    raw, _token = make_token(alice)
    form = {
        "username": alice.username,
        "first_name": alice.first_name,
        "last_name": alice.last_name,
        "email": alice.email,
        "unit": str(alice.unit_id),
        "role": alice.role,
        "version": user_version(user=alice),
    }  # is_active left out: unticked
    response = dana_client.post(reverse("accounts:user_edit", kwargs={"user_id": alice.pk}), form)
    assert response.status_code == 302
    assert api_token_user(raw=raw) is None
    assert ApiToken.objects.get(user=alice).revoked_reason == TokenRevocation.DEACTIVATED


def test_a_new_password_on_the_administration_page_revokes_the_tokens(alice, dana_client):
    raw, _token = make_token(alice)
    password = "ett-helt-nytt-losenord-9"
    response = dana_client.post(
        reverse("accounts:user_password", kwargs={"user_id": alice.pk}),
        {"password": password, "password_repeat": password},
    )
    assert response.status_code == 302
    assert api_token_user(raw=raw) is None


def test_the_header_links_to_the_own_tokens_page(alice_client):
    assert f'href="{OWN_PAGE}"' in alice_client.get(reverse("accounts:two_factor")).content.decode()
