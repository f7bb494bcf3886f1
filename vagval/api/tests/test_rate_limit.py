"""API requests are limited per token and minute: 429 with Retry-After (issue 14)."""

import datetime as dt

import pytest
from django.utils import timezone

from vagval.accounts.models import ApiToken
from vagval.accounts.tests.factories import api_token_create
from vagval.api.tests.helpers import API

MOMENT = dt.datetime(2026, 12, 6, 9, 30, 45, tzinfo=dt.UTC)


@pytest.fixture
def at(monkeypatch):
    """A controllable clock for the limit's minute."""
    clock = {"now": MOMENT}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    return clock


def _get(client, token):
    return client.get(API + "/persons", headers={"Authorization": f"Bearer {token}"})


def test_a_token_over_its_limit_gets_429_with_retry_after(client, alice, settings, at):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    token = api_token_create(user=alice, name="system")
    assert [_get(client, token).status_code for _ in range(3)] == [200, 200, 200]
    refused = _get(client, token)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "15"  # 45 s into the minute
    assert "Försök igen om 15 sekunder" in refused.json()["detail"]


def test_the_next_minute_starts_again(client, alice, settings, at):
    settings.API_RATE_LIMIT_PER_MINUTE = 1
    token = api_token_create(user=alice, name="system")
    assert _get(client, token).status_code == 200
    assert _get(client, token).status_code == 429
    at["now"] = MOMENT + dt.timedelta(seconds=20)
    assert _get(client, token).status_code == 200
    assert ApiToken.objects.get(name="system").rate_count == 1


def test_each_token_has_its_own_count(client, alice, bob, settings, at):
    settings.API_RATE_LIMIT_PER_MINUTE = 1
    first, second = api_token_create(user=alice, name="a"), api_token_create(user=bob, name="b")
    assert _get(client, first).status_code == 200
    assert _get(client, first).status_code == 429
    assert _get(client, second).status_code == 200


def test_an_unknown_token_is_401_not_counted(client, settings, db):
    settings.API_RATE_LIMIT_PER_MINUTE = 1
    for _ in range(3):
        assert _get(client, "vv_okand").status_code == 401
