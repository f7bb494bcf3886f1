"""visible_persons and visible_persons_per_row are one rule in two query shapes."""

import datetime as dt

from django.utils import timezone

from vagval.access.checks import (
    disclosed_records,
    list_access,
    own_persons_in_name_order_sql,
    sees_only_own_persons,
    visible_person_member_sql,
    visible_person_probe_sql,
    visible_person_sql,
    visible_persons,
    visible_persons_count,
    visible_persons_count_unmerged_first,
    visible_persons_per_row,
)
from vagval.common import sql
from vagval.consent.models import Consent, ConsentRecipient
from vagval.consent.tests.factories import share
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.models import Person, Protection
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory
from vagval.targetgroup.tests.factories import kaa_episode

# visible_persons_count in both its forms: the one each database reads, and the form SQLite
# reads (merged records left out first) on either database.
COUNTS = (visible_persons_count, visible_persons_count_unmerged_first)


def _enrolled(unit, project, **person_fields):
    person = PersonFactory(**person_fields)
    EnrolmentFactory(person=person, project=project, unit=unit)
    return person


def test_both_query_shapes_see_exactly_the_persons_the_access_check_grants(alice, charlie, project):
    today = timezone.localdate()
    valid = {"valid_from": today - dt.timedelta(days=10), "valid_to": today + dt.timedelta(days=30)}
    own = _enrolled(alice.unit, project)
    other = _enrolled(charlie.unit, project)
    shared = _enrolled(charlie.unit, project)
    share(shared, documented_by=charlie, to_unit=alice.unit, **valid)
    protected = _enrolled(charlie.unit, project, protection=Protection.PROTECTED_REGISTRATION)
    share(protected, documented_by=charlie, to_unit=alice.unit, **valid)
    expired = _enrolled(charlie.unit, project)
    share(
        expired,
        documented_by=charlie,
        to_unit=alice.unit,
        valid_from=today - dt.timedelta(days=30),
        valid_to=today - dt.timedelta(days=1),
    )
    withdrawn = _enrolled(charlie.unit, project)
    consent = share(withdrawn, documented_by=charlie, to_unit=alice.unit, **valid)
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=timezone.now(), withdrawn_by=charlie)
    withdrawn_for_recipient = _enrolled(charlie.unit, project)
    consent = share(withdrawn_for_recipient, documented_by=charlie, to_unit=alice.unit, **valid)
    ConsentRecipient.objects.filter(consent=consent).update(withdrawn_at=timezone.now(), withdrawn_by=charlie)
    merged = _enrolled(alice.unit, project)
    merged.merged_into = own
    merged.save()
    everyone = [own, other, shared, protected, expired, withdrawn, withdrawn_for_recipient, merged]

    for viewer in (alice, charlie):
        as_set = set(visible_persons(viewer=viewer).values_list("pk", flat=True))
        per_row = set(visible_persons_per_row(viewer=viewer).values_list("pk", flat=True))
        assert as_set == per_row == set(list_access(viewer=viewer, persons=everyone)) == _by_sql(viewer)
        assert as_set == _unmerged_admitted(viewer, visible_person_probe_sql)
        assert as_set == _unmerged_admitted(viewer, visible_person_member_sql)
    assert set(visible_persons(viewer=alice).values_list("pk", flat=True)) == {own.pk, shared.pk}


def _by_sql(viewer) -> set:
    """The persons visible_person_sql admits, of all persons."""
    condition, params = visible_person_sql(viewer=viewer, person="pp.id")
    rows = sql.fetch(Person, f"SELECT pp.id FROM {sql.table(Person)} pp WHERE {condition}", params)  # noqa: S608
    return {sql.as_uuid(pk) for (pk,) in rows}


def _unmerged_admitted(viewer, form) -> set:
    """The unmerged persons that a walk's condition (visible_person_probe_sql or
    visible_person_member_sql) admits, of all persons."""
    condition, params = form(viewer=viewer, person="pp.id")
    merged = sql.column(Person, "merged_into", alias="pp")
    statement = f"SELECT pp.id FROM {sql.table(Person)} pp WHERE {merged} IS NULL AND {condition}"  # noqa: S608
    return {sql.as_uuid(pk) for (pk,) in sql.fetch(Person, statement, params)}


def test_the_sql_form_sees_the_register_and_nobody_for_those_without_person_access(alice, dana, project):
    in_register = PersonFactory()
    kaa_episode(in_register, alice.unit)

    assert in_register.pk in _by_sql(alice)
    assert _by_sql(alice) == set(visible_persons_per_row(viewer=alice).values_list("pk", flat=True))
    assert _by_sql(dana) == set()
    for form in (visible_person_probe_sql, visible_person_member_sql):
        assert _unmerged_admitted(alice, form) == {in_register.pk}
        assert _unmerged_admitted(dana, form) == set()


def test_a_person_enrolled_twice_and_shared_as_well_is_listed_once(alice, charlie, project):
    today = timezone.localdate()
    person = _enrolled(alice.unit, project)
    EnrolmentFactory(person=person, project=ProjectFactory(name="KAA Ludvika"), unit=alice.unit)
    EnrolmentFactory(person=person, project=project, unit=charlie.unit)
    share(person, documented_by=charlie, to_unit=alice.unit, valid_from=today, valid_to=today)
    assert list(visible_persons(viewer=alice)) == [person]
    assert visible_persons(viewer=alice).count() == 1


