"""The report's figures computed in the database are the figures the per-row counting gave.

`mixed_world_report.json` was written by the report as it counted before (every enrolment and
follow-up read into Python), over tests/mixed_world.py; the set-based sections must show exactly
the same tables, small cells ("<5") and withheld shares included.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vagval.reporting.selectors import build_report
from vagval.reporting.tests import mixed_world

SNAPSHOT = Path(__file__).with_name("mixed_world_report.json")


@pytest.fixture
def mixed_report(project, ludvika_unit, smedjebacken_unit, af_unit, alice):
    mixed_world.build(project=project, units=[ludvika_unit, smedjebacken_unit, af_unit], recorder=alice)
    return build_report(project=project, start=mixed_world.START, end=mixed_world.END, today=mixed_world.TODAY)


def test_every_table_of_the_mixed_project_is_what_the_per_row_counting_showed(mixed_report):
    shown = mixed_world.snapshot(mixed_report)
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    for section, before in zip(shown, expected, strict=True):
        assert section == before, section["key"]


def test_the_mixed_project_has_small_cells_protected_persons_and_re_entry(mixed_report, project):
    from vagval.followup.models import Exit
    from vagval.people.models import Person, Protection

    text = json.dumps(mixed_world.snapshot(mixed_report))
    assert "<5" in text
    assert Person.objects.filter(protection=Protection.PROTECTED_REGISTRATION).exists()
    assert Exit.objects.filter(enrolment__project=project, superseded_on__isnull=False).exists()
    assert Person.objects.filter(merged_into__isnull=False).exists()
