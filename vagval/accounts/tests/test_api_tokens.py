"""API tokens: they expire, their owner and administrators can revoke them, and a deactivation
or a new password ends them all. A revoked or expired token answers like an unknown one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from conftest import ctx_for
from vagval.accounts import selectors
from vagval.accounts.models import ApiToken, TokenRevocation, User
from vagval.accounts.services import (
    UserData,
    api_token_issue,
    api_token_revoke,
    api_token_revoke_all,
    api_token_user,
    user_set_password,
    user_update,
)
from vagval.accounts.system import SystemActor, system_context
from vagval.accounts.tests.factories import api_token_create
from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied

API_PERSONS = "/api/v1/persons"


def user_data(user: User, **overrides) -> UserData:
    values = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "unit": user.unit,
        "role": user.role,
        "read_only": user.read_only,
        "is_active": user.is_active,
    }
    values.update(overrides)
    return UserData(**values)


def api_status(raw: str) -> int:
    return Client(headers={"Authorization": f"Bearer {raw}"}).get(API_PERSONS).status_code


# --- Regressions: a token outlived what should have ended it --------------------------------------


def test_a_deactivated_users_token_stays_dead_when_the_account_is_reactivated(alice, dana):
    raw = api_token_create(user=alice)
    user_update(ctx=ctx_for(dana), user=alice, data=user_data(alice, is_active=False))
    user_update(ctx=ctx_for(dana), user=alice, data=user_data(alice, is_active=True))

    assert api_token_user(raw=raw) is None
    assert api_status(raw) == 401
    token = ApiToken.objects.get(user=alice)
    assert token.revoked_reason == TokenRevocation.DEACTIVATED
    assert token.revoked_by == dana


def test_a_new_password_revokes_every_token(alice, dana):
    first, second = api_token_create(user=alice), api_token_create(user=alice)
    user_set_password(ctx=ctx_for(dana), user=alice, password="ett-helt-nytt-losenord-9")

    assert api_token_user(raw=first) is None
    assert api_token_user(raw=second) is None
    assert set(ApiToken.objects.filter(user=alice).values_list("revoked_reason", flat=True)) == {
        TokenRevocation.PASSWORD
    }


def test_a_password_set_on_the_command_line_also_revokes_and_names_the_system_actor(alice):
    raw = api_token_create(user=alice)
    ctx = system_context(SystemActor.COMMAND_LINE)
    user_set_password(ctx=ctx, user=alice, password="ett-helt-nytt-losenord-9")
    assert api_token_user(raw=raw) is None
    assert ApiToken.objects.get(user=alice).revoked_by == ctx.user


def test_changing_other_fields_keeps_the_tokens(alice, dana):
    raw = api_token_create(user=alice)
    user_update(ctx=ctx_for(dana), user=alice, data=user_data(alice, first_name="Alicia"))
    assert api_token_user(raw=raw) == alice


# --- Expiry ----------------------------------------------------------------------------------------


def test_a_new_token_expires_after_the_configured_days(alice, settings):
    settings.API_TOKEN_DAYS = 30
    before = timezone.now()
    issued = api_token_issue(ctx=ctx_for(alice), user=alice, name="integration")
    expected = before + dt.timedelta(days=30)
    assert expected <= issued.token.expires_at <= expected + dt.timedelta(minutes=1)
    assert issued.raw.startswith("vv_")
    assert issued.token.token_hash != issued.raw


def test_the_default_lifetime_is_90_days():
    from vagval import settings as project_settings

    assert project_settings.API_TOKEN_DAYS == 90


def test_an_expired_token_answers_401_like_an_unknown_one(alice, alices_person):
    raw = api_token_create(user=alice)
    ApiToken.objects.filter(user=alice).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    response = Client(headers={"Authorization": f"Bearer {raw}"}).get(API_PERSONS)
    unknown = Client(headers={"Authorization": "Bearer vv_okand"}).get(API_PERSONS)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == unknown.json()
    assert ApiToken.objects.get(user=alice).last_used_at is None


def test_an_inactive_user_gets_no_new_token(alice):
    alice.is_active = False
    alice.save()
    with pytest.raises(InvalidInput):
        api_token_issue(ctx=system_context(SystemActor.COMMAND_LINE), user=alice)
    assert not ApiToken.objects.exists()


def test_issuing_with_an_actor_writes_an_access_log_entry(alice):
    issued = api_token_issue(ctx=system_context(SystemActor.COMMAND_LINE), user=alice, name="lönesystem")
    entry = AccessLogEntry.objects.get(action="api_token.created")
    assert entry.username == "system:kommandorad"
    assert entry.basis == AccessBasis.ADMINISTRATION
    assert entry.detail["username"] == "alice"
    assert entry.detail["token"] == str(issued.token.pk)
    assert issued.raw not in str(entry.detail)


def test_a_coach_cannot_issue_a_token_for_someone_else(alice, charlie):
    with pytest.raises(PermissionDenied):
        api_token_issue(ctx=ctx_for(charlie), user=alice)


# --- Revoking --------------------------------------------------------------------------------------


def test_the_owner_revokes_their_token_and_it_is_logged(alice, alices_person):
    raw = api_token_create(user=alice)
    token = ApiToken.objects.get(user=alice)

    assert api_token_revoke(ctx=ctx_for(alice), token=token) is True

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_reason == TokenRevocation.OWNER
    assert token.revoked_by == alice
    assert api_status(raw) == 401
    entry = AccessLogEntry.objects.get(action="api_token.revoked")
    assert (entry.username, entry.basis) == ("alice", AccessBasis.ADMINISTRATION)
    assert entry.detail == {"username": "alice", "tokens": [str(token.pk)], "reason": "owner"}
    assert entry.person_id is None


def test_revoking_twice_changes_and_logs_nothing_more(alice):
    api_token_create(user=alice)
    token = ApiToken.objects.get(user=alice)
    api_token_revoke(ctx=ctx_for(alice), token=token)
    first = ApiToken.objects.get(pk=token.pk).revoked_at

    assert api_token_revoke(ctx=ctx_for(alice), token=token) is False

    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
    assert AccessLogEntry.objects.filter(action="api_token.revoked").count() == 1


def test_an_administrator_revokes_someone_elses_token(alice, dana):
    raw = api_token_create(user=alice)
    api_token_revoke(ctx=ctx_for(dana), token=ApiToken.objects.get(user=alice))
    assert api_token_user(raw=raw) is None
    assert ApiToken.objects.get(user=alice).revoked_reason == TokenRevocation.ADMINISTRATOR


@pytest.mark.parametrize("persona", ["bob", "charlie"])
def test_a_colleague_or_another_municipality_cannot_revoke(request, alice, persona):
    raw = api_token_create(user=alice)
    with pytest.raises(PermissionDenied):
        api_token_revoke(ctx=ctx_for(request.getfixturevalue(persona)), token=ApiToken.objects.get(user=alice))
    assert api_token_user(raw=raw) == alice


def test_the_command_line_revokes_all_of_a_users_tokens(alice, bob):
    alices = [api_token_create(user=alice) for _ in range(2)]
    bobs = api_token_create(user=bob)

    assert api_token_revoke_all(ctx=system_context(SystemActor.COMMAND_LINE), user=alice) == 2

    assert all(api_token_user(raw=raw) is None for raw in alices)
    assert api_token_user(raw=bobs) == bob
    entry = AccessLogEntry.objects.get(action="api_token.revoked")
    assert entry.detail["reason"] == "command_line"
    assert len(entry.detail["tokens"]) == 2


def test_a_revoked_token_must_say_why(alice):
    api_token_create(user=alice)

    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.filter(user=alice).update(revoked_at=timezone.now())


# --- Reading ---------------------------------------------------------------------------------------


def test_a_user_lists_only_their_own_tokens_and_an_administrator_anyones(alice, charlie, dana):
    api_token_create(user=alice)
    api_token_create(user=charlie)
    assert [t.user for t in selectors.api_token_list(viewer=alice, owner=alice)] == [alice]
    assert [t.user for t in selectors.api_token_list(viewer=dana, owner=charlie)] == [charlie]
    with pytest.raises(PermissionDenied):
        selectors.api_token_list(viewer=alice, owner=charlie)


def test_another_users_token_id_is_not_found(alice, charlie):
    api_token_create(user=charlie)
    token = ApiToken.objects.get(user=charlie)
    with pytest.raises(NotFound):
        selectors.api_token_get(viewer=alice, token_id=token.pk)
    with pytest.raises(NotFound):
        selectors.api_token_get(viewer=charlie, token_id=token.pk, owner=alice)
    assert selectors.api_token_get(viewer=charlie, token_id=token.pk) == token
