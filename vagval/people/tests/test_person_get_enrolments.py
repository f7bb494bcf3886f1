"""person_get reads the person's enrolments at the viewer's unit by hand: the same rows, order and
related rows (project, unit and organisation, coach, method) as the queryset it stands for."""

import datetime as dt

from conftest import ctx_for
from vagval.organisations.tests.factories import MethodFactory
from vagval.people import selectors
from vagval.people.models import EnrolmentStatus
from vagval.people.tests.factories import EnrolmentFactory


def _shown(enrolments):
    return [
        (e.pk, e.status, e.starts_on, e.project.name, str(e.unit), str(e.coach) if e.coach else None, str(e.method))
        for e in enrolments
    ]


def test_the_enrolments_are_the_querysets(alice, bob, charlie, alices_person):
    method = MethodFactory(name="IPS")
    EnrolmentFactory(person=alices_person, unit=alice.unit, coach=bob, method=method, starts_on=dt.date(2026, 3, 1))
    EnrolmentFactory(
        person=alices_person, unit=alice.unit, coach=None, status=EnrolmentStatus.PLANNED, starts_on=dt.date(2026, 5, 1)
    )
    EnrolmentFactory(person=alices_person, unit=charlie.unit, coach=charlie)  # another unit's: not shown
    view = selectors.person_get(viewer=alice, ctx=ctx_for(alice), person_id=alices_person.pk)
    expected = (
        alices_person.enrolments.filter(unit_id=alice.unit_id)
        .select_related("project", "unit__organisation", "coach", "method")
        .order_by("-starts_on")
    )
    assert _shown(view.enrolments) == _shown(expected)
    assert len(view.enrolments) == 3
    assert all(e.person is view.person for e in view.enrolments)


def test_a_person_without_enrolments_at_the_unit_has_none(alice, charlies_person):
    assert selectors._unit_enrolments(alice, charlies_person) == []
