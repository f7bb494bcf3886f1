"""The one access check: may this viewer see this person, on what basis, and how much?

Every page, API endpoint, export and search decides visibility of a person here and
nowhere else. Today the only basis is an enrolment at the viewer's own unit (every unit is
its own secrecy domain); consent-based partner access plugs in here as a second basis.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from vagval.accounts.models import Role, User
from vagval.audit.models import AccessBasis
from vagval.common.errors import PermissionDenied
from vagval.people.models import Enrolment, EnrolmentStatus, Person

# Roles that never see an individual's identity through the person pages or API:
# the evaluator only gets pseudonymised data; a pure administrator manages the system.
ROLES_WITHOUT_PERSON_ACCESS = frozenset({Role.EVALUATOR, Role.ADMIN})
# Roles that may change a person's record at their own unit.
ROLES_THAT_WRITE = frozenset({Role.COACH, Role.KAA, Role.PARTNER})


@dataclass(frozen=True)
class PersonAccess:
    person_id: uuid.UUID
    basis: str
    consent_id: uuid.UUID | None
    can_write: bool
    # Address and contact details of a protected person: only the responsible coach.
    sees_contact_details: bool


def own_unit_id(viewer: User) -> uuid.UUID:
    """The viewer's unit (their secrecy domain); users without one have no person access."""
    if viewer.unit_id is None:
        raise PermissionDenied("Du hör inte till någon enhet.")
    return viewer.unit_id


def _may_see_persons(viewer: User) -> bool:
    return bool(viewer.is_active and viewer.unit_id and viewer.role not in ROLES_WITHOUT_PERSON_ACCESS)


def visible_persons(*, viewer: User) -> QuerySet[Person]:
    """All persons the viewer may see, as a queryset to filter further (lists, search, API)."""
    if not _may_see_persons(viewer):
        return Person.objects.none()
    at_own_unit = Enrolment.objects.filter(person=OuterRef("pk"), unit_id=own_unit_id(viewer))
    return Person.objects.filter(Exists(at_own_unit), merged_into__isnull=True)


def is_responsible_coach(*, viewer: User, person: Person) -> bool:
    return Enrolment.objects.filter(person=person, coach=viewer).exclude(status=EnrolmentStatus.ENDED).exists()


def person_access(*, viewer: User, person: Person) -> PersonAccess | None:
    """The viewer's access to one person, or None when they may not know the person exists."""
    if not _may_see_persons(viewer) or person.merged_into_id is not None:
        return None
    if not Enrolment.objects.filter(person=person, unit_id=own_unit_id(viewer)).exists():
        return None
    responsible = is_responsible_coach(viewer=viewer, person=person)
    return PersonAccess(
        person_id=person.pk,
        basis=AccessBasis.OWN_UNIT,
        consent_id=None,
        can_write=viewer.can_write and viewer.role in ROLES_THAT_WRITE,
        sees_contact_details=(not person.is_protected) or responsible,
    )


def list_access(*, viewer: User, persons: list[Person]) -> dict[uuid.UUID, PersonAccess]:
    """Access for a page of persons already filtered by visible_persons(), in two queries."""
    ids = [p.pk for p in persons]
    responsible_for = set(
        Enrolment.objects.filter(person_id__in=ids, coach=viewer)
        .exclude(status=EnrolmentStatus.ENDED)
        .values_list("person_id", flat=True)
    )
    can_write = viewer.can_write and viewer.role in ROLES_THAT_WRITE
    return {
        p.pk: PersonAccess(
            person_id=p.pk,
            basis=AccessBasis.OWN_UNIT,
            consent_id=None,
            can_write=can_write,
            sees_contact_details=(not p.is_protected) or p.pk in responsible_for,
        )
        for p in persons
    }
