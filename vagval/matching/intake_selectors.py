"""Reads for intakes: a whole intake (a summer-job round, a 2CS term) matched at once.

An intake belongs to the unit that made it: another unit gets 404. Its persons are shown through
the scope (each logged, with the basis); a person the unit no longer sees is left out.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _

from vagval.access.scope import ScopedPerson, scope_for
from vagval.accounts.models import Role, User
from vagval.audit.services import AccessContext
from vagval.catalogue.capacity import with_places
from vagval.catalogue.models import Offer, OfferStatus
from vagval.common.errors import NotFound, PermissionDenied
from vagval.matching.models import IntakePair, IntakePerson, MatchingIntake
from vagval.people.models import Enrolment, EnrolmentStatus, Person

PURPOSE = "matching"
INTAKE_NOT_FOUND = "Intaget finns inte eller så saknar du behörighet."


def require_intake_role(user: User) -> None:
    """Intakes are the work of coaches at a unit."""
    if not user.unit_id or user.role not in (Role.COACH, Role.PROJECT_LEADER):
        raise PermissionDenied(_("Intag görs av coacher."))


def require_intake_writer(user: User) -> None:
    require_intake_role(user)
    if user.read_only:
        raise PermissionDenied(_("Du har endast läsbehörighet."))


def intakes_for_unit(*, viewer: User) -> list[MatchingIntake]:
    if not viewer.unit_id:
        return []
    return list(MatchingIntake.objects.filter(unit_id=viewer.unit_id).select_related("project"))


def intake_get(*, viewer: User, intake_id: uuid.UUID, for_update: bool = False) -> MatchingIntake:
    queryset = MatchingIntake.objects.select_for_update() if for_update else MatchingIntake.objects
    intake = queryset.filter(pk=intake_id).first()
    if intake is None or viewer.unit_id is None or intake.unit_id != viewer.unit_id:
        raise NotFound(_(INTAKE_NOT_FOUND))
    return intake


def candidate_persons(*, ctx: AccessContext) -> list[ScopedPerson]:
    """The persons the coach may put in an intake: enrolled at the coach's unit, not ended;
    each shown is logged (person.listed)."""
    unit_id = ctx.user.unit_id
    if unit_id is None:
        return []
    ids = (
        Enrolment.objects.filter(unit_id=unit_id)
        .exclude(status=EnrolmentStatus.ENDED)
        .values_list("person_id", flat=True)
        .distinct()
    )
    persons = list(Person.objects.filter(pk__in=ids).order_by("last_name", "first_name")[:500])
    return scope_for(ctx, PURPOSE).shown(persons, action="person.listed")


def candidate_offers() -> list[Offer]:
    return list(with_places(Offer.objects.filter(status=OfferStatus.OPEN)).select_related("provider")[:500])


@dataclass(frozen=True)
class PairRow:
    person: Person
    offer: Offer | None
    score: int | None
    changed_reason: str
    # A protected person's offer (provider, address) is for the responsible coach only, as for
    # a placement: colleagues see that the person is in the intake, not where they would go.
    hidden: bool = False


@dataclass
class IntakeView:
    intake: MatchingIntake
    rows: list[PairRow]
    offers: list[Offer]
    may_write: bool

    @property
    def placed(self) -> int:
        return sum(1 for row in self.rows if row.offer is not None)


def intake_view(*, ctx: AccessContext, intake_id: uuid.UUID) -> IntakeView:
    viewer = ctx.user
    intake = intake_get(viewer=viewer, intake_id=intake_id)
    persons = list(
        Person.objects.filter(pk__in=IntakePerson.objects.filter(intake=intake).values("person_id")).order_by(
            "last_name", "first_name"
        )
    )
    shown = scope_for(ctx, PURPOSE).shown(persons, action="person.listed")
    pairs = {p.person_id: p for p in IntakePair.objects.filter(intake=intake).select_related("offer")}
    rows = [
        PairRow(
            s.person,
            pairs[s.person.pk].offer if s.person.pk in pairs else None,
            pairs[s.person.pk].score if s.person.pk in pairs else None,
            pairs[s.person.pk].changed_reason if s.person.pk in pairs else "",
            hidden=not s.access.sees_contact_details,
        )
        for s in shown
    ]
    offers = list(
        with_places(Offer.objects.filter(pk__in=intake.offers.values("offer_id")))
        .select_related("provider")
        .order_by("title")
    )
    may_write = viewer.role in (Role.COACH, Role.PROJECT_LEADER) and not viewer.read_only
    return IntakeView(intake, rows, offers, may_write)
