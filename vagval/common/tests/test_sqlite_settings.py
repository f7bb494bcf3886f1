"""Every SQLite connection runs with the settings' pragmas (the reports' page cache and in-memory
sorting), not SQLite's defaults, and maps its file into memory only while a report reads. Checked
on a connection to a database file made with the project's connection settings (the test database
lives in memory, which has no memory map and no write-ahead log)."""

import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

from vagval.common import db_routing
from vagval.common.db_routing import reporting_reads

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's connection settings")

# How SQLite reads each pragma back: journal_mode in lower case, synchronous and temp_store as numbers.
READ_BACK = {"journal_mode": "wal", "synchronous": 1, "temp_store": 2}


@pytest.fixture
def file_connection(tmp_path, django_db_blocker):
    wrapper = DatabaseWrapper({**connection.settings_dict, "NAME": str(tmp_path / "pragmas.sqlite3")})
    with django_db_blocker.unblock():  # a database of its own, outside the test database
        yield wrapper
        wrapper.close()


@pytest.mark.parametrize("name", list(settings.SQLITE_PRAGMAS))
def test_each_pragma_is_in_force_on_a_new_connection(file_connection, name):
    with file_connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        (value,) = cursor.fetchone()
    assert value == READ_BACK.get(name, settings.SQLITE_PRAGMAS[name])


def test_the_report_settings_are_larger_than_sqlites_defaults():
    pragmas: dict[str, int | str] = settings.SQLITE_PRAGMAS
    assert int(pragmas["cache_size"]) < -2000  # negative: KiB; the default is 2,000 KiB
    assert settings.SQLITE_REPORT_MMAP_SIZE > 0
    assert pragmas["temp_store"] == "MEMORY"


def _mapped(wrapper):
    (size,) = wrapper.connection.execute("PRAGMA mmap_size").fetchone()
    return size


def test_a_report_maps_the_file_while_it_reads(file_connection, monkeypatch):
    monkeypatch.setattr(db_routing, "connections", {db_routing.PRIMARY: file_connection})
    file_connection.ensure_connection()
    with reporting_reads():
        assert _mapped(file_connection) == settings.SQLITE_REPORT_MMAP_SIZE
        with reporting_reads():
            pass
        assert _mapped(file_connection) == settings.SQLITE_REPORT_MMAP_SIZE  # the inner block left it
    assert _mapped(file_connection) == settings.SQLITE_PRAGMAS["mmap_size"] == 0


def test_a_report_opens_no_connection_and_leaves_one_closed_inside_it_closed(file_connection, monkeypatch):
    monkeypatch.setattr(db_routing, "connections", {db_routing.PRIMARY: file_connection})
    with reporting_reads():
        assert file_connection.connection is None
        file_connection.ensure_connection()  # opened with the settings' map
        assert _mapped(file_connection) == 0
    file_connection.ensure_connection()
    with reporting_reads():
        file_connection.close()
    assert file_connection.connection is None


def test_sqlite_keeps_its_connections_between_requests():
    # One per request cost the national load its margin (docs/ARCHITECTURE.md, "The database connection").
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
