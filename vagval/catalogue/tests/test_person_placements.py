"""The person page's placements (placements_for_person) against visible_placements for the person:
the same rows, order, access and access-log entries for each persona."""

import datetime as dt

import pytest

from conftest import ctx_for
from vagval.access.checks import person_access
from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.audit.models import AccessLogEntry
from vagval.catalogue import placement_selectors as selectors
from vagval.catalogue.tests.factories import PlacementFactory
from vagval.consent.models import ConsentCategory
from vagval.consent.tests.factories import share
from vagval.people.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def placements(alice, charlie, ifo_like_unit, af_unit, alices_person, alices_enrolment):
    """Two at alice's unit, one at charlie's (disclosed to alice's unit by a consent covering
    plan), one at a third unit (its consent names only identity); alice's unit shares plans with
    Arbetsförmedlingen."""
    at_charlie = EnrolmentFactory(person=alices_person, unit=charlie.unit, coach=charlie)
    at_third = EnrolmentFactory(person=alices_person, unit=ifo_like_unit)
    made = [
        PlacementFactory(enrolment=alices_enrolment, starts_on=dt.date(2026, 3, 2)),
        PlacementFactory(enrolment=alices_enrolment, starts_on=dt.date(2026, 4, 2)),
        PlacementFactory(enrolment=at_charlie),
        PlacementFactory(enrolment=at_third),
    ]
    share(alices_person, documented_by=charlie, to_unit=alice.unit, categories=[ConsentCategory.PLAN])
    share(alices_person, documented_by=alice, to_unit=af_unit, categories=[ConsentCategory.PLAN])
    third_user = UserFactory(unit=ifo_like_unit, role=Role.COACH)
    share(alices_person, documented_by=third_user, to_unit=alice.unit, categories=[ConsentCategory.IDENTITY])
    return made


@pytest.fixture
def ifo_like_unit(ludvika_unit):
    from vagval.organisations.tests.factories import UnitFactory

    return UnitFactory(organisation=ludvika_unit.organisation, name="Socialtjänsten")


@pytest.fixture
def alices_enrolment(alices_person):
    return alices_person.enrolments.get()


def _rows(rows):
    return [(r.placement.pk, r.access, r.placement.offer.title, str(r.placement.unit)) for r in rows]


def _last():
    last = AccessLogEntry.objects.order_by("pk").last()
    return last.pk if last else 0


def _entries(after, upto=None):
    entries = AccessLogEntry.objects.filter(pk__gt=after).order_by("pk")
    entries = entries.filter(pk__lte=upto) if upto is not None else entries
    return [(e.action, e.person_id, e.basis, e.consent_id) for e in entries]


@pytest.mark.parametrize("persona", ["alice", "bob", "frida", "charlie"])
def test_it_gives_the_rows_and_entries_of_visible_placements(request, persona, placements, alices_person):
    viewer = request.getfixturevalue(persona)
    ctx = ctx_for(viewer)
    old_placements = list(
        selectors._related(selectors.visible_placements(viewer=viewer, person_id=alices_person.pk)).order_by(
            "-created_at"
        )
    )
    start = _last()
    old = selectors._rows(ctx=ctx, placements=old_placements, action="placement.listed")
    middle = _last()
    access = person_access(viewer=viewer, person=alices_person)
    new = selectors.placements_for_person(ctx=ctx, person=alices_person, access=access)
    assert _rows(new) == _rows(old)
    assert _entries(middle) == _entries(start, middle)
    expected = {"alice": 3, "bob": 3, "frida": 2, "charlie": 1}[persona]
    assert len(new) == expected
