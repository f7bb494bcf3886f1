"""The hand-written statements give what the ORM queries they replace gave (both databases run this)."""

import datetime as dt
import uuid

import pytest

from vagval.access.checks import (
    _consent_rows,
    _own_and_responsible,
    active_consent_recipients,
    consent_active_q,
    consent_active_sql,
    consent_is_active,
    disclosing_recipients,
    recipient_active_q,
    recipient_active_sql,
    recipient_is_active,
    responsible_person_ids,
)
from vagval.common import sql
from vagval.consent.models import ALL_CATEGORIES, Consent, ConsentCategory, ConsentRecipient
from vagval.consent.selectors import ConsentStatus, consent_status
from vagval.consent.tests.factories import share
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.models import Enrolment, EnrolmentStatus, Person, Protection
from vagval.people.selectors import _enrolments_shown
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory
from vagval.targetgroup.models import Episode
from vagval.targetgroup.tests.factories import kaa_episode


def test_uuid_values_round_trip_through_a_hand_written_select(alices_person):
    rows = sql.fetch(
        Person,
        f"SELECT {sql.column(Person, 'id')} FROM {sql.table(Person)} WHERE {sql.column(Person, 'id')} = %s",  # noqa: S608
        [sql.value(Person, "id", alices_person.pk)],
    )
    assert [sql.as_uuid(raw) for (raw,) in rows] == [alices_person.pk]


def test_as_uuid_reads_both_database_forms():
    value = uuid.uuid4()
    assert sql.as_uuid(value) is value
    assert sql.as_uuid(value.hex) == value
    assert sql.as_uuid(None) is None


def test_an_empty_in_list_is_refused_rather_than_written_as_invalid_sql():
    with pytest.raises(ValueError, match="at least one"):
        sql.placeholders(0)
    assert sql.placeholders(3) == "%s, %s, %s"


def test_a_column_is_quoted_and_qualified_with_its_alias():
    assert sql.column(Enrolment, "person", alias="e").startswith("e.")
    assert "person_id" in sql.column(Enrolment, "person")


@pytest.fixture
def mixed_world(alice, charlie, project, ludvika_unit, smedjebacken_unit):
    """Persons at Ludvika by enrolment, by register episode, at Smedjebacken only, and protected
    persons with alice as active, ended and no coach."""
    enrolled = EnrolmentFactory(unit=ludvika_unit, project=project, coach=None).person
    registered = PersonFactory()
    kaa_episode(registered, ludvika_unit)
    elsewhere = EnrolmentFactory(unit=smedjebacken_unit, project=project, coach=charlie).person
    coached = EnrolmentFactory(
        unit=ludvika_unit,
        project=project,
        coach=alice,
        person=PersonFactory(protection=Protection.PROTECTED_REGISTRATION),
    ).person
    ended = EnrolmentFactory(
        unit=ludvika_unit,
        project=project,
        coach=alice,
        status=EnrolmentStatus.ENDED,
        ends_on=dt.date(2026, 2, 1),
        person=PersonFactory(protection=Protection.CONFIDENTIALITY_MARK),
    ).person
    nobody = PersonFactory()
    return [enrolled, registered, elsewhere, coached, ended, nobody]


def test_own_and_responsible_match_the_orm_queries(mixed_world, alice, ludvika_unit):
    ids = [p.pk for p in mixed_world]
    protected = [p.pk for p in mixed_world if p.is_protected]
    own, responsible = _own_and_responsible(
        viewer=alice, unit_id=ludvika_unit.pk, person_ids=ids, protected_ids=protected
    )
    assert own == set(
        Enrolment.objects.filter(person_id__in=ids, unit=ludvika_unit).values_list("person_id", flat=True)
    ) | set(Episode.objects.filter(person_id__in=ids, unit=ludvika_unit).values_list("person_id", flat=True))
    enrolled, registered, _elsewhere, coached, _ended, _nobody = mixed_world
    assert own == {enrolled.pk, registered.pk, coached.pk, mixed_world[4].pk}
    assert responsible == responsible_person_ids(viewer=alice, person_ids=protected) == {coached.pk}


def test_without_protected_persons_nobody_is_responsible(mixed_world, alice, ludvika_unit):
    own, responsible = _own_and_responsible(
        viewer=alice, unit_id=ludvika_unit.pk, person_ids=[p.pk for p in mixed_world], protected_ids=[]
    )
    assert len(own) == 4
    assert responsible == set()


