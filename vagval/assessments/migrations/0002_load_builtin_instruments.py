"""Load the built-in instruments (instruments/<slug>/v<N>.json) so that a new database has them.

Later changes to the files are loaded with `manage.py load_instruments`, which also refuses to
change a version that has answers. This migration only adds versions that are missing.
"""

import hashlib
import json
import re
from pathlib import Path

from django.db import migrations
from django.utils import timezone

INSTRUMENTS = Path(__file__).resolve().parents[1] / "instruments"
FILE_NAME = re.compile(r"^v(\d{1,4})\.json$")


def load(apps, schema_editor):
    Instrument = apps.get_model("assessments", "Instrument")
    InstrumentVersion = apps.get_model("assessments", "InstrumentVersion")
    for folder in sorted(p for p in INSTRUMENTS.iterdir() if p.is_dir()):
        files = sorted((int(m.group(1)), p) for p in folder.iterdir() if (m := FILE_NAME.match(p.name)))
        for number, path in files:
            data = json.loads(path.read_text(encoding="utf-8"))
            canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            instrument, _created = Instrument.objects.get_or_create(
                slug=data["slug"], defaults={"title": data["title"], "sensitive": data["sensitive"]}
            )
            version, _created = InstrumentVersion.objects.get_or_create(
                instrument=instrument,
                number=number,
                defaults={
                    "definition": data,
                    "checksum": hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
                    "source": "fil",
                    "loaded_at": timezone.now(),
                },
            )
            instrument.current_version = version
            instrument.title = data["title"]
            instrument.save(update_fields=["current_version", "title"])


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
