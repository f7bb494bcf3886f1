"""The one access check, persona by persona."""

import pytest

from vagval.access.checks import list_access, person_access, visible_persons
from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.audit.models import AccessBasis
from vagval.people.models import EnrolmentStatus, Protection
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory


def test_alice_sees_persons_enrolled_at_her_unit_on_the_basis_own_unit(alice, alices_person):
    access = person_access(viewer=alice, person=alices_person)
    assert access is not None
    assert access.basis == AccessBasis.OWN_UNIT
    assert access.can_write
    assert list(visible_persons(viewer=alice)) == [alices_person]


def test_charlie_in_another_municipality_does_not_see_alices_person(charlie, alices_person):
    assert person_access(viewer=charlie, person=alices_person) is None
    assert alices_person not in visible_persons(viewer=charlie)


def test_bob_sees_but_may_not_write(bob, alices_person):
    access = person_access(viewer=bob, person=alices_person)
    assert access is not None
    assert not access.can_write


@pytest.mark.parametrize("persona", ["dana", "erik"])
def test_administrators_and_evaluators_see_no_individuals(request, persona, alices_person):
    viewer = request.getfixturevalue(persona)
    assert person_access(viewer=viewer, person=alices_person) is None
    assert not visible_persons(viewer=viewer).exists()


def test_an_inactive_user_sees_nothing(alice, alices_person):
    alice.is_active = False
    assert person_access(viewer=alice, person=alices_person) is None
    assert not visible_persons(viewer=alice).exists()


def test_a_project_leader_at_the_unit_reads_but_does_not_write(ludvika_unit, alices_person):
    leader = UserFactory(username="leader", unit=ludvika_unit, role=Role.PROJECT_LEADER)
    access = person_access(viewer=leader, person=alices_person)
    assert access is not None
    assert not access.can_write


def test_a_merged_away_record_is_not_visible(alice, alices_person, project):
    newer = PersonFactory()
    EnrolmentFactory(person=newer, project=project, unit=alice.unit)
    alices_person.merged_into = newer
    alices_person.save()
    assert person_access(viewer=alice, person=alices_person) is None
    assert list(visible_persons(viewer=alice)) == [newer]


def test_protected_contact_details_are_for_the_responsible_coach_only(alice, bob, project):
    person = PersonFactory(protection=Protection.PROTECTED_REGISTRATION)
    EnrolmentFactory(person=person, project=project, unit=alice.unit, coach=alice)
    assert person_access(viewer=alice, person=person).sees_contact_details
    assert not person_access(viewer=bob, person=person).sees_contact_details
    assert list_access(viewer=alice, persons=[person])[person.pk].sees_contact_details
    assert not list_access(viewer=bob, persons=[person])[person.pk].sees_contact_details


def test_an_ended_enrolment_no_longer_makes_you_the_responsible_coach(alice, project):
    person = PersonFactory(protection=Protection.CONFIDENTIALITY_MARK)
    EnrolmentFactory(
        person=person,
        project=project,
        unit=alice.unit,
        coach=alice,
        status=EnrolmentStatus.ENDED,
        ends_on="2026-06-01",
    )
    assert not person_access(viewer=alice, person=person).sees_contact_details


def test_an_unprotected_persons_contact_details_are_visible_to_the_unit(bob, alices_person):
    assert person_access(viewer=bob, person=alices_person).sees_contact_details
