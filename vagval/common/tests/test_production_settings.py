"""vagval/settings.py read afresh with a given environment, the way a server process starts."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

import vagval

SETTINGS_FILE = Path(vagval.__file__).parent / "settings.py"
PRODUCTION_ENV = {
    "VAGVAL_MODE": "production",
    "SECRET_KEY": "a-production-secret-for-this-test",
    "DATABASE_URL": "postgres://vagval:hemligt@db.example:5432/vagval",
}
# Settings read from the environment that a test must not inherit from the machine running it.
CLEARED = [
    "DEBUG",
    "TRUSTED_PROXIES",
    "API_TOKEN_DAYS",
    "VAGVAL_MODE",
    "SECRET_KEY",
    "DATABASE_URL",
    "DB_PGBOUNCER",
    "DB_JIT",
    "REPLICA_DATABASE_URL",
]


def load_settings(monkeypatch: pytest.MonkeyPatch, **environment: str) -> dict[str, Any]:
    for name in CLEARED:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"{name}_FILE", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_production_refuses_debug_with_a_clear_message(monkeypatch):
    with pytest.raises(ImproperlyConfigured) as excinfo:
        load_settings(monkeypatch, **PRODUCTION_ENV, DEBUG="true")

    message = str(excinfo.value)
    assert "DEBUG must be off in production" in message
    assert "VAGVAL_MODE=production" in message


@pytest.mark.parametrize("value", ["1", "yes", "on", "TRUE"])
def test_production_refuses_every_spelling_of_debug_on(monkeypatch, value):
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be off"):
        load_settings(monkeypatch, **PRODUCTION_ENV, DEBUG=value)


@pytest.mark.parametrize("value", [None, "", "false", "0"])
def test_production_starts_with_debug_off(monkeypatch, value):
    environment = dict(PRODUCTION_ENV)
    if value is not None:
        environment["DEBUG"] = value

    settings = load_settings(monkeypatch, **environment)

    assert settings["PRODUCTION"] is True
    assert settings["DEBUG"] is False


def test_demo_mode_may_debug(monkeypatch):
    settings = load_settings(monkeypatch, DEBUG="true")

    assert settings["PRODUCTION"] is False
    assert settings["DEBUG"] is True


def test_trusted_proxies_are_read_as_addresses_and_networks(monkeypatch):
    settings = load_settings(monkeypatch, TRUSTED_PROXIES=" 10.0.0.5, 192.168.10.0/24 ,fd00::/8")
    assert settings["TRUSTED_PROXIES"] == ["10.0.0.5", "192.168.10.0/24", "fd00::/8"]
    assert settings["AXES_CLIENT_IP_CALLABLE"] == "vagval.common.request.client_address"


def test_trusted_proxies_default_to_none(monkeypatch):
    assert load_settings(monkeypatch)["TRUSTED_PROXIES"] == []


def test_a_bad_trusted_proxy_fails_loudly(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match=r"TRUSTED_PROXIES: 'proxy\.example' is not an IP address"):
        load_settings(monkeypatch, TRUSTED_PROXIES="10.0.0.5,proxy.example")


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_api_token_days_must_be_a_sensible_number(monkeypatch, value):
    with pytest.raises(ImproperlyConfigured, match="API_TOKEN_DAYS"):
        load_settings(monkeypatch, API_TOKEN_DAYS=value)


def test_api_token_days_comes_from_the_environment(monkeypatch):
    assert load_settings(monkeypatch, API_TOKEN_DAYS="30")["API_TOKEN_DAYS"] == 30
    assert load_settings(monkeypatch)["API_TOKEN_DAYS"] == 90


def test_behind_pgbouncer_prepared_statements_and_server_side_cursors_are_off(monkeypatch):
    settings = load_settings(monkeypatch, **PRODUCTION_ENV, DB_PGBOUNCER="true")
    database = settings["DATABASES"]["default"]
    assert database["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert database["OPTIONS"]["prepare_threshold"] is None


def test_without_pgbouncer_postgresql_keeps_its_defaults(monkeypatch):
    database = load_settings(monkeypatch, **PRODUCTION_ENV)["DATABASES"]["default"]
    assert database.get("DISABLE_SERVER_SIDE_CURSORS", False) is False
    assert "prepare_threshold" not in database.get("OPTIONS", {})


def test_postgresql_connections_run_without_jit(monkeypatch):
    replica = "postgres://vagval:hemligt@replica.example:5432/vagval"
    databases = load_settings(monkeypatch, **PRODUCTION_ENV, REPLICA_DATABASE_URL=replica)["DATABASES"]
    assert databases["default"]["OPTIONS"]["options"] == "-c jit=off"
    assert databases["replica"]["OPTIONS"]["options"] == "-c jit=off"


def test_jit_can_be_turned_back_on(monkeypatch):
    database = load_settings(monkeypatch, **PRODUCTION_ENV, DB_JIT="true")["DATABASES"]["default"]
    assert "options" not in database.get("OPTIONS", {})


def test_behind_pgbouncer_jit_is_left_to_the_database_role(monkeypatch):
    # PgBouncer refuses a connection that sends startup options.
    database = load_settings(monkeypatch, **PRODUCTION_ENV, DB_PGBOUNCER="true")["DATABASES"]["default"]
    assert "options" not in database["OPTIONS"]


def test_sqlite_gets_no_postgresql_options(monkeypatch):
    database = load_settings(monkeypatch, DATABASE_URL="sqlite:////tmp/vagval-test.sqlite3")["DATABASES"]["default"]
    assert "options" not in database["OPTIONS"]
