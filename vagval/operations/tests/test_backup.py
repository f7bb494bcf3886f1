"""`vagval backup` and `vagval restore` on SQLite: a round trip through the command line gives back
every table's rows, the access log unchanged and the uploaded files; a restore over a database
that holds data asks first; a backup never overwrites a file. (PostgreSQL: tests/postgres.)"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from conftest import ctx_for
from vagval.audit.services import access_log_record
from vagval.operations.backup import Summary, differences

ROOT = Path(settings.BASE_DIR).parent
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's round trip; PostgreSQL's is in tests/postgres"
)


def vagval(*args: str, database: Path, media: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(media),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "vagval.settings",
    }
    env.pop("VAGVAL_MODE", None)
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "vagval.cli", *args], env=env, capture_output=True, text=True, check=False, cwd=ROOT
    )


def tables(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as db:
        names = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}  # noqa: S608


def users(database: Path) -> dict[str, str]:
    with sqlite3.connect(database) as db:
        return dict(db.execute("SELECT username, role FROM accounts_user").fetchall())


def access_log(database: Path) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT * FROM audit_accesslogentry ORDER BY id").fetchall()


@pytest.fixture
def installation(transactional_db, django_db_serialized_rollback, alice, alices_person, tmp_path) -> tuple[Path, Path]:
    """A file database with alice, her person and access-log entries, and an uploaded file."""
    for action in ("person.viewed", "person.changed"):
        access_log_record(ctx=ctx_for(alice), action=action, person_id=alices_person.pk)
    database = tmp_path / "vagval.sqlite3"
    with sqlite3.connect(database) as copy:
        connection.ensure_connection()
        connection.connection.backup(copy)
    copy.close()
    media = tmp_path / "media"
    (media / "consents").mkdir(parents=True)
    (media / "consents" / "blankett.pdf").write_bytes(b"%PDF-1.4 samtycke")
    return database, media


@sqlite_only
def test_a_backup_restores_every_row_the_access_log_and_the_files_on_a_new_machine(installation, tmp_path):
    database, media = installation
    before_tables, before_log, before_users = tables(database), access_log(database), users(database)
    backup_file = tmp_path / "vagval-backup.tar"

    made = vagval("backup", str(backup_file), database=database, media=media)
    assert made.returncode == 0, made.stderr
    assert f"Säkerhetskopian {backup_file}" in made.stdout

    new_database, new_media = tmp_path / "ny" / "vagval.sqlite3", tmp_path / "ny" / "media"
    new_database.parent.mkdir()
    restored = vagval("restore", str(backup_file), database=new_database, media=new_media)
    assert restored.returncode == 0, restored.stderr
    assert "åtkomstloggens kontrollsumma stämmer med kopian" in restored.stdout

    after = tables(new_database)
    after["audit_accesslogentry"] -= 1  # the restore's own entry, written after its check
    # The restore names its command-line actor in that entry: a system user, added if missing.
    added_users = users(new_database).items() - before_users.items()
    assert {role for _, role in added_users} <= {"system"}
    assert after.pop("accounts_user") - before_tables.pop("accounts_user") == len(added_users)
    assert after == before_tables
    assert access_log(new_database)[: len(before_log)] == before_log
    assert (new_media / "consents" / "blankett.pdf").read_bytes() == b"%PDF-1.4 samtycke"


@sqlite_only
def test_a_restore_over_a_database_with_data_asks_first_and_changes_nothing(installation, tmp_path):
    database, media = installation
    backup_file = tmp_path / "kopia.tar"
    assert vagval("backup", str(backup_file), database=database, media=media).returncode == 0
    log_before = access_log(database)

    refused = vagval("restore", str(backup_file), database=database, media=media)
    assert refused.returncode == 2
    assert "--bekrafta" in refused.stderr
    assert access_log(database) == log_before

    confirmed = vagval("restore", str(backup_file), "--bekrafta", database=database, media=media)
    assert confirmed.returncode == 0, confirmed.stderr


@sqlite_only
def test_a_backup_never_overwrites_a_file_and_a_restore_refuses_what_is_not_a_backup(installation, tmp_path):
    database, media = installation
    existing = tmp_path / "finns.tar"
    existing.write_bytes(b"annat")
    refused = vagval("backup", str(existing), database=database, media=media)
    assert refused.returncode == 1
    assert "skrivs aldrig över" in refused.stderr
    assert existing.read_bytes() == b"annat"

    not_a_backup = vagval("restore", str(existing), "--bekrafta", database=database, media=media)
    assert not_a_backup.returncode == 1
    assert "ingen säkerhetskopia från Vägval" in not_a_backup.stderr
    assert "Traceback" not in not_a_backup.stderr


def test_differences_name_each_table_that_does_not_match_and_the_access_log():
    manifest = {"tables": {"a": 1, "b": 2}, "access_log_checksum": "x"}
    assert differences(manifest, Summary(tables={"a": 1, "b": 2}, access_log_checksum="x")) == []
    found = differences(manifest, Summary(tables={"a": 1, "b": 3, "c": 1}, access_log_checksum="y"))
    assert found == [
        "b: 2 rader i kopian, 3 nu",
        "c: None rader i kopian, 1 nu",
        "åtkomstloggens kontrollsumma skiljer sig",
    ]