def test_enrolments_shown_match_the_orm_query(mixed_world, alice, ludvika_unit, project):
    enrolled = mixed_world[0]
    EnrolmentFactory(
        person=enrolled,
        unit=ludvika_unit,
        project=ProjectFactory(name="Andra chansen"),
        coach=alice,
        starts_on=dt.date(2026, 3, 1),
    )
    ids = [p.pk for p in mixed_world]
    shown = _enrolments_shown(person_ids=ids, unit_id=ludvika_unit.pk)
    expected = {}
    for person_id, name, coach in (
        Enrolment.objects.filter(person_id__in=ids, unit=ludvika_unit)
        .order_by("-starts_on")
        .values_list("person_id", "project__name", "coach__username")
    ):
        expected.setdefault(person_id, []).append((name, coach))
    assert {pid: [e.project for e in rows] for pid, rows in shown.items()} == {
        pid: [name for name, _coach in rows] for pid, rows in expected.items()
    }
    newest, oldest = shown[enrolled.pk]
    assert newest.coach == str(alice)  # the newest enrolment first, the coach as str(User)
    assert oldest.coach == ""  # no coach
    assert mixed_world[2].pk not in shown  # Smedjebacken's enrolment is not Ludvika's


@pytest.fixture
def consent_world(alice, charlie, af_unit, fk_unit):
    """Consents to Arbetsförmedlingen that are active (two for one person, different ages),
    withdrawn as a whole, withdrawn for that recipient, expired, not yet valid, and one to
    Försäkringskassan only; one valid only today; one naming both, withdrawn for
    Arbetsförmedlingen alone; one documented at Smedjebacken; plus a person without any consent."""
    today = dt.date(2026, 6, 15)
    persons = [PersonFactory() for _ in range(11)]
    older, newer, withdrawn, recipient_gone, expired, future, other_unit, today_only, both, elsewhere, _none = persons
    share(older, documented_by=alice, to_unit=af_unit, valid_from=dt.date(2026, 1, 1))
    identity_only = [ConsentCategory.IDENTITY]
    share(older, documented_by=alice, to_unit=af_unit, categories=identity_only, valid_from=dt.date(2026, 3, 1))
    share(newer, documented_by=alice, to_unit=af_unit)
    share(withdrawn, documented_by=alice, to_unit=af_unit, withdrawn_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    gone = share(recipient_gone, documented_by=alice, to_unit=af_unit)
    ConsentRecipient.objects.filter(consent=gone).update(withdrawn_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    share(expired, documented_by=alice, to_unit=af_unit, valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2026, 6, 14))
    share(future, documented_by=alice, to_unit=af_unit, valid_from=dt.date(2026, 6, 16))
    share(other_unit, documented_by=alice, to_unit=fk_unit)
    # Valid exactly today at both ends: the bounds are inclusive.
    share(today_only, documented_by=alice, to_unit=fk_unit, valid_from=today, valid_to=today)
    shared_twice = share(both, documented_by=alice, to_unit=af_unit)
    ConsentRecipient.objects.create(consent=shared_twice, unit=fk_unit)
    ConsentRecipient.objects.filter(consent=shared_twice, unit=af_unit).update(
        withdrawn_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    )
    share(elsewhere, documented_by=charlie, to_unit=af_unit)
    return today, persons


def _world_persons(consent_world) -> dict[str, uuid.UUID]:
    _today, persons = consent_world
    names = "older newer withdrawn recipient_gone expired future other_unit today_only both elsewhere none"
    return {name: person.pk for name, person in zip(names.split(), persons, strict=True)}


@pytest.mark.parametrize(
    ("unit_fixture", "seen"),
    [
        ("af_unit", {"older", "newer", "elsewhere"}),
        ("fk_unit", {"other_unit", "today_only", "both"}),
    ],
)
def test_consent_rows_open_exactly_the_active_consents_for_the_unit(consent_world, unit_fixture, seen, request):
    """Not withdrawn (as a whole or for this recipient), not expired, already valid, naming this
    unit; valid_from and valid_to both count as valid days."""
    today, _persons = consent_world
    unit = request.getfixturevalue(unit_fixture)
    by_name = _world_persons(consent_world)
    rows = _consent_rows(unit.pk, list(by_name.values()), today)
    assert {name for name, pk in by_name.items() if pk in rows} == seen
    assert {
        name
        for name, pk in by_name.items()
        if active_consent_recipients(unit_id=unit.pk, today=today).filter(consent__person_id=pk).exists()
    } == seen


def test_a_consent_valid_only_today_is_not_active_the_day_before_or_after(consent_world, fk_unit):
    today, _persons = consent_world
    today_only = _world_persons(consent_world)["today_only"]
    for day, active in ((today - dt.timedelta(days=1), False), (today, True), (today + dt.timedelta(days=1), False)):
        assert (today_only in _consent_rows(fk_unit.pk, [today_only], day)) is active
        assert (
            active_consent_recipients(unit_id=fk_unit.pk, today=day).filter(consent__person_id=today_only).exists()
            is active
        )


@pytest.mark.parametrize("unit_fixture", ["af_unit", "fk_unit"])
def test_consent_rows_match_active_consent_recipients(consent_world, unit_fixture, request):
    today, persons = consent_world
    unit = request.getfixturevalue(unit_fixture)
    ids = [p.pk for p in persons]
    expected: dict[uuid.UUID, list[tuple[uuid.UUID, list[str]]]] = {}
    for person_id, consent_id, categories in (
        active_consent_recipients(unit_id=unit.pk, today=today)
        .filter(consent__person_id__in=ids)
        .order_by("-consent__valid_from", "-consent__created_at")
        .values_list("consent__person_id", "consent_id", "consent__categories")
    ):
        expected.setdefault(person_id, []).append((consent_id, list(categories)))
    assert expected  # the world gives each unit something to see
    assert _consent_rows(unit.pk, ids, today) == expected


def test_consent_rows_put_the_newest_consent_first(consent_world, af_unit):
    today, persons = consent_world
    rows = _consent_rows(af_unit.pk, [persons[0].pk], today)[persons[0].pk]
    assert [categories for _consent, categories in rows] == [[ConsentCategory.IDENTITY], sorted(ALL_CATEGORIES)]


def test_consent_rows_break_a_tie_on_valid_from_by_the_newest_recorded(alice, af_unit):
    person = PersonFactory()
    first = share(person, documented_by=alice, to_unit=af_unit, categories=[ConsentCategory.PLAN])
    second = share(person, documented_by=alice, to_unit=af_unit, categories=[ConsentCategory.NOTES])
    Consent.objects.filter(pk=first.pk).update(created_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    Consent.objects.filter(pk=second.pk).update(created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    rows = _consent_rows(af_unit.pk, [person.pk], dt.date(2026, 6, 15))[person.pk]
    assert [consent for consent, _categories in rows] == [first.pk, second.pk]
    ordered = disclosing_recipients(person_id=person.pk, to_unit_id=af_unit.pk, today=dt.date(2026, 6, 15))
    assert [r.consent_id for r in ordered] == [first.pk, second.pk]


# Days around the world's edges: before everything, the edges of the expired, future and
# today-only consents, and after them.
RULE_DAYS = [
    dt.date(2024, 12, 31),
    dt.date(2026, 6, 14),
    dt.date(2026, 6, 15),
    dt.date(2026, 6, 16),
    dt.date(2028, 1, 1),
]


@pytest.mark.parametrize("day", RULE_DAYS)
def test_the_three_forms_of_the_consent_rule_agree(consent_world, day):
    """The ORM condition, the SQL condition and the test on loaded rows give the same answer for
    every consent and every recipient row, and consent_status agrees that a consent is active."""
    consents = list(Consent.objects.all())
    by_orm = set(Consent.objects.filter(consent_active_q(today=day)).values_list("pk", flat=True))
    condition, params = consent_active_sql(today=day)
    statement = f"SELECT {sql.column(Consent, 'id')} FROM {sql.table(Consent)} WHERE {condition}"  # noqa: S608
    by_sql = {sql.as_uuid(pk) for (pk,) in sql.fetch(Consent, statement, params)}
    by_python = {c.pk for c in consents if consent_is_active(c, today=day)}
    by_status = {c.pk for c in consents if consent_status(c, today=day) == ConsentStatus.ACTIVE}
    assert by_orm == by_sql == by_python == by_status

    recipients = list(ConsentRecipient.objects.select_related("consent"))
    r_orm = set(ConsentRecipient.objects.filter(recipient_active_q(today=day)).values_list("pk", flat=True))
    condition, params = recipient_active_sql(today=day, recipient_alias="r", consent_alias="c")
    statement = (
        f"SELECT {sql.column(ConsentRecipient, 'id', alias='r')} FROM {sql.table(ConsentRecipient)} r"  # noqa: S608
        f" JOIN {sql.table(Consent)} c ON {sql.column(Consent, 'id', alias='c')}"
        f" = {sql.column(ConsentRecipient, 'consent', alias='r')} WHERE {condition}"
    )
    r_sql = {pk for (pk,) in sql.fetch(ConsentRecipient, statement, params)}
    r_python = {r.pk for r in recipients if recipient_is_active(r, today=day)}
    assert r_orm == r_sql == r_python
    if day == dt.date(2026, 6, 15):
        assert len(r_orm) == 7  # older (2), newer, other_unit, today_only, both (for FK), elsewhere


def test_fetch_instances_builds_what_the_orm_builds(mixed_world):
    person = mixed_world[3]  # protected, with every kind of column: UUID, date, choices
    person.birth_date = dt.date(2004, 2, 29)
    person.save()
    where = f"{sql.column(Person, 'id')} = %s"
    (fetched,) = sql.fetch_instances(Person, where, [sql.value(Person, "id", person.pk)])
    loaded = Person.objects.get(pk=person.pk)
    assert [getattr(fetched, f.attname) for f in Person._meta.concrete_fields] == [
        getattr(loaded, f.attname) for f in Person._meta.concrete_fields
    ]
    assert fetched._state.db == loaded._state.db
    assert not fetched._state.adding  # saving it updates the row instead of inserting a copy


def test_reader_turns_a_json_column_into_python(consent_world, af_unit):
    _today, persons = consent_world
    categories, person = sql.column(Consent, "categories"), sql.column(Consent, "person")
    statement = f"SELECT {categories} FROM {sql.table(Consent)} WHERE {person} = %s"  # noqa: S608
    (raw,), *_ = sql.fetch(Consent, statement, [sql.value(Consent, "person", persons[1].pk)])
    assert sql.reader(Consent, "categories")(raw) == sorted(ALL_CATEGORIES)


def test_what_is_cached_for_a_thread_is_freed_with_its_connection():
    """A server may run each request in a new thread with a new connection object: the readers
    built for it must not keep that connection alive once the thread has ended. (Building a
    reader opens no connection, so this test needs no database and leaves none behind.)"""
    import gc
    import threading
    import weakref

    from django.db import connections

    seen: list[weakref.ref] = []

    def request() -> None:
        sql.reader(Person, "birth_date")
        seen.append(weakref.ref(connections["default"]))  # the thread's own connection object

    thread = threading.Thread(target=request)
    thread.start()
    thread.join()
    gc.collect()
    assert len(seen) == 1
    assert seen[0]() is None


def test_fetch_equal_gives_the_querysets_rows_in_its_order(alice, charlie):
    person = PersonFactory()
    for unit, starts in [(alice.unit, dt.date(2026, 3, 1)), (alice.unit, dt.date(2026, 1, 1)), (charlie.unit, None)]:
        EnrolmentFactory(person=person, unit=unit, starts_on=starts or dt.date(2026, 2, 1))
    EnrolmentFactory(unit=alice.unit)  # another person's
    equal = {"person": person.pk, "unit": alice.unit_id}
    for order in [("starts_on",), ("-starts_on", "-created_at")]:
        fetched = sql.fetch_equal(Enrolment, equal, order=order)
        expected = Enrolment.objects.filter(**equal).order_by(*order)
        assert [(e.pk, e.starts_on, e.person_id) for e in fetched] == [
            (e.pk, e.starts_on, e.person_id) for e in expected
        ]
    (only,) = sql.fetch_equal(Enrolment, {**equal, "starts_on": dt.date(2026, 1, 1)}, fields=("id", "unit"))
    assert only.get_deferred_fields() >= {"person_id", "status"}


def test_fetch_equal_refuses_none_which_the_orm_would_write_as_is_null():
    with pytest.raises(ValueError, match="no None"):
        sql.fetch_equal(Enrolment, {"coach": None})


def test_fetch_in_bulk_gives_what_in_bulk_gives(alice, bob, charlie):
    ids = [alice.pk, charlie.pk, alice.pk]
    fetched = sql.fetch_in_bulk(type(alice), ids)
    expected = type(alice).objects.in_bulk(ids)
    assert {pk: (u.username, u.unit_id) for pk, u in fetched.items()} == {
        pk: (u.username, u.unit_id) for pk, u in expected.items()
    }
    assert sql.fetch_in_bulk(type(alice), []) == {}


def test_aliased_names_the_column_as_column_does():
    from vagval.people.models import Person

    person = sql.aliased(Person, "w")
    assert person("last_name_key") == sql.column(Person, "last_name_key", alias="w")
    assert person("id") == sql.column(Person, "id", alias="w")
    assert person("id") != sql.column(Person, "id")
