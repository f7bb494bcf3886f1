"""`vagval api-token`: create (the token alone on standard output), list, revoke by id, revoke all.
The command acts as the system actor "kommandorad", which the access log names."""

from __future__ import annotations

import io
import uuid

from django.utils import timezone

from vagval.accounts.models import ApiToken, TokenRevocation
from vagval.accounts.services import api_token_user
from vagval.accounts.tests.factories import api_token_create
from vagval.audit.models import AccessLogEntry
from vagval.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_creating_prints_only_the_token_and_tells_when_it_expires(alice):
    code, out, err = run("api-token", "alice", "--name", "integration")

    assert code == 0
    raw = out.strip()
    assert "\n" not in raw
    assert api_token_user(raw=raw) == alice
    token = ApiToken.objects.get(user=alice)
    assert f"id {token.pk}" in err
    assert f"går ut {timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}" in err
    entry = AccessLogEntry.objects.get(action="api_token.created")
    assert entry.username == "system:kommandorad"
    assert raw not in str(entry.detail)


def test_list_shows_ids_expiry_and_status_but_never_the_token(alice):
    raw = api_token_create(user=alice, name="lönesystem")
    old = api_token_create(user=alice, name="gammal")
    run("api-token", "--revoke", str(ApiToken.objects.get(name="gammal").pk))

    code, out, _err = run("api-token", "alice", "--list")

    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    working = next(line for line in lines if "lönesystem" in line)
    assert str(ApiToken.objects.get(name="lönesystem").pk) in working
    assert "går ut" in working
    assert "gäller" in working
    assert "återkallad" in next(line for line in lines if "gammal" in line)
    assert raw not in out
    assert old not in out


def test_revoke_by_id_ends_that_token_only(alice):
    keep = api_token_create(user=alice, name="behåll")
    gone = api_token_create(user=alice, name="bort")
    token = ApiToken.objects.get(name="bort")

    code, out, _err = run("api-token", "--revoke", str(token.pk))

    assert code == 0
    assert str(token.pk) in out
    assert api_token_user(raw=gone) is None
    assert api_token_user(raw=keep) == alice
    token.refresh_from_db()
    assert token.revoked_reason == TokenRevocation.COMMAND_LINE
    entry = AccessLogEntry.objects.get(action="api_token.revoked")
    assert entry.username == "system:kommandorad"
    assert entry.detail["tokens"] == [str(token.pk)]


def test_revoke_with_a_user_name_must_match_the_tokens_owner(alice, bob):
    api_token_create(user=alice)
    token = ApiToken.objects.get(user=alice)

    code, _out, err = run("api-token", "bob", "--revoke", str(token.pk))

    assert code == 1
    assert "ingen API-nyckel" in err
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_revoke_refuses_the_raw_token_instead_of_an_id(alice):
    raw = api_token_create(user=alice)

    code, out, err = run("api-token", "--revoke", raw)

    assert code == 2
    assert "id" in err
    assert raw not in err + out
    assert api_token_user(raw=raw) == alice


def test_revoke_an_unknown_id_fails_with_a_message(db):
    code, _out, err = run("api-token", "--revoke", str(uuid.uuid4()))
    assert code == 1
    assert "ingen API-nyckel" in err


def test_revoke_all_ends_every_token_of_the_user(alice, bob):
    alices = [api_token_create(user=alice) for _ in range(3)]
    bobs = api_token_create(user=bob)

    code, out, _err = run("api-token", "alice", "--revoke-all")

    assert code == 0
    assert "3" in out
    assert all(api_token_user(raw=raw) is None for raw in alices)
    assert api_token_user(raw=bobs) == bob


def test_a_user_name_is_needed_except_for_revoke_by_id(db):
    code, _out, err = run("api-token", "--list")
    assert code == 2
    assert "användarnamn" in err
