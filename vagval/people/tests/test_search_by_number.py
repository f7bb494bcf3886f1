"""A search for a whole identity number probes the register and asks list_access about the one
person it finds (selectors._page_with_number). It must show and log exactly what the filtered
query (selectors._filtered: the visibility rule compiled into SQL) shows, for every kind of
viewer and every kind of person."""

import datetime as dt

import pytest

from conftest import ctx_for
from vagval.access.checks import list_access
from vagval.audit.models import AccessLogEntry
from vagval.consent.models import ConsentCategory
from vagval.consent.tests.factories import share
from vagval.people.models import Protection
from vagval.people.selectors import PersonFilters, _filtered, person_list, person_search
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory
from vagval.targetgroup.tests.factories import kaa_episode

VIEWERS = ["alice", "bob", "charlie", "karin", "frida", "dana", "erik"]


@pytest.fixture
def world(alice, project, ludvika_unit, ludvika_kaa_unit, smedjebacken_unit, af_unit):
    enrolled = EnrolmentFactory(unit=ludvika_unit, project=project, coach=alice).person
    registered = PersonFactory()
    kaa_episode(registered, ludvika_kaa_unit)
    elsewhere = EnrolmentFactory(unit=smedjebacken_unit, project=project).person
    shared = EnrolmentFactory(unit=ludvika_unit, project=project).person
    share(shared, documented_by=alice, to_unit=af_unit)
    shared_without_number = EnrolmentFactory(unit=ludvika_unit, project=project).person
    share(shared_without_number, documented_by=alice, to_unit=af_unit, categories=[ConsentCategory.PLAN])
    protected = EnrolmentFactory(
        unit=ludvika_unit, project=project, person=PersonFactory(protection=Protection.PROTECTED_REGISTRATION)
    ).person
    share(protected, documented_by=alice, to_unit=af_unit)  # never shared, whatever it says
    target = EnrolmentFactory(unit=ludvika_unit, project=project).person
    merged = PersonFactory(merged_into=target)
    EnrolmentFactory(unit=ludvika_unit, project=project, person=merged)
    return [enrolled, registered, elsewhere, shared, shared_without_number, protected, target, merged]


def _expected(viewer, number: str) -> list:
    """What the filtered query shows for the number: visible, and only where numbers are seen."""
    found = list(_filtered(viewer=viewer, filters=PersonFilters(query=number), today=dt.date.today()))
    grants = list_access(viewer=viewer, persons=found)
    return [p.pk for p in found if grants[p.pk].sees_identity_number]


@pytest.mark.parametrize("viewer_name", VIEWERS)
def test_a_number_search_shows_and_logs_what_the_filtered_query_shows(world, viewer_name, request):
    viewer = request.getfixturevalue(viewer_name)
    shown_somewhere = 0
    for person in world:
        for written in (person.id_number, f"{person.id_number[2:8]}-{person.id_number[8:]}"):
            expected = _expected(viewer, written)
            before = AccessLogEntry.objects.count()
            hits = person_search(viewer=viewer, ctx=ctx_for(viewer), query=written)
            assert [p.pk for p, _access in hits] == expected, (viewer_name, person)
            assert AccessLogEntry.objects.count() - before == len(expected)
            shown_somewhere += len(expected)
    if viewer_name in {"alice", "bob", "karin", "frida"}:
        assert shown_somewhere  # each of these viewers finds someone: the comparison is not empty


def test_a_number_in_a_list_filter_gives_the_same_page_and_total(world, alice):
    rows, total = person_list(viewer=alice, ctx=ctx_for(alice), filters=PersonFilters(query=world[0].id_number))
    assert ([p.pk for p, _a in rows], total) == ([world[0].pk], 1)
    rows, total = person_list(
        viewer=alice, ctx=ctx_for(alice), filters=PersonFilters(query=world[0].id_number), offset=1
    )
    assert (rows, total) == ([], 1)


def test_a_number_with_other_filters_goes_through_the_filtered_query(world, alice):
    person = world[0]
    filters = PersonFilters(query=person.id_number, mine_only=True, gender="annat-än-alla")
    rows, total = person_list(viewer=alice, ctx=ctx_for(alice), filters=filters)
    assert (rows, total) == ([], 0)  # the gender filter applies: the probe alone would have shown the person


def test_the_found_person_is_a_whole_record(world, alice):
    ((person, access),) = person_search(viewer=alice, ctx=ctx_for(alice), query=world[0].id_number)
    assert person.full_name == world[0].full_name
    assert person.birth_date == world[0].birth_date
    assert access.sees_contact_details
