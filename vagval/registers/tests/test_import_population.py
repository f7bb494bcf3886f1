"""A population extract upserts persons and the unit's population snapshot."""

from __future__ import annotations

import datetime as dt

import pytest

from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.people.models import IdentityType, Person, PersonChange, Protection
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory, make_personnummer
from vagval.registers.importing.samples import POPULATION_HEADER
from vagval.registers.models import ImportStatus, PopulationEntry
from vagval.registers.tests.factories import (
    REFERENCE_DATE,
    number,
    population_file,
    population_row,
    run_import,
    study_file,
    study_row,
)
from vagval.targetgroup.models import Episode
from vagval.targetgroup.services import RefreshSummary

pytestmark = pytest.mark.django_db


def test_it_creates_persons_and_entries_from_a_population_extract(karin, ludvika_kaa_unit):
    imp = run_import(karin, "befolkning", population_file([population_row(1), population_row(2)]))

    assert imp.status == ImportStatus.DONE, imp.error
    assert (imp.rows_read, imp.rows_accepted, imp.rows_rejected) == (2, 2, 0)
    assert (imp.persons_new, imp.persons_changed, imp.persons_left) == (2, 0, 0)
    person = Person.objects.get(id_number=number(1))
    assert person.first_name == "Förnamn1"
    assert person.first_name_key == "förnamn1"
    assert person.id_type == IdentityType.PERSONNUMMER
    assert person.birth_date is not None
    assert person.home_municipality is not None
    assert person.home_municipality.code == "2085"
    assert person.protection == Protection.NONE
    entry = PopulationEntry.objects.get(person=person)
    assert entry.unit == ludvika_kaa_unit
    assert entry.present
    assert entry.first_import == imp
    assert imp.reference_date == REFERENCE_DATE


def _state() -> list[tuple[object, ...]]:
    persons = list(
        Person.objects.order_by("id_number").values_list(
            "id_number", "first_name", "last_name", "address", "protection", "phone", "email", "updated_at"
        )
    )
    entries = list(
        PopulationEntry.objects.order_by("person__id_number").values_list(
            "person__id_number", "row_hash", "present", "left_on", "last_import", "updated_at"
        )
    )
    return persons + entries


def test_importing_the_same_snapshot_twice_changes_nothing(karin):
    content = population_file([population_row(i) for i in range(5)])
    run_import(karin, "befolkning", content)
    before = _state()
    logged = AccessLogEntry.objects.count()

    again = run_import(karin, "befolkning", content)

    assert again.status == ImportStatus.DONE
    assert (again.persons_new, again.persons_changed, again.persons_left) == (0, 0, 0)
    assert _state() == before
    assert Person.objects.count() == 5
    assert PopulationEntry.objects.count() == 5
    assert AccessLogEntry.objects.count() == logged


def test_a_person_missing_from_a_new_snapshot_has_left_and_is_kept(karin):
    run_import(karin, "befolkning", population_file([population_row(1), population_row(2)]))
    later = REFERENCE_DATE + dt.timedelta(days=30)

    imp = run_import(
        karin, "befolkning", population_file([population_row(1)]), reference_date=later, confirm_leaving=True
    )

    assert imp.persons_left == 1
    entry = PopulationEntry.objects.get(person__id_number=number(2))
    assert not entry.present
    assert entry.left_on == later
    assert Person.objects.filter(id_number=number(2)).exists()


def test_a_person_who_comes_back_is_present_again(karin):
    run_import(karin, "befolkning", population_file([population_row(1), population_row(2)]))
    run_import(karin, "befolkning", population_file([population_row(1)]), confirm_leaving=True)

    imp = run_import(karin, "befolkning", population_file([population_row(1), population_row(2)]))

    assert (imp.persons_new, imp.persons_changed, imp.persons_left) == (0, 1, 0)
    entry = PopulationEntry.objects.get(person__id_number=number(2))
    assert entry.present
    assert entry.left_on is None
    assert PopulationEntry.objects.filter(person__id_number=number(2)).count() == 1


def test_a_changed_row_updates_the_person_from_the_register(karin):
    run_import(karin, "befolkning", population_file([population_row(1)]))

    imp = run_import(karin, "befolkning", population_file([population_row(1, adress="Ny väg 1", telefon="0701234567")]))

    assert imp.persons_changed == 1
    person = Person.objects.get(id_number=number(1))
    assert person.address == "Ny väg 1"
    assert person.phone
    change = PersonChange.objects.filter(person=person, kind="changed").get()
    assert "adress" in change.fields


