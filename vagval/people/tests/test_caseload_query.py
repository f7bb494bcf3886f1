"""The caseload's list for enrolment filters alone is hand-written (selectors._page_enrolled).
It must give the page and total that the ORM query (selectors._filtered + _page_of) gives, for
every viewer, every combination of the filters and every page."""

import datetime as dt
import itertools

import pytest

from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.models import EnrolmentStatus
from vagval.people.selectors import _CASELOAD_FIELDS, PersonFilters, _filtered, _page_enrolled, _page_of
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

VIEWERS = ["alice", "bob", "charlie", "dana", "erik"]


@pytest.fixture
def world(alice, bob, project, ludvika_unit, smedjebacken_unit):
    other_project = ProjectFactory(name="Andra chansen")
    names = iter(f"{last} {first}" for last, first in itertools.product("ABCDEFGH", ("Ada", "Bo")))

    def person(**kwargs):
        last, first = next(names).split()
        return PersonFactory(last_name=f"{last}son", first_name=first, **kwargs)

    for _ in range(3):
        EnrolmentFactory(unit=ludvika_unit, project=project, coach=alice, person=person())
    EnrolmentFactory(unit=ludvika_unit, project=other_project, coach=alice, person=person())
    EnrolmentFactory(
        unit=ludvika_unit,
        project=project,
        coach=alice,
        status=EnrolmentStatus.ENDED,
        ends_on=dt.date(2026, 2, 1),
        person=person(),
    )
    EnrolmentFactory(unit=ludvika_unit, project=project, coach=bob, person=person())
    EnrolmentFactory(unit=ludvika_unit, project=project, coach=None, status=EnrolmentStatus.PAUSED, person=person())
    twice = person()  # two enrolments at the unit: listed once
    EnrolmentFactory(unit=ludvika_unit, project=project, coach=alice, person=twice)
    EnrolmentFactory(unit=ludvika_unit, project=other_project, coach=alice, person=twice, starts_on=dt.date(2026, 3, 1))
    target = person()
    EnrolmentFactory(unit=ludvika_unit, project=project, coach=alice, person=person(merged_into=target))
    EnrolmentFactory(unit=smedjebacken_unit, project=project, coach=alice, person=person())  # another unit
    return project, other_project


def _filter_sets(project, other_project):
    for project_id, status, mine_only in itertools.product(
        (None, project.pk, other_project.pk), ("", EnrolmentStatus.ACTIVE, EnrolmentStatus.ENDED), (False, True)
    ):
        filters = PersonFilters(project_id=project_id, status=status, mine_only=mine_only)
        if filters != PersonFilters():
            yield filters


@pytest.mark.parametrize("viewer_name", VIEWERS)
def test_every_page_and_total_match_the_orm_query(world, viewer_name, request):
    viewer = request.getfixturevalue(viewer_name)
    compared = 0
    for filters in _filter_sets(*world):
        orm = _filtered(viewer=viewer, filters=filters, today=dt.date.today())
        for limit, offset, count in itertools.product((3, 50), (0, 3, 6, 60), (True, False)):
            expected, expected_total = _page_of(orm, limit=limit, offset=offset, count=count, only=_CASELOAD_FIELDS)
            page, total = _page_enrolled(
                viewer=viewer, filters=filters, limit=limit, offset=offset, count=count, only=_CASELOAD_FIELDS
            )
            assert ([p.pk for p in page], total) == ([p.pk for p in expected], expected_total), (filters, limit, offset)
            compared += len(page)
    if viewer_name in {"alice", "bob"}:
        assert compared  # the unit's viewers see rows: the comparison is not of empty lists


def test_only_the_caseload_fields_are_loaded(world, alice):
    page, _total = _page_enrolled(
        viewer=alice, filters=PersonFilters(mine_only=True), limit=50, offset=0, count=True, only=_CASELOAD_FIELDS
    )
    assert page
    assert page[0].get_deferred_fields() == {
        f.attname for f in page[0]._meta.concrete_fields if f.attname not in _CASELOAD_FIELDS
    }
