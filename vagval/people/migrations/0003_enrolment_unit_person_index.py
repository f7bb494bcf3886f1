"""An index on enrolment (unit, person): the unit's persons read from the index alone.

visible_persons starts from `person_id IN (SELECT person_id FROM enrolment WHERE unit_id = …)`
for lists, counts and name search. With this index that subquery is an index-only range
scan instead of a lookup of every enrolment row. Plain SQL (as in 0002) so that the model
state stays as it is; IF NOT EXISTS because benchmark databases may have it already.

SQLite plans with the statistics that ANALYZE stores (the demo generator runs it after a
bulk load); when a database has them, they are refreshed for the table so that the planner
knows the new index too. PostgreSQL keeps its statistics itself (autovacuum).
"""

from django.db import migrations

INDEX = "people_enrolment_unit_person"


def create(apps, schema_editor):
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_enrolment (unit_id, person_id)")
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone():
                cursor.execute("ANALYZE people_enrolment")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_prefix_search_indexes")]
    operations = [migrations.RunPython(create, drop)]
