"""`vagval backup` and `vagval restore` on PostgreSQL (pg_dump/pg_restore, custom format): a round
trip into a new, empty database gives back every table's rows and the access log unchanged."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from conftest import ctx_for
from vagval.audit.services import access_log_record

ROOT = Path(settings.BASE_DIR).parent
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump/pg_restore need PostgreSQL (run: scripts/with-postgres.sh .venv/bin/pytest)",
)


def _url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _vagval(*args: str, database: str, media: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": _url(database), "MEDIA_ROOT": str(media), "PYTHONPATH": str(ROOT)}
    env["DJANGO_SETTINGS_MODULE"] = "vagval.settings"
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "vagval.cli", *args], env=env, capture_output=True, text=True, check=False, cwd=ROOT
    )


def _counts(database: str) -> tuple[dict[str, int], list[tuple]]:
    with psycopg.connect(_url(database)) as db:
        names = [r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        counts = {n: db.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}  # noqa: S608
        log = db.execute("SELECT id, action, person_id FROM audit_accesslogentry ORDER BY id").fetchall()
    return counts, log


@pytest.fixture
def empty_database():
    name = f"vagval_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_every_row_and_the_access_log_into_a_new_database(
    transactional_db, django_db_serialized_rollback, alice, alices_person, empty_database, tmp_path
):
    access_log_record(ctx=ctx_for(alice), action="person.viewed", person_id=alices_person.pk)
    source = connection.settings_dict["NAME"]
    media = tmp_path / "media"
    (media / "imports").mkdir(parents=True)
    (media / "imports" / "uttag.csv").write_text("personnummer;fornamn\n", encoding="utf-8")
    before_counts, before_log = _counts(source)
    backup_file = tmp_path / "kopia.tar"

    made = _vagval("backup", str(backup_file), database=source, media=media)
    assert made.returncode == 0, made.stderr
    restored = _vagval("restore", str(backup_file), database=empty_database, media=tmp_path / "ny-media")
    assert restored.returncode == 0, restored.stderr
    assert "kontrollsumma stämmer" in restored.stdout

    after_counts, after_log = _counts(empty_database)
    assert after_log[: len(before_log)] == before_log
    assert after_counts["audit_accesslogentry"] == before_counts["audit_accesslogentry"] + 1  # the restore's entry
    changed = {t for t in before_counts if before_counts[t] != after_counts.get(t)}
    # The access log's month partitions are tables of their own in pg_tables: the restore's entry
    # lands in this month's.
    partitions = {t for t in changed if t.startswith("audit_accesslogentry_p")}
    assert changed - partitions <= {"audit_accesslogentry", "accounts_user"}  # plus the command line's actor
    assert (tmp_path / "ny-media" / "imports" / "uttag.csv").exists()
