"""`vagval backup FILE` and `vagval restore FILE`: the whole installation in one file and back.

A backup is a tar file with
- `manifest.json`: format, database vendor, when, the applied migrations, every table's row count
  and a checksum of the access log (what a restore is checked against);
- the database: `database.sqlite3` made with SQLite's online backup API (safe while the app
  runs), or `database.dump` made with `pg_dump --format=custom` on PostgreSQL;
- `media/`: the uploaded files (consent forms, import files), the storage folder as it was
  (FILE_STORAGE=folder, MEDIA_ROOT; an S3 store keeps its own versions and is not copied).

A restore replaces the database and the uploaded files with the backup's, then counts every
table and checksums the access log again: a restore that does not match its manifest says so and
exits non-zero. It refuses to overwrite a database that holds data unless told to (`confirm`).
Identity numbers are never written to the manifest, the output or a file name.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from vagval.accounts.models import Role, User
from vagval.audit.models import AccessLogEntry
from vagval.common.storage import media_folder
from vagval.people.models import Person

FORMAT = "vagval-backup/1"
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
MEDIA_DIR = "media"


class BackupError(Exception):
    """The backup or restore could not be made; the message says why, in Swedish."""


@dataclass(frozen=True)
class Summary:
    tables: dict[str, int]
    access_log_checksum: str

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def table_counts() -> dict[str, int]:
    """Every model table's row count (the base manager: counting is not reading person data)."""
    counts: dict[str, int] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        counts[model._meta.db_table] = model._base_manager.using("default").count()
    counts[MigrationRecorder.Migration._meta.db_table] = MigrationRecorder.Migration.objects.count()
    return dict(sorted(counts.items()))


def access_log_checksum() -> str:
    """SHA-256 over every access-log entry's stored values, in key order."""
    digest = hashlib.sha256()
    fields = [f.attname for f in AccessLogEntry._meta.concrete_fields]
    rows = AccessLogEntry._base_manager.using("default").order_by("pk").values_list(*fields)
    for row in rows.iterator(chunk_size=5000):
        digest.update(json.dumps(row, default=str, ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def summary() -> Summary:
    return Summary(tables=table_counts(), access_log_checksum=access_log_checksum())


# --- the database, per vendor ---------------------------------------------------------------------


def _sqlite_path() -> Path:
    return Path(str(connection.settings_dict["NAME"]))


def _pg_environment() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[name] = str(db[key])
    env["PGDATABASE"] = str(db["NAME"])
    return env


def _pg_program(name: str) -> str:
    """pg_dump/pg_restore from PG_BIN, the PostgreSQL 15 binaries, or the PATH."""
    for folder in (os.environ.get("PG_BIN", ""), "/usr/lib/postgresql/15/bin"):
        candidate = Path(folder) / name
        if folder and candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} finns inte. Installera PostgreSQL-klienten eller sätt PG_BIN.")
    return found


def _run(command: list[str]) -> None:
    result = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} misslyckades: {result.stderr.strip()[:500]}")


def _dump_database(folder: Path) -> str:
    if connection.vendor == "sqlite":
        target = folder / SQLITE_FILE
        source = sqlite3.connect(_sqlite_path())
        try:
            with sqlite3.connect(target) as copy:
                source.backup(copy)
            copy.close()
        finally:
            source.close()
        return SQLITE_FILE
    if connection.vendor == "postgresql":
        _run([_pg_program("pg_dump"), "--format=custom", "--no-owner", "--file", str(folder / PG_FILE)])
        return PG_FILE
    raise BackupError(f"Säkerhetskopiering stöds inte för {connection.vendor}.")


def _load_database(folder: Path, vendor: str) -> None:
    if vendor != connection.vendor:
        raise BackupError(f"Säkerhetskopian är från {vendor}, men databasen här är {connection.vendor}.")
    connections.close_all()
    if vendor == "sqlite":
        source = sqlite3.connect(folder / SQLITE_FILE)
        try:
            with sqlite3.connect(_sqlite_path()) as target:
                source.backup(target)
            target.close()
        finally:
            source.close()
        return
    _run(
        [
            _pg_program("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            str(connection.settings_dict["NAME"]),
            str(folder / PG_FILE),
        ]
    )


# --- backup and restore ---------------------------------------------------------------------------


def backup(target: Path) -> Summary:
    """Write the database and the uploaded files to `target` (a tar file)."""
    if target.exists():
        raise BackupError(f"Filen {target} finns redan. Välj ett nytt namn; en säkerhetskopia skrivs aldrig över.")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        made = summary()
        database_file = _dump_database(folder)
        manifest = {
            "format": FORMAT,
            "vendor": connection.vendor,
            "created_at": timezone.now().isoformat(),
            "database_file": database_file,
            "migrations": sorted(
                f"{app}.{name}" for app, name in MigrationRecorder.Migration.objects.values_list("app", "name")
            ),
            "tables": made.tables,
            "access_log_checksum": made.access_log_checksum,
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        partial = target.with_name(target.name + ".delvis")
        with tarfile.open(partial, "w") as archive:
            archive.add(folder / MANIFEST, arcname=MANIFEST)
            archive.add(folder / database_file, arcname=database_file)
            # The files' folder (FILE_STORAGE=folder); an S3 store is backed up by its own
            # versioning, not copied here (README, "Backup and restore").
            media = media_folder(default_storage)
            if media is not None and media.is_dir():
                archive.add(media, arcname=MEDIA_DIR)
        partial.replace(target)  # a half-written backup never carries the final name
    return made


def read_manifest(source: Path) -> dict:
    try:
        with tarfile.open(source) as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest = json.loads(member.read().decode("utf-8"))
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupError(f"{source} är ingen säkerhetskopia från Vägval ({exc}).") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source} har ett okänt format: {manifest.get('format')!r}.")
    return manifest


def holds_data() -> bool:
    """Whether the database holds anyone's work: staff accounts, persons or access-log entries.
    A database without Vägval's tables (a new machine, before `migrate`) holds nothing."""
    try:
        return (
            User._base_manager.exclude(role=Role.SYSTEM).exists()
            or Person._base_manager.exists()
            or AccessLogEntry._base_manager.exists()
        )
    except DatabaseError:
        return False


def restore(source: Path, *, confirm: bool) -> tuple[dict, Summary]:
    """Replace the database and the uploaded files with the backup's; check the result."""
    manifest = read_manifest(source)
    if holds_data() and not confirm:
        raise BackupError(
            "Databasen innehåller redan data, som ersätts helt av säkerhetskopian. "
            "Kör igen med --bekrafta om det är det du vill."
        )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with tarfile.open(source) as archive:
            archive.extractall(folder, filter="data")
        _load_database(folder, manifest["vendor"])
        media = media_folder(default_storage)
        if media is not None:
            if media.exists():
                shutil.rmtree(media)
            if (folder / MEDIA_DIR).is_dir():
                shutil.copytree(folder / MEDIA_DIR, media)
    return manifest, summary()


def differences(manifest: dict, restored: Summary) -> list[str]:
    """What does not match the backup's manifest (empty when the restore is complete)."""
    problems = [
        f"{table}: {manifest['tables'].get(table)} rader i kopian, {restored.tables.get(table)} nu"
        for table in sorted(set(manifest["tables"]) | set(restored.tables))
        if manifest["tables"].get(table) != restored.tables.get(table)
    ]
    if manifest["access_log_checksum"] != restored.access_log_checksum:
        problems.append("åtkomstloggens kontrollsumma skiljer sig")
    return problems