def test_empty_phone_and_email_never_erase_what_is_known(karin):
    run_import(karin, "befolkning", population_file([population_row(1, telefon="0701234567", epost="a@example.se")]))

    run_import(karin, "befolkning", population_file([population_row(1, adress="Ny väg 2")]))

    person = Person.objects.get(id_number=number(1))
    assert person.phone
    assert person.email == "a@example.se"
    assert person.address == "Ny väg 2"


def test_skyddad_raises_protection_and_never_lowers_it(karin):
    run_import(karin, "befolkning", population_file([population_row(1, skyddad="J"), population_row(2)]))
    assert Person.objects.get(id_number=number(1)).protection == Protection.CONFIDENTIALITY_MARK
    Person.objects.filter(id_number=number(2)).update(protection=Protection.PROTECTED_REGISTRATION)

    run_import(karin, "befolkning", population_file([population_row(1, skyddad="N"), population_row(2, skyddad="J")]))

    assert Person.objects.get(id_number=number(1)).protection == Protection.CONFIDENTIALITY_MARK
    assert Person.objects.get(id_number=number(2)).protection == Protection.PROTECTED_REGISTRATION


def test_a_row_of_another_municipality_is_rejected_with_a_reason(karin):
    imp = run_import(karin, "befolkning", population_file([population_row(1), population_row(2, kommunkod="2061")]))

    assert (imp.rows_accepted, imp.rows_rejected) == (1, 1)
    assert not Person.objects.filter(id_number=number(2)).exists()
    text = imp.rejected_file.read().decode("utf-8-sig")
    assert "2061" in text
    assert "inte i 2085" in text


def test_the_rejected_rows_file_has_the_rows_and_a_fel_column(karin):
    bad = population_row(3, personnummer=number(3)[:-1] + str((int(number(3)[-1]) + 1) % 10))
    imp = run_import(karin, "befolkning", population_file([population_row(1), bad, population_row(1)]), name="jan.csv")

    assert (imp.rows_read, imp.rows_accepted, imp.rows_rejected) == (3, 1, 2)
    assert imp.rejected_file.name.endswith(f"{imp.pk}.fel.csv")
    lines = imp.rejected_file.read().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("fel;personnummer")
    assert "kontrollsiffra" in lines[1]
    assert "finns redan på rad 2" in lines[2]
    assert len(lines) == 3


def test_every_created_or_changed_person_gets_one_access_log_entry(karin):
    imp = run_import(karin, "befolkning", population_file([population_row(1), population_row(2)]))
    run_import(karin, "befolkning", population_file([population_row(1, adress="Ny väg 3")]), confirm_leaving=True)

    entries = AccessLogEntry.objects.filter(action="register.imported")
    assert entries.count() == 2 + 2  # two created; then one changed and one left
    first = entries.filter(detail__import=str(imp.pk))
    assert {e.person_id for e in first} == set(Person.objects.values_list("pk", flat=True))
    assert all(e.basis == AccessBasis.OWN_UNIT and e.username == "karin" for e in entries)


def test_a_replaced_samordningsnummer_becomes_the_personnummer(karin):
    old = number(7, coordination=True)
    run_import(karin, "befolkning", population_file([population_row(7, personnummer=old)]))
    person = Person.objects.get(id_number=old)

    header = (*POPULATION_HEADER, "tidigare_nummer")
    run_import(karin, "befolkning", population_file([[*population_row(7), old]], header=header))

    person.refresh_from_db()
    assert person.id_number == number(7)
    assert person.id_type == IdentityType.PERSONNUMMER
    assert Person.objects.count() == 1
    assert PopulationEntry.objects.get().person == person


def test_tidigare_nummer_merges_two_persons_keeping_history(karin, ludvika_kaa_unit):
    old, new = number(8, coordination=True), number(8)
    run_import(karin, "befolkning", population_file([population_row(8, personnummer=old)]))
    # The first studies extract computes the lists: a drop-out from GY is on the KAA list.
    dropped_out = study_row(8, personnummer=old, status="avbrott", slutdatum="2025-03-01")
    run_import(karin, "studier", study_file([dropped_out]))
    source = Person.objects.get(id_number=old)
    target = PersonFactory(id_number=new, id_type=IdentityType.PERSONNUMMER, unit=ludvika_kaa_unit)
    # The import's target-group refresh put the old-number person on the unit's list; the new-number
    # person is enrolled at the unit: the unit may see both, so it may merge them.
    assert Episode.objects.filter(person=source, unit=ludvika_kaa_unit).exists()
    EnrolmentFactory(person=target, unit=ludvika_kaa_unit)

    header = (*POPULATION_HEADER, "tidigare_nummer")
    imp = run_import(karin, "befolkning", population_file([[*population_row(8), old]], header=header))

    assert imp.status == ImportStatus.DONE, imp.error
    source.refresh_from_db()
    assert source.merged_into == target
    assert PopulationEntry.objects.get().person == target
    assert PersonChange.objects.filter(person=target, kind="merged_from").exists()
    assert Episode.objects.filter(person=target, unit=ludvika_kaa_unit).exists()  # history moved


