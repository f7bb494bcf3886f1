"""visible_persons_enrolled: visible_persons narrowed to an enrolment filter at the viewer's unit."""

import datetime as dt

from django.db.models import Q

from vagval.access.checks import visible_persons, visible_persons_enrolled
from vagval.accounts.models import Role
from vagval.people.models import Enrolment, EnrolmentStatus, Protection
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory


def _as_narrowed(viewer, condition):
    enrolled = Enrolment.objects.filter(condition, unit_id=viewer.unit_id).values("person_id")
    return set(visible_persons(viewer=viewer).filter(pk__in=enrolled).values_list("pk", flat=True))


def test_the_same_persons_as_visible_persons_with_the_enrolment_filter(alice, bob, charlie, project):
    mine = EnrolmentFactory(unit=alice.unit, project=project, coach=alice).person
    protected = EnrolmentFactory(
        unit=alice.unit,
        project=project,
        coach=alice,
        person=PersonFactory(protection=Protection.PROTECTED_REGISTRATION),
    ).person
    ended = EnrolmentFactory(
        unit=alice.unit, project=project, coach=alice, status=EnrolmentStatus.ENDED, ends_on=dt.date(2026, 3, 1)
    ).person
    EnrolmentFactory(unit=alice.unit, project=project, coach=bob)
    EnrolmentFactory(unit=charlie.unit, project=project, coach=alice)  # another unit: not alice's basis
    merged = EnrolmentFactory(unit=alice.unit, project=project, coach=alice).person
    merged.merged_into = mine
    merged.save()

    for viewer in (alice, bob, charlie):
        for condition in (Q(coach=viewer), Q(project=project), Q(status=EnrolmentStatus.ENDED), Q(coach=alice)):
            found = set(visible_persons_enrolled(viewer=viewer, enrolment=condition).values_list("pk", flat=True))
            assert found == _as_narrowed(viewer, condition)
    assert set(visible_persons_enrolled(viewer=alice, enrolment=Q(coach=alice)).values_list("pk", flat=True)) == {
        mine.pk,
        protected.pk,
        ended.pk,
    }


def test_nobody_for_viewers_without_person_access(alice, project):
    EnrolmentFactory(unit=alice.unit, project=project, coach=alice)
    alice.role = Role.EVALUATOR
    assert not visible_persons_enrolled(viewer=alice, enrolment=Q(project=project)).exists()
    alice.role = Role.COACH
    alice.is_active = False
    assert not visible_persons_enrolled(viewer=alice, enrolment=Q(project=project)).exists()
