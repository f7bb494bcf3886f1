"""The table access_unitperson and its triggers (access/unit_persons.py): the own-unit basis
kept per (unit, person), so the list of everyone at a unit counts one index range."""

from django.db import migrations


def create(apps, schema_editor):
    from vagval.access import unit_persons

    for statement in unit_persons.create_statements(schema_editor.connection):
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    from vagval.access import unit_persons

    for statement in unit_persons.drop_statements(schema_editor.connection):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0009_person_protected_index"),
        ("targetgroup", "0004_episode_unit_person_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
