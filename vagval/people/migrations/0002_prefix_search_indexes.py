"""Indexes that let prefix search (LIKE 'abc%') use an index on both databases.

Django's `startswith` becomes LIKE. PostgreSQL uses a btree index for it only with a
pattern operator class (unless the database collation is C); SQLite's LIKE is
case-insensitive, so it uses an index only when that index is COLLATE NOCASE.
"""

from django.db import migrations

COLUMNS = ("first_name_key", "last_name_key", "id_number")


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for column in COLUMNS:
        name = f"people_person_{column}_prefix"
        if vendor == "postgresql":
            schema_editor.execute(f"CREATE INDEX {name} ON people_person ({column} varchar_pattern_ops)")
        elif vendor == "sqlite":
            schema_editor.execute(f"CREATE INDEX {name} ON people_person ({column} COLLATE NOCASE)")


def drop(apps, schema_editor):
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS people_person_{column}_prefix")


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
