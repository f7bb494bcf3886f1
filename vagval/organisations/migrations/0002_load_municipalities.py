"""Load Sweden's 290 municipalities (SCB codes) from the bundled reference file."""

import csv
from pathlib import Path

from django.db import migrations

REFERENCE = Path(__file__).resolve().parents[2] / "reference" / "kommuner.csv"


def load(apps, schema_editor):
    Municipality = apps.get_model("organisations", "Municipality")
    with REFERENCE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    Municipality.objects.bulk_create(
        [Municipality(code=r["kommunkod"], name=r["kommun"], county_code=r["lanskod"], county=r["lan"]) for r in rows],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
