"""Reads of placements. Visibility is decided here, on top of the one person access check.

- Own unit: the placement was made by the viewer's unit (Placement.unit), and the viewer sees
  the person on the basis of their own unit. Full read; every change if the viewer may write.
- Consent: any other viewer needs an active consent documented by the placing unit, naming
  the viewer's unit and covering the category "plan" (Plan och insatser: a placement is a
  measure in the plan). Read only. Protected persons are never shared (access.checks).
- A protected person's placement shows its offer, provider and address only to the person's
  responsible coach (PersonAccess.sees_contact_details); colleagues see that there is a placement.

Every read that shows a placement writes an access-log entry with its basis and consent.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext, gettext_lazy

from vagval.access.checks import (
    PersonAccess,
    consent_opening,
    disclosed_records,
    list_access,
    may_see_persons,
    own_unit_id,
    person_access,
)
from vagval.access.scope import Need, scope_for
from vagval.accounts.models import User
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record, access_log_record_many
from vagval.catalogue.capacity import free_places, taken_places, with_places
from vagval.catalogue.models import (
    OCCUPYING_STATUSES,
    OPEN_STATUSES,
    Attendance,
    GroupSession,
    Offer,
    OfferStatus,
    Placement,
    PlacementAssessment,
    PlacementEvent,
    PlacementStatus,
)
from vagval.common import sql
from vagval.common.errors import NotFound, PermissionDenied
from vagval.consent.models import ConsentCategory
from vagval.people.models import Enrolment, EnrolmentStatus, Person

PURPOSE = "casework"
NOT_FOUND = gettext_lazy("Placeringen finns inte eller så saknar du behörighet.")
# The consent category that discloses a placement to another unit.
CATEGORY = ConsentCategory.PLAN


@dataclass(frozen=True)
class PlacementAccess:
    """What the viewer may do with one placement, and on what basis (for the access log)."""

    basis: str
    consent_id: uuid.UUID | None
    is_own: bool
    can_write: bool
    # The offer, provider and address: hidden for a protected person except from the responsible coach.
    sees_details: bool


def placement_access(
    *, viewer: User, placement: Placement, access: PersonAccess | None = None
) -> PlacementAccess | None:
    """The viewer's access to this placement, or None when they may not know it exists."""
    access = access or person_access(viewer=viewer, person=placement.person)
    if access is None:
        return None
    if access.basis == AccessBasis.OWN_UNIT and placement.unit_id == viewer.unit_id:
        return PlacementAccess(
            basis=AccessBasis.OWN_UNIT,
            consent_id=None,
            is_own=True,
            can_write=access.can_write,
            sees_details=access.sees_contact_details,
        )
    consent_id = consent_opening(
        viewer=viewer, person=placement.person, category=CATEGORY, disclosing_unit_id=placement.unit_id
    )
    if consent_id is None:
        return None
    return PlacementAccess(
        basis=AccessBasis.CONSENT, consent_id=consent_id, is_own=False, can_write=False, sees_details=True
    )


def visible_placements(*, viewer: User, person_id: uuid.UUID | None = None) -> QuerySet[Placement]:
    """Every placement the viewer may see: their unit's own, and those a consent discloses.

    The caller still asks placement_access (or list_access) for the rows it shows: the own-unit
    rule needs the person to be visible (not merged) and the details rule needs the coach.
    """
    if not may_see_persons(viewer):
        return Placement.objects.none()
    own = Q(unit_id=viewer.unit_id)
    # One person's placements (`person_id`) need that person's consents only: one condition per
    # consent, and a unit may hold thousands of them (SQLite refuses such an expression tree).
    disclosed = disclosed_records(viewer=viewer, category=CATEGORY, person_id=person_id)
    shared = [Q(person_id=shared_id, unit_id=unit_id) for shared_id, unit_id in disclosed]
    condition = reduce(or_, shared, own)
    placements = Placement.objects.filter(condition, person__merged_into__isnull=True)
    return placements if person_id is None else placements.filter(person_id=person_id)


def _related(queryset: QuerySet[Placement]) -> QuerySet[Placement]:
    return queryset.select_related(
        "person", "enrolment__project", "offer__provider", "offer__municipality", "unit", "coach", "supervisor"
    )


@dataclass(frozen=True)
class PlacementRow:
    placement: Placement
    access: PlacementAccess