def test_the_count_from_ids_is_the_count_of_visible_persons(alice, charlie, project):
    today = timezone.localdate()
    valid = {"valid_from": today - dt.timedelta(days=10), "valid_to": today + dt.timedelta(days=30)}
    own = _enrolled(alice.unit, project)
    EnrolmentFactory(person=own, project=ProjectFactory(name="KAA Ludvika"), unit=alice.unit)  # two enrolments
    shared = _enrolled(charlie.unit, project)
    share(shared, documented_by=charlie, to_unit=alice.unit, **valid)
    share(own, documented_by=charlie, to_unit=alice.unit, **valid)  # own unit and consent: once
    protected = _enrolled(charlie.unit, project, protection=Protection.PROTECTED_REGISTRATION)
    share(protected, documented_by=charlie, to_unit=alice.unit, **valid)
    merged = _enrolled(alice.unit, project)
    merged.merged_into = own
    merged.save()
    _enrolled(charlie.unit, project)

    for count in COUNTS:
        for viewer in (alice, charlie):
            assert count(viewer=viewer) == visible_persons(viewer=viewer).count()
        assert count(viewer=alice) == 2


def test_the_count_counts_the_register_and_each_person_once_whatever_their_bases(alice, charlie, project):
    today = timezone.localdate()
    valid = {"valid_from": today - dt.timedelta(days=10), "valid_to": today + dt.timedelta(days=30)}
    in_register = PersonFactory()
    kaa_episode(in_register, alice.unit)
    both = _enrolled(alice.unit, project)
    kaa_episode(both, alice.unit)
    kaa_episode(both, alice.unit, closed=True, closed_on=dt.date(2026, 2, 1), close_code="flyttat")
    share(both, documented_by=charlie, to_unit=alice.unit, **valid)
    registered_and_shared = PersonFactory()
    kaa_episode(registered_and_shared, alice.unit)
    share(registered_and_shared, documented_by=charlie, to_unit=alice.unit, **valid)
    protected_own = _enrolled(alice.unit, project, protection=Protection.PROTECTED_REGISTRATION)
    share(protected_own, documented_by=charlie, to_unit=alice.unit, **valid)
    merged_in_register = PersonFactory(merged_into=in_register)
    kaa_episode(merged_in_register, alice.unit)
    merged_shared = _enrolled(charlie.unit, project)
    share(merged_shared, documented_by=charlie, to_unit=alice.unit, **valid)
    merged_shared.merged_into = both
    merged_shared.save()

    for count in COUNTS:
        for viewer in (alice, charlie):
            assert count(viewer=viewer) == visible_persons(viewer=viewer).count()
        assert count(viewer=alice) == 4


def test_nobody_without_person_access_counts_anyone(alice, dana, erik, project):
    _enrolled(erik.unit, project)
    for count in COUNTS:
        assert count(viewer=dana) == count(viewer=erik) == 0


def test_disclosed_records_for_one_person_are_that_persons_records_of_the_whole_list(alice, charlie, project):
    today = timezone.localdate()
    valid = {"valid_from": today - dt.timedelta(days=1), "valid_to": today + dt.timedelta(days=1)}
    first, second = _enrolled(charlie.unit, project), _enrolled(charlie.unit, project)
    share(first, documented_by=charlie, to_unit=alice.unit, **valid)
    share(second, documented_by=charlie, to_unit=alice.unit, **valid)
    everyone = disclosed_records(viewer=alice, category="plan")
    assert set(everyone) == {(first.pk, charlie.unit.pk), (second.pk, charlie.unit.pk)}
    one = disclosed_records(viewer=alice, category="plan", person_id=first.pk)
    assert one == {key: value for key, value in everyone.items() if key[0] == first.pk}


def test_the_kept_name_order_is_the_sorted_set_of_a_unit_no_consent_names(alice, charlie, project):
    today = timezone.localdate()
    valid = {"valid_from": today - dt.timedelta(days=10), "valid_to": today + dt.timedelta(days=30)}
    for last in ("Berg", "Ek", "Berg", "Al"):
        _enrolled(alice.unit, project, last_name=last, first_name="Bo")
    in_register = PersonFactory(last_name="Berg", first_name="Ada")
    kaa_episode(in_register, alice.unit)
    renamed = _enrolled(alice.unit, project, last_name="Ö")
    renamed.last_name = "Aa"
    renamed.save()
    merged = _enrolled(alice.unit, project)
    merged.merged_into = in_register
    merged.save()
    shared = _enrolled(charlie.unit, project)
    share(shared, documented_by=charlie, to_unit=alice.unit, **valid)
    assert not sees_only_own_persons(viewer=alice)  # the consent: alice's unit is read another way
    assert sees_only_own_persons(viewer=charlie)
    Consent.objects.update(withdrawn_at=timezone.now(), withdrawn_by=charlie)

    assert sees_only_own_persons(viewer=alice)
    for viewer in (alice, charlie):
        ordered, params = own_persons_in_name_order_sql(viewer=viewer)
        found = [sql.as_uuid(i) for (i,) in sql.fetch(Person, ordered, params)]
        assert found == [p.pk for p in visible_persons(viewer=viewer).order_by("last_name_key", "first_name_key", "id")]
    assert len(found) == 1  # charlie's shared person


def test_a_viewer_without_person_access_sees_no_own_persons(dana, erik):
    assert not sees_only_own_persons(viewer=dana)
    assert not sees_only_own_persons(viewer=erik)
