"""The worklist's school choices, each study entry's person looked up among the open episodes
(EXISTS), are those of the open episodes' persons collected (IN): present entries only, the
unit's own, open episodes only, no empty school, a protected person's school hidden."""

import datetime as dt

from vagval.outreach import selectors
from vagval.outreach.tests.factories import on_list, young_person
from vagval.people.models import Protection
from vagval.registers.models import ImportKind, RegisterImport, StudyEntry
from vagval.targetgroup.models import Episode

OPENED = dt.date(2026, 3, 2)


def _schools_in(viewer, unit_id):
    """worklist_schools as it was written: the open episodes' persons collected (IN)."""
    on_list = Episode.objects.filter(unit_id=unit_id, closed_on__isnull=True).values("person_id")
    return list(
        StudyEntry.objects.filter(selectors._school_shown(viewer), unit_id=unit_id, present=True, person_id__in=on_list)
        .exclude(school_unit="")
        .order_by("school_unit")
        .values_list("school_unit", flat=True)
        .distinct()
    )


def test_the_choices_are_those_of_the_open_episodes_persons(karin, ludvika_kaa_unit, smedjebacken_kaa_unit):
    def batch(unit):
        return RegisterImport.objects.create(
            kind=ImportKind.STUDIES,
            municipality=unit.organisation.municipality,
            unit=unit,
            imported_by=karin,
            reference_date=OPENED,
        )

    here, there = batch(ludvika_kaa_unit), batch(smedjebacken_kaa_unit)
    cases = [
        # (school, present, open here, closed here, open at the other unit, protection, entry's unit)
        ("Väsmanskolan", True, True, False, False, Protection.NONE, here),
        ("Väsmanskolan", True, True, False, False, Protection.NONE, here),  # the same school twice
        ("Ulfshyttan", False, True, False, False, Protection.NONE, here),  # left the snapshot
        ("Stängd", True, False, True, False, Protection.NONE, here),  # closed episode only
        ("Annan enhet", True, False, False, True, Protection.NONE, here),  # open only at the other unit
        ("Grangärde", True, True, False, False, Protection.CONFIDENTIALITY_MARK, here),  # hidden
        ("Fel enhet", True, True, False, False, Protection.NONE, there),  # the other unit's entry
        ("", True, True, False, False, Protection.NONE, here),  # no school
        ("Ärla", True, True, True, False, Protection.NONE, here),
        ("Brunnsvik", True, True, False, True, Protection.NONE, here),
    ]
    for n, (school, present, open_here, closed_here, open_there, protection, entry_batch) in enumerate(cases):
        person = young_person(protection=protection)
        if open_here:
            on_list(ludvika_kaa_unit, person, opened_on=OPENED)
        if closed_here:
            on_list(ludvika_kaa_unit, person, opened_on=OPENED, closed_on=OPENED, target_list="uvas")
        if open_there:
            on_list(smedjebacken_kaa_unit, person, opened_on=OPENED)
        StudyEntry.objects.create(
            unit=entry_batch.unit,
            person=person,
            school_unit=school,
            present=present,
            row_hash=f"h{n}",
            last_import=entry_batch,
        )

    schools = selectors.worklist_schools(viewer=karin, unit_id=ludvika_kaa_unit.pk)
    assert schools == _schools_in(karin, ludvika_kaa_unit.pk)
    assert set(schools) == {"Brunnsvik", "Väsmanskolan", "Ärla"}


def test_a_unit_without_studies_has_no_choices(karin, ludvika_kaa_unit):
    on_list(ludvika_kaa_unit, young_person(), opened_on=OPENED)
    assert selectors.worklist_schools(viewer=karin, unit_id=ludvika_kaa_unit.pk) == []
    assert _schools_in(karin, ludvika_kaa_unit.pk) == []