def _rows(
    *,
    ctx: AccessContext,
    placements: list[Placement],
    action: str,
    grants: dict[uuid.UUID, PersonAccess] | None = None,
) -> list[PlacementRow]:
    """The placements of a list the viewer may see, each person logged once with its basis.
    `grants`: the persons' access when the caller has it already (the person page)."""
    viewer = ctx.user
    if grants is None:
        grants = list_access(viewer=viewer, persons=list({p.person_id: p.person for p in placements}.values()))
    rows: list[PlacementRow] = []
    for placement in placements:
        p_access = grants.get(placement.person_id)
        if p_access is None:
            continue
        access = placement_access(viewer=viewer, placement=placement, access=p_access)
        if access is not None:
            rows.append(PlacementRow(placement, access))
    logged: dict[uuid.UUID, PlacementRow] = {}
    for row in rows:
        logged.setdefault(row.placement.person_id, row)
    access_log_record_many(
        ctx=ctx,
        action=action,
        grants=[(pid, r.access.basis, r.access.consent_id) for pid, r in logged.items()],
    )
    return rows


# --- One placement ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacementView:
    placement: Placement
    access: PlacementAccess
    events: list[PlacementEvent] = field(default_factory=list)
    assessments: list[PlacementAssessment] = field(default_factory=list)
    attendance: list[Attendance] = field(default_factory=list)
    attended_hours: Decimal = Decimal(0)
    # A place is free and this placement is first on the waiting list: the coach may offer it.
    first_waiting_with_free_place: bool = False

    @property
    def may_change(self) -> bool:
        return self.access.can_write and self.placement.status in OPEN_STATUSES


def _load(placement_id: uuid.UUID) -> Placement | None:
    return _related(Placement.objects.filter(pk=placement_id)).first()


def placement_for_change(*, viewer: User, placement_id: uuid.UUID) -> tuple[Placement, PlacementAccess]:
    """The placement and the viewer's access, or NotFound (no log: the service logs the change)."""
    placement = _load(placement_id)
    access = placement_access(viewer=viewer, placement=placement) if placement is not None else None
    if placement is None or access is None:
        raise NotFound(NOT_FOUND)
    return placement, access


def attended_hours(*, placement: Placement) -> Decimal:
    total = Attendance.objects.filter(placement=placement, attended=True).aggregate(h=Sum("hours"))["h"]
    return Decimal(total or 0)


def is_first_waiting_with_free_place(*, placement: Placement) -> bool:
    """The waiting list's decision (docs/ARCHITECTURE.md): a freed place is not given away
    automatically; the coach of the first on the list sees that a place is free and offers it."""
    if placement.status != PlacementStatus.WAITING or free_places(placement.offer) == 0:
        return False
    first = waiting_list_ids(offer=placement.offer)[:1]
    return first == [placement.pk]


def waiting_list_ids(*, offer: Offer) -> list[uuid.UUID]:
    """The offer's waiting list in order (all units: the order is not personal data)."""
    return list(
        Placement.objects.filter(offer=offer, status=PlacementStatus.WAITING)
        .order_by("waiting_since", "created_at")
        .values_list("pk", flat=True)
    )


def placement_get(*, ctx: AccessContext, placement_id: uuid.UUID, action: str = "placement.viewed") -> PlacementView:
    """One placement with its history, assessments and attendance; logged as `action`."""
    placement, access = placement_for_change(viewer=ctx.user, placement_id=placement_id)
    access_log_record(
        ctx=ctx,
        action=action,
        person_id=placement.person_id,
        basis=access.basis,
        consent_id=access.consent_id,
        detail={"placement": str(placement.pk)},
    )
    return PlacementView(
        placement=placement,
        access=access,
        events=list(placement.events.select_related("created_by").order_by("created_at", "id")),
        assessments=list(
            placement.assessments.select_related("link__response", "link__instrument_version__instrument").order_by(
                "due_on", "created_at"
            )
        ),
        attendance=list(placement.attendances.select_related("session").order_by("session__held_on")),
        attended_hours=attended_hours(placement=placement),
        first_waiting_with_free_place=is_first_waiting_with_free_place(placement=placement),
    )


# --- Lists -------------------------------------------------------------------------------------


def placements_for_person(*, ctx: AccessContext, person: Person, access: PersonAccess) -> list[PlacementRow]:
    """The person's placements the viewer may see (the person page's section, for a person the
    page has admitted with `access`): visible_placements for one person, asked in the order that
    is cheap when there are none, as on most person pages. The person's placements (id and unit)
    are read by hand first (sql.fetch_equal); only those of another unit ask for the consents
    that disclose them, and the rows shown are then read with their offers as before.
    test_person_placements compares it with visible_placements."""
    viewer = ctx.user
    if not may_see_persons(viewer):
        return []
    placed = sql.fetch_equal(Placement, {"person": person.pk}, fields=("id", "unit"))
    others = any(p.unit_id != viewer.unit_id for p in placed)
    disclosed = disclosed_records(viewer=viewer, category=CATEGORY, person_id=person.pk) if others else {}
    ids = [p.pk for p in placed if p.unit_id == viewer.unit_id or (person.pk, p.unit_id) in disclosed]
    if not ids:
        return []
    placements = list(_related(Placement.objects.filter(pk__in=ids)).order_by("-created_at"))
    return _rows(ctx=ctx, placements=placements, action="placement.listed", grants={person.pk: access})