def test_tidigare_nummer_never_touches_another_units_record_of_the_new_number(karin, ludvika_kaa_unit, alice):
    """The register joins records of its own unit only: another unit's record of the same young
    person is that unit's, so the register renumbers its own record and leaves alice's alone."""
    old, new = number(9, coordination=True), number(9)
    run_import(karin, "befolkning", population_file([population_row(9, personnummer=old)]))
    source = Person.objects.get(id_number=old)
    alices = PersonFactory(id_number=new, id_type=IdentityType.PERSONNUMMER, unit=alice.unit, first_name="Alices")
    EnrolmentFactory(person=alices, unit=alice.unit, coach=alice)  # known only to alice's unit

    header = (*POPULATION_HEADER, "tidigare_nummer")
    imp = run_import(karin, "befolkning", population_file([[*population_row(9), old]], header=header))

    assert imp.status == ImportStatus.DONE, imp.error
    source.refresh_from_db()
    alices.refresh_from_db()
    assert source.merged_into is None
    assert source.id_number == new
    assert source.unit == ludvika_kaa_unit
    assert alices.merged_into is None
    assert alices.first_name == "Alices"
    assert alices.enrolments.get().unit == alice.unit
    assert not AccessLogEntry.objects.filter(person_id=alices.pk).exists()


def test_a_successful_import_refreshes_the_units_target_group_and_a_failed_one_does_not(
    karin, ludvika_kaa_unit, monkeypatch
):
    calls = []
    monkeypatch.setattr(
        "vagval.targetgroup.services.target_group_refresh", lambda **kwargs: calls.append(kwargs) or RefreshSummary()
    )

    run_import(karin, "befolkning", population_file([population_row(1, kommunkod="2061")]))
    assert calls == []

    # Before any studies extract, a population import leaves the lists alone (everyone would
    # look as if they never started upper secondary school).
    run_import(karin, "befolkning", population_file([population_row(1)]))
    assert calls == []

    studies = run_import(karin, "studier", study_file([study_row(1)]))
    assert [(c["unit"], c["reference_date"], c["ctx"].user.username, c["register_import"]) for c in calls] == [
        (ludvika_kaa_unit, REFERENCE_DATE, "system:registerimport", studies)
    ]

    run_import(karin, "befolkning", population_file([population_row(1)]))
    assert len(calls) == 2


def test_the_persons_history_names_the_fields_the_register_changed(karin):
    old = number(6, coordination=True)
    run_import(karin, "befolkning", population_file([population_row(6, personnummer=old)]))

    header = (*POPULATION_HEADER, "tidigare_nummer")
    run_import(karin, "befolkning", population_file([[*population_row(6), old]], header=header))
    run_import(karin, "befolkning", population_file([population_row(6, adress="Ny väg 4", skyddad="J")]))

    changes = PersonChange.objects.filter(person__id_number=number(6), kind="changed").order_by("changed_at", "pk")
    assert [change.fields for change in changes] == [
        ["person- eller samordningsnummer"],
        ["adress", "skyddade personuppgifter"],
    ]


def test_the_rejected_rows_file_is_stored_under_our_id_never_the_users_file_name(karin):
    name = f"uttag-{number(1)}.csv"  # a user's file name may hold an identity number
    imp = run_import(
        karin, "befolkning", population_file([population_row(1), population_row(2, kommunkod="2061")]), name=name
    )

    assert imp.rows_rejected == 1
    assert imp.rejected_file.name.rsplit("/", 1)[-1] == f"{imp.pk}.fel.csv"
    assert number(1) not in imp.rejected_file.name


@pytest.mark.parametrize("born", [dt.date(9999, 6, 1), dt.date(1899, 12, 31)], ids=["9999", "1899"])
def test_a_row_whose_number_gives_an_impossible_birth_date_is_rejected(karin, born):
    impossible = make_personnummer(born, 12)
    imp = run_import(
        karin, "befolkning", population_file([population_row(1), population_row(2, personnummer=impossible)])
    )
    assert (imp.rows_accepted, imp.rows_rejected) == (1, 1)
    assert not Person.objects.filter(id_number=impossible).exists()
    assert "före 1900 eller efter i dag" in imp.rejected_file.read().decode("utf-8-sig")
