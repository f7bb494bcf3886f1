"""consents_expiring reads by hand (vagval.common.sql): the same consents, in the same order,
with the same persons loaded, as the ORM query it replaced."""

import datetime as dt

import pytest
from django.utils import timezone

from vagval.access.checks import consent_active_q
from vagval.consent import selectors
from vagval.consent.models import Consent
from vagval.consent.selectors import EXPIRY_WARNING_DAYS
from vagval.consent.tests.factories import share
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.models import Enrolment, EnrolmentStatus
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

DAY = dt.date(2026, 6, 15)


def _orm_expiring(viewer, today):
    """The ORM query consents_expiring ran before (ties broken by id, as the fast read does)."""
    my_persons = (
        Enrolment.objects.filter(coach=viewer, unit_id=viewer.unit_id)
        .exclude(status=EnrolmentStatus.ENDED)
        .values("person_id")
    )
    last = today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    consents = (
        Consent.objects.filter(
            consent_active_q(today=today), unit_id=viewer.unit_id, valid_to__lte=last, person_id__in=my_persons
        )
        .select_related("person")
        .order_by("valid_to", "pk")
    )
    return [(c.pk, c.person.full_name, c.person_id, c.valid_to, (c.valid_to - today).days) for c in consents]


@pytest.fixture
def expiring_world(alice, bob, charlie, af_unit, project):
    """alice's persons with consents ending on the same day (a tie), later, after the 30 days,
    withdrawn, expired and not yet valid; one whose enrolment ended; one enrolled with alice
    twice; bob's person at the same unit; a consent charlie's unit documented for alice's person."""

    def enrolled(coach, status=EnrolmentStatus.ACTIVE, **extra):
        person = PersonFactory(unit=coach.unit)
        ends = {"ends_on": DAY} if status == EnrolmentStatus.ENDED else {}
        EnrolmentFactory(person=person, project=project, unit=coach.unit, coach=coach, status=status, **ends, **extra)
        return person

    def consent(person, by, valid_to, **extra):
        return share(
            person,
            documented_by=by,
            to_unit=af_unit,
            valid_from=DAY - dt.timedelta(days=100),
            valid_to=valid_to,
            **extra,
        )

    tie_a, tie_b, later, paused = (enrolled(alice) for _ in range(4))
    for person in (tie_a, tie_b):
        consent(person, alice, DAY + dt.timedelta(days=3))
    consent(later, alice, DAY + dt.timedelta(days=EXPIRY_WARNING_DAYS))
    consent(later, alice, DAY + dt.timedelta(days=EXPIRY_WARNING_DAYS + 1))
    consent(paused, alice, DAY)
    Enrolment.objects.filter(person=paused).update(status=EnrolmentStatus.PAUSED)
    twice = enrolled(alice)
    EnrolmentFactory(
        person=twice, project=ProjectFactory(), unit=alice.unit, coach=alice, status=EnrolmentStatus.PLANNED
    )
    consent(twice, alice, DAY + dt.timedelta(days=7))
    consent(enrolled(alice), alice, DAY + dt.timedelta(days=5), withdrawn_at=timezone.now())
    consent(enrolled(alice), alice, DAY - dt.timedelta(days=1))
    future = enrolled(alice)
    share(
        future,
        documented_by=alice,
        to_unit=af_unit,
        valid_from=DAY + dt.timedelta(days=1),
        valid_to=DAY + dt.timedelta(days=9),
    )
    consent(enrolled(alice, EnrolmentStatus.ENDED), alice, DAY + dt.timedelta(days=2))
    consent(enrolled(bob), bob, DAY + dt.timedelta(days=2))
    EnrolmentFactory(person=tie_a, project=project, unit=charlie.unit, coach=charlie)
    consent(tie_a, charlie, DAY + dt.timedelta(days=1))


@pytest.mark.parametrize("offset", [-200, -101, -1, 0, 1, 3, 10, 31])
@pytest.mark.parametrize("viewer_fixture", ["alice", "bob", "charlie"])
def test_the_fast_read_gives_what_the_orm_query_gave(expiring_world, viewer_fixture, offset, request):
    viewer = request.getfixturevalue(viewer_fixture)
    day = DAY + dt.timedelta(days=offset)
    fast = [
        (e.consent.pk, e.consent.person.full_name, e.consent.person_id, e.consent.valid_to, e.days_left)
        for e in selectors.consents_expiring(viewer=viewer, today=day)
    ]
    assert fast == _orm_expiring(viewer, day)
    if viewer_fixture == "alice" and offset == 0:
        assert [days for *_rest, days in fast] == [0, 3, 3, 7, 30]  # the tie in id order


def test_the_consents_read_are_whole_with_their_person(expiring_world, alice):
    (first, *_rest) = selectors.consents_expiring(viewer=alice, today=DAY)
    stored = Consent.objects.select_related("person").get(pk=first.consent.pk)
    for field in Consent._meta.concrete_fields:
        assert getattr(first.consent, field.attname) == getattr(stored, field.attname)
    for field in type(stored.person)._meta.concrete_fields:
        assert getattr(first.consent.person, field.attname) == getattr(stored.person, field.attname)


def test_an_empty_answer_costs_one_query(expiring_world, charlie, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert selectors.consents_expiring(viewer=charlie, today=DAY + dt.timedelta(days=60)) == []