@dataclass(frozen=True)
class OfferPlacements:
    offer: Offer
    capacity: int
    taken: int
    free: int
    placed: list[PlacementRow]
    waiting: list[PlacementRow]
    # Places taken by placements the viewer may not see (other units, protected persons).
    hidden_taken: int
    sessions: list[GroupSession]


def offer_placements(*, ctx: AccessContext, offer: Offer) -> OfferPlacements:
    """An offer's placements and waiting list, only the rows the viewer's scope may see.

    The counts of taken and free places are of every unit (not personal data); a protected
    person's placement is listed only to their responsible coach (it would tell where they are).
    """
    placements = list(
        _related(visible_placements(viewer=ctx.user).filter(offer=offer, status__in=OPEN_STATUSES)).order_by(
            "waiting_since", "created_at"
        )
    )
    rows = [r for r in _rows(ctx=ctx, placements=placements, action="placement.listed") if r.access.sees_details]
    placed = [r for r in rows if r.placement.status != PlacementStatus.WAITING]
    waiting = [r for r in rows if r.placement.status == PlacementStatus.WAITING]
    taken = taken_places(offer)
    shown_taken = sum(1 for r in placed if r.placement.status in OCCUPYING_STATUSES)
    return OfferPlacements(
        offer=offer,
        capacity=offer.capacity,
        taken=taken,
        free=max(offer.capacity - taken, 0),
        placed=placed,
        waiting=waiting,
        hidden_taken=max(taken - shown_taken, 0),
        sessions=list(offer.sessions.order_by("held_on")),
    )


def assessments_due(*, viewer: User, on_or_before: object) -> QuerySet[Placement]:
    """The viewer's unit's started placements whose supervisor assessment is due (to-do list)."""
    if viewer.unit_id is None:
        return Placement.objects.none()
    return Placement.objects.filter(
        unit_id=viewer.unit_id,
        status=PlacementStatus.STARTED,
        assessment_next_due_on__isnull=False,
        assessment_next_due_on__lte=on_or_before,
    ).order_by("assessment_next_due_on")


# --- Forms -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewPlacement:
    person: Person
    enrolments: list[tuple[str, str]]
    offers: list[tuple[str, str]]


def placement_new_get(*, ctx: AccessContext, person_id: uuid.UUID) -> NewPlacement:
    """The person (a writer at their own unit), their active enrolments there and the offers
    that can be chosen (open or full), with their free places."""
    shown = scope_for(ctx, PURPOSE).person(person_id, need=Need.CHANGE, action="person.viewed", related=())
    if shown.access.basis != AccessBasis.OWN_UNIT:
        raise PermissionDenied(gettext_lazy("Bara en enhet där personen deltar kan placera personen."))
    enrolments = [
        (str(e.pk), e.project.name)
        for e in Enrolment.objects.filter(person=shown.person, unit_id=own_unit_id(ctx.user))
        .exclude(status=EnrolmentStatus.ENDED)
        .select_related("project")
    ]
    offers = [
        (
            str(o.pk),
            gettext("%(title)s – %(provider)s (%(free)s av %(capacity)s platser lediga)")
            % {
                "title": o.title,
                "provider": o.provider.name,
                "free": getattr(o, "free_places", 0),
                "capacity": o.capacity,
            },
        )
        for o in with_places(Offer.objects.filter(status__in=[OfferStatus.OPEN, OfferStatus.FULL]))
        .select_related("provider")
        .order_by("title")
    ]
    return NewPlacement(person=shown.person, enrolments=enrolments, offers=offers)


def placement_list(
    *,
    ctx: AccessContext,
    person_id: uuid.UUID | None = None,
    offer_id: uuid.UUID | None = None,
    status: str | None = None,
    limit: int = 500,
) -> list[PlacementRow]:
    """The placements the viewer may see (the API's list), newest first, each person logged."""
    queryset = visible_placements(viewer=ctx.user)
    if person_id is not None:
        queryset = queryset.filter(person_id=person_id)
    if offer_id is not None:
        queryset = queryset.filter(offer_id=offer_id)
    if status is not None:
        queryset = queryset.filter(status=status)
    placements = list(_related(queryset).order_by("-created_at")[:limit])
    return _rows(ctx=ctx, placements=placements, action="placement.listed")
