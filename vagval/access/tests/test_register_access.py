"""A person in the unit's KAA/UVAS register is the unit's own person, like an enrolment."""

from vagval.access.checks import list_access, person_access, visible_persons, visible_persons_per_row
from vagval.audit.models import AccessBasis
from vagval.people.tests.factories import PersonFactory
from vagval.targetgroup.tests.factories import kaa_episode


def test_a_person_in_the_units_register_is_seen_on_the_basis_own_unit(alice, ludvika_unit):
    person = PersonFactory()
    kaa_episode(person, ludvika_unit)
    access = person_access(viewer=alice, person=person)
    assert access is not None
    assert access.basis == AccessBasis.OWN_UNIT
    assert person in visible_persons(viewer=alice)
    assert person in visible_persons_per_row(viewer=alice)
    assert person.pk in list_access(viewer=alice, persons=[person])


def test_a_closed_register_episode_keeps_the_history_visible_to_the_unit(alice, ludvika_unit):
    person = PersonFactory()
    kaa_episode(person, ludvika_unit, closed=True)
    assert person_access(viewer=alice, person=person) is not None


def test_another_units_register_entry_gives_no_access(charlie, ludvika_unit):
    person = PersonFactory()
    kaa_episode(person, ludvika_unit)
    assert person_access(viewer=charlie, person=person) is None
    assert person not in visible_persons(viewer=charlie)
    assert person not in visible_persons_per_row(viewer=charlie)
