"""The prefix-search indexes of migration 0002, once on each database.

PostgreSQL had each of them twice: `db_index=True` on a CharField already makes Django create
`people_person_<column>_<hash>_like` (`varchar_pattern_ops`), and 0002 added
`people_person_<column>_prefix` with the same definition. Two identical indexes cost every insert
and update twice and the planner uses one of them; the `_like` ones stay, since Django keeps them
in step with the field (0002's are invisible to it).

SQLite had lost them: 0005 altered people_person, which SQLite does by rebuilding the table, and a
rebuild keeps only the indexes Django knows of. Its LIKE can use only a `COLLATE NOCASE` index
(Django's own index is BINARY, the one equality and ORDER BY use), so they are made again here.
people/tests/test_search_indexes.py fails if a later migration loses them again.
"""

from django.db import migrations

COLUMNS = ("first_name_key", "last_name_key", "id_number")


def _name(column: str) -> str:
    return f"people_person_{column}_prefix"


def once(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for column in COLUMNS:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {_name(column)}")
        elif vendor == "sqlite":
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {_name(column)} ON people_person ({column} COLLATE NOCASE)")


def as_before(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for column in COLUMNS:
        if vendor == "postgresql":
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {_name(column)} ON people_person ({column} varchar_pattern_ops)"
            )
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP INDEX IF EXISTS {_name(column)}")


class Migration(migrations.Migration):
    dependencies = [("people", "0005_person_held_by_unit")]
    operations = [migrations.RunPython(once, as_before)]
