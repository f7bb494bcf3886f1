"""The demo's register imports and outreach: Ludvika's KAA-ansvarig imports two snapshots of the
population and studies extracts and tries to reach the young people on the KAA and UVAS lists."""

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone

from vagval.audit.models import AccessLogEntry
from vagval.demo.persons import faker_pools, generate_persons
from vagval.demo.registers import KAA_UNIT, KAA_USERNAME, generate_registers
from vagval.demo.world import build_world
from vagval.kaa.models import Measure
from vagval.outreach.models import ContactAttempt, Occupation
from vagval.people.models import IdentityType, Person, Protection
from vagval.registers.models import ImportKind, ImportStatus, RegisterImport
from vagval.targetgroup.models import Episode, TargetList

PERSONS = 300
NOW = timezone.make_aware(dt.datetime(2026, 11, 24, 13, 30))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One demo world of 300 persons with its register imports and outreach, rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world(password="demo-losenord-123")
        generate_persons(world=world, count=PERSONS, seed=1, today=NOW.date())
        result = generate_registers(world=world, seed=1, now=NOW)
        yield world, result
        transaction.set_rollback(True)


def test_every_service_call_is_accepted_and_the_summary_counts_the_work(demo, db):
    _world, result = demo

    assert result.refused == 0
    assert result.imports == 4
    assert result.kaa > 0
    assert result.uvas > 0
    assert result.left > 0
    assert result.contacts == ContactAttempt.objects.count() > 0
    assert result.occupations == Occupation.objects.count() > 0
    assert result.measures == Measure.objects.count() > 0


def test_kaa_ludvika_imports_two_snapshots_of_both_extracts(demo, db):
    imports = list(RegisterImport.objects.order_by("reference_date", "created_at"))

    assert [(i.kind, i.status) for i in imports] == [
        (ImportKind.POPULATION, ImportStatus.DONE),
        (ImportKind.STUDIES, ImportStatus.DONE),
        (ImportKind.POPULATION, ImportStatus.DONE),
        (ImportKind.STUDIES, ImportStatus.DONE),
    ]
    older, current = imports[0].reference_date, imports[2].reference_date
    assert 80 <= (current - older).days <= 100
    assert current == NOW.date()
    assert {i.imported_by.username for i in imports} == {KAA_USERNAME}
    assert all(i.rows_rejected == 0 and i.rows_accepted > 0 for i in imports)
    # The older import is dated when it happened.
    assert timezone.localdate(imports[0].created_at) == older
    assert imports[2].persons_left > 0  # some moved away


def test_the_extracts_hold_the_demo_persons_of_ludvika_and_young_people_nobody_knew(demo, db):
    world, _result = demo
    importer = world.users[KAA_USERNAME]
    created = Person.objects.filter(changes__kind="created", changes__changed_by=importer).exclude(
        enrolments__isnull=False
    )

    assert created.count() >= 150
    assert created.filter(id_type=IdentityType.SAMORDNINGSNUMMER).exists()
    assert created.filter(protection=Protection.CONFIDENTIALITY_MARK).exists()
    assert Episode.objects.filter(person__enrolments__isnull=False).exists()  # demo persons on the lists too


def test_kaa_and_uvas_lists_show_why_persons_are_there_and_why_they_left(demo, db):
    unit = demo[0].units[KAA_UNIT]
    episodes = Episode.objects.filter(unit=unit)
    open_kaa = episodes.filter(target_list=TargetList.KAA, closed_on__isnull=True)
    closed = Counter(episodes.filter(closed_on__isnull=False).values_list("target_list", "close_code"))

    assert open_kaa.filter(open_code="avbrott", open_reason__startswith="avbrott GY").exists()
    assert episodes.filter(target_list=TargetList.UVAS, closed_on__isnull=True).exists()
    assert closed[(TargetList.KAA, "flyttat")] >= 1
    assert closed[(TargetList.UVAS, "flyttat")] >= 1
    assert closed[(TargetList.KAA, "studier")] >= 1  # started upper secondary school
    assert closed[(TargetList.KAA, "fyllt20")] >= 1
    # Identified today: moved in, dropped out since the older snapshot, or turned 20 (UVAS).
    assert episodes.filter(opened_on=NOW.date(), closed_on__isnull=True).exists()
    # No episode opened and closed by the same snapshot.
    assert not any(e.closed_on == e.opened_on for e in episodes.filter(closed_on__isnull=False))


def test_outreach_has_mixed_contacts_some_late_and_some_never_contacted(demo, db):
    unit = demo[0].units[KAA_UNIT]
    contacts = ContactAttempt.objects.filter(unit=unit)
    older = RegisterImport.objects.order_by("reference_date").first().reference_date
    kaa_then = Episode.objects.filter(unit=unit, target_list=TargetList.KAA, opened_on=older)

    assert len(set(contacts.values_list("channel", flat=True))) >= 5
    assert set(contacts.values_list("outcome", flat=True)) == {"nadd", "ej_nadd", "avbojer", "fel_kontaktuppgift"}
    assert all(c.made_by.username == KAA_USERNAME for c in contacts)
    assert all(c.made_at < NOW for c in contacts)
    assert contacts.filter(episode__isnull=False).count() == contacts.count()
    never = kaa_then.exclude(person__contact_attempts__isnull=False)
    assert never.exists()
    first_contacts = [
        min(c.made_at for c in contacts.filter(person=e.person))
        for e in kaa_then.filter(person__contact_attempts__isnull=False).distinct()
    ]
    late = [when for when in first_contacts if (timezone.localdate(when) - older).days > 9]
    assert late
    assert len(late) < len(first_contacts)


def test_occupations_and_measures_are_documented_as_kaa_asks(demo, db):
    occupations = Occupation.objects.all()
    measures = Measure.objects.all()

    assert len(set(occupations.values_list("category", flat=True))) >= 5
    assert len(set(occupations.values_list("source", flat=True))) >= 3
    assert occupations.filter(planned=True).exists()
    assert measures.filter(ends_on__isnull=False).exclude(end_reason="").exists()
    assert measures.filter(follow_up_on__isnull=False).exists()
    assert measures.filter(declined=True).count() == 1
    assert len(set(measures.values_list("responsible", flat=True))) == 3
    assert measures.filter(episode__target_list=TargetList.KAA).count() == measures.count()


def test_the_work_is_in_the_access_log_as_kaa_ludvika_from_localhost(demo, db):
    actions = Counter(
        AccessLogEntry.objects.filter(user__username=KAA_USERNAME).values_list("action", flat=True).order_by()
    )

    assert actions["register.imported"] > 0
    assert actions["outreach.contact_recorded"] == ContactAttempt.objects.count()
    assert actions["outreach.occupation_recorded"] == Occupation.objects.count()
    assert actions["kaa.measure_created"] == Measure.objects.count()
    assert actions["kaa.measure_changed"] > 0
    assert not AccessLogEntry.objects.filter(action__startswith="outreach").exclude(client_address="127.0.0.1").exists()


def test_the_young_people_are_synthetic(demo, db):
    female, male, last_names, _streets = faker_pools(1)
    first_names = set(female) | set(male)
    imported = Person.objects.filter(population_entries__isnull=False).distinct()

    assert imported.count() > 150
    for person in imported:
        assert person.first_name in first_names
        assert person.last_name in set(last_names)
        assert not person.phone or person.phone.replace(" ", "").startswith("070-17406")
        assert not person.email or person.email.endswith("@example.com")
