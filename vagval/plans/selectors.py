"""Reads of plans. Visibility is decided here, on top of the one person access check.

- Own unit: the plan is kept by the viewer's unit and the viewer sees the person on the basis
  of their own unit. Full read; every change if the viewer may write.
- Consent: any other viewer needs a valid consent naming their unit that covers the category
  "plan". They read the plan, and a writer may add and change the steps their own unit is
  responsible for, nothing else. Protected persons are never shared (the access check says so).

Every read that shows plan content writes one access-log entry with the basis and the consent.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.access.checks import (
    ROLES_THAT_WRITE,
    PersonAccess,
    consent_opening,
    own_unit_id,
    person_access,
)
from vagval.access.scope import scope_for
from vagval.accounts.models import User
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.common.errors import NotFound, PermissionDenied
from vagval.consent.models import ConsentCategory
from vagval.organisations.models import Project
from vagval.people.models import Enrolment, EnrolmentStatus, Person
from vagval.plans.models import Plan, PlanStep, PlanVersion
from vagval.plans.pdf import render_pdf
from vagval.plans.snapshots import PlanState, plan_snapshot, plan_state

NOT_FOUND = gettext_lazy("Planen finns inte eller så saknar du behörighet.")
PURPOSE = "casework"  # the scope's purpose for the plan pages and services
READ_ONLY = gettext_lazy("Du har endast läsbehörighet.")
ONLY_OWN_STEPS = gettext_lazy("Du kan bara ändra de steg som din egen enhet ansvarar för.")
PLAN_CLOSED = gettext_lazy("Planen fortsätter i ett annat projekt. Gör ändringar i den nya planen.")


@dataclass(frozen=True)
class PlanAccess:
    """What the viewer may do with one plan, and on what basis (for the access log)."""

    basis: str
    consent_id: uuid.UUID | None
    # The plan is kept by the viewer's own unit.
    is_own: bool
    # May change everything (own unit, not read-only).
    can_write: bool
    # A partner who may write: may add and change the steps this unit is responsible for.
    step_unit_id: uuid.UUID | None = None

    @property
    def may_add_steps(self) -> bool:
        return self.can_write or self.step_unit_id is not None

    def may_change_step(self, *, responsible_unit_id: uuid.UUID | str | None) -> bool:
        if self.can_write:
            return True
        return self.step_unit_id is not None and str(responsible_unit_id) == str(self.step_unit_id)


def _plan_consent_id(*, viewer: User, plan: Plan) -> uuid.UUID | None:
    """The consent, documented by the plan's unit, that opens this plan to the viewer."""
    return consent_opening(
        viewer=viewer, person=plan.person, category=ConsentCategory.PLAN, disclosing_unit_id=plan.unit_id
    )


def _partner_step_unit(viewer: User) -> uuid.UUID | None:
    if viewer.can_write and viewer.role in ROLES_THAT_WRITE and viewer.unit_id:
        return viewer.unit_id
    return None


def plan_enrolment_ended(*, plan: Plan) -> bool:
    """Whether the young person has left the plan's project at the plan's unit (issue 12).

    The one rule for "the plan is read-only for partners after an exit": plan_access gives a
    partner no step unit then, so every page, form and service that asks plan_access agrees.
    """
    return Enrolment.objects.filter(
        person_id=plan.person_id, project_id=plan.project_id, unit_id=plan.unit_id, status=EnrolmentStatus.ENDED
    ).exists()


def plan_access(*, viewer: User, plan: Plan, access: PersonAccess | None = None) -> PlanAccess | None:
    """The viewer's access to this plan, or None when they may not know it exists."""
    access = access or person_access(viewer=viewer, person=plan.person)
    if access is None:
        return None
    if access.basis == AccessBasis.OWN_UNIT and plan.unit_id == viewer.unit_id:
        return PlanAccess(basis=AccessBasis.OWN_UNIT, consent_id=None, is_own=True, can_write=access.can_write)
    consent_id = _plan_consent_id(viewer=viewer, plan=plan)
    if consent_id is None:
        return None
    return PlanAccess(
        basis=AccessBasis.CONSENT,
        consent_id=consent_id,
        is_own=False,
        can_write=False,
        step_unit_id=None if plan_enrolment_ended(plan=plan) else _partner_step_unit(viewer),
    )


def _log(*, ctx: AccessContext, action: str, plan: Plan, access: PlanAccess, detail: dict[str, Any] | None) -> None:
    access_log_record(
        ctx=ctx,
        action=action,
        person_id=plan.person_id,
        basis=access.basis,
        consent_id=access.consent_id,
        detail={"plan": str(plan.pk), **(detail or {})},
    )


# --- One plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainLink:
    """Another plan in the person's chain of continued plans."""

    plan_id: uuid.UUID
    project_name: str
    visible: bool


@dataclass(frozen=True)
class PlanView:
    plan: Plan
    person: Person
    person_access: PersonAccess
    access: PlanAccess
    state: PlanState
    # Earlier plans this one continues, nearest first; and the plan that continues this one.
    earlier: list[ChainLink] = field(default_factory=list)
    later: ChainLink | None = None

    @property
    def is_closed(self) -> bool:
        return self.later is not None

    @property
    def may_edit(self) -> bool:
        return self.access.can_write and not self.is_closed

    @property
    def may_add_steps(self) -> bool:
        return self.access.may_add_steps and not self.is_closed

    @property
    def changeable_step_ids(self) -> frozenset[str]:
        if self.is_closed:
            return frozenset()
        return frozenset(
            s.id
            for s in self.state.steps
            if s.is_open and self.access.may_change_step(responsible_unit_id=s.responsible_unit_id)
        )

    @property
    def editable_step_ids(self) -> frozenset[str]:
        """Steps whose details may be corrected (also ended ones, for the own unit)."""
        if self.is_closed:
            return frozenset()
        return frozenset(
            s.id for s in self.state.steps if self.access.may_change_step(responsible_unit_id=s.responsible_unit_id)
        )

    @property
    def shows_address(self) -> bool:
        """The address is never printed for a protected person, and only to those who see contacts."""
        return not self.person.is_protected and self.person_access.sees_contact_details


def _load(plan_id: uuid.UUID) -> Plan | None:
    return (
        Plan.objects.select_related(
            "person", "project", "unit__organisation", "overall_responsibility__organisation", "created_by"
        )
        .filter(pk=plan_id)
        .first()
    )


def _chain(*, viewer: User, plan: Plan) -> tuple[list[ChainLink], ChainLink | None]:
    """The plans before and after this one, marked with whether the viewer may open them."""
    earlier: list[ChainLink] = []
    seen = {plan.pk}
    current = plan
    while current.previous_id and current.previous_id not in seen:
        previous = _load(current.previous_id)
        if previous is None:
            break
        seen.add(previous.pk)
        earlier.append(
            ChainLink(
                plan_id=previous.pk,
                project_name=previous.project.name,
                visible=plan_access(viewer=viewer, plan=previous) is not None,
            )
        )
        current = previous
    successor = Plan.objects.select_related("person", "project").filter(previous=plan).first()
    later = (
        ChainLink(
            plan_id=successor.pk,
            project_name=successor.project.name,
            visible=plan_access(viewer=viewer, plan=successor) is not None,
        )
        if successor
        else None
    )
    return earlier, later


def _view(*, viewer: User, plan_id: uuid.UUID) -> PlanView:
    plan = _load(plan_id)
    if plan is None or plan.person.merged_into_id is not None:
        raise NotFound(NOT_FOUND)
    p_access = scope_for(AccessContext(user=viewer), PURPOSE).admit(plan.person, not_found=NOT_FOUND).access
    access = plan_access(viewer=viewer, plan=plan, access=p_access)
    if access is None:
        raise NotFound(NOT_FOUND)
    earlier, later = _chain(viewer=viewer, plan=plan)
    return PlanView(
        plan=plan,
        person=plan.person,
        person_access=p_access,
        access=access,
        state=plan_state(plan_snapshot(plan=plan)),
        earlier=earlier,
        later=later,
    )


def plan_get(
    *,
    viewer: User,
    ctx: AccessContext,
    plan_id: uuid.UUID,
    action: str = "plan.viewed",
    detail: dict[str, Any] | None = None,
) -> PlanView:
    """The current plan as the viewer may see it; logs one entry. Raises NotFound otherwise."""
    view = _view(viewer=viewer, plan_id=plan_id)
    _log(ctx=ctx, action=action, plan=view.plan, access=view.access, detail=detail)
    return view


def plan_view_record(*, ctx: AccessContext, view: PlanView, action: str = "plan.viewed", **detail: Any) -> None:
    """Log that a page showed the plan (for pages built on the *_for_change selectors)."""
    _log(ctx=ctx, action=action, plan=view.plan, access=view.access, detail=detail)


def plan_get_for_change(*, viewer: User, plan_id: uuid.UUID) -> PlanView:
    """A plan whose header, goals and participants the viewer may change. Does not log."""
    view = _view(viewer=viewer, plan_id=plan_id)
    if not view.access.is_own:
        raise PermissionDenied(_("Bara den samordnande enheten kan ändra planens mål och deltagare."))
    if not view.access.can_write:
        raise PermissionDenied(READ_ONLY)
    if view.is_closed:
        raise PermissionDenied(PLAN_CLOSED)
    return view


def plan_get_for_new_step(*, viewer: User, plan_id: uuid.UUID) -> PlanView:
    """A plan the viewer may add steps to (own unit writer, or partner writer). Does not log."""
    view = _view(viewer=viewer, plan_id=plan_id)
    if not view.access.may_add_steps:
        raise PermissionDenied(READ_ONLY)
    if view.is_closed:
        raise PermissionDenied(PLAN_CLOSED)
    return view


def step_get_for_change(*, viewer: User, plan_id: uuid.UUID, step_id: uuid.UUID) -> tuple[PlanView, PlanStep]:
    """A step the viewer may change or end. Does not log."""
    view = _view(viewer=viewer, plan_id=plan_id)
    step = PlanStep.objects.select_related("responsible_unit__organisation").filter(pk=step_id, plan=view.plan).first()
    if step is None:
        raise NotFound(_("Steget finns inte eller så saknar du behörighet."))
    if not view.access.may_change_step(responsible_unit_id=step.responsible_unit_id):
        raise PermissionDenied(READ_ONLY if view.access.is_own else ONLY_OWN_STEPS)
    if view.is_closed:
        raise PermissionDenied(PLAN_CLOSED)
    return view, step


# --- History -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    number: int
    change_label: str
    created_at: dt.datetime
    created_by: str
    created_by_unit_name: str


def plan_versions(*, viewer: User, ctx: AccessContext, plan_id: uuid.UUID) -> tuple[PlanView, list[VersionRow]]:
    """Every kept version of the plan, newest first; logs one entry."""
    view = plan_get(viewer=viewer, ctx=ctx, plan_id=plan_id, action="plan.versions_viewed")
    rows = [
        VersionRow(
            number=v.number,
            change_label=v.get_change_display(),
            created_at=v.created_at,
            created_by=str(v.created_by),
            created_by_unit_name=v.created_by_unit_name,
        )
        for v in PlanVersion.objects.filter(plan=view.plan).select_related("created_by").order_by("-number")
    ]
    return view, rows


@dataclass(frozen=True)
class VersionView:
    plan_view: PlanView
    row: VersionRow
    state: PlanState
    latest: int


def plan_version_get(*, viewer: User, ctx: AccessContext, plan_id: uuid.UUID, number: int) -> VersionView:
    """One kept version of the plan exactly as it was saved; logs one entry."""
    view = _view(viewer=viewer, plan_id=plan_id)
    version = PlanVersion.objects.select_related("created_by").filter(plan=view.plan, number=number).first()
    if version is None:
        raise NotFound(_("Versionen finns inte."))
    _log(ctx=ctx, action="plan.version_viewed", plan=view.plan, access=view.access, detail={"version": number})
    return VersionView(
        plan_view=view,
        row=VersionRow(
            number=version.number,
            change_label=version.get_change_display(),
            created_at=version.created_at,
            created_by=str(version.created_by),
            created_by_unit_name=version.created_by_unit_name,
        ),
        state=plan_state(version.snapshot),
        latest=view.plan.version,
    )


# --- A person's plans ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    plan: Plan
    is_own: bool
    continued_in_project: str
    last_changed: dt.datetime | None


@dataclass(frozen=True)
class PersonPlans:
    person: Person
    access: PersonAccess
    rows: list[PlanRow]
    may_create: bool
    # Projects at the viewer's unit the person takes part in and that have no plan there yet.
    creatable_projects: list[Project]


def _creatable_projects(*, unit_id: uuid.UUID, person: Person) -> list[Project]:
    planned = Plan.objects.filter(person=person, unit_id=unit_id).values("project_id")
    return list(
        Project.objects.filter(
            pk__in=Enrolment.objects.filter(person=person, unit_id=unit_id).values("project_id")
        ).exclude(pk__in=planned)
    )


def person_plans(*, viewer: User, ctx: AccessContext, person_id: uuid.UUID) -> PersonPlans:
    """The person's plans the viewer may see; logs the listing. NotFound without plan access."""
    shown = scope_for(ctx, PURPOSE).person(person_id, action=None, related=())
    person, access = shown.person, shown.access
    own = access.basis == AccessBasis.OWN_UNIT
    unit_id = own_unit_id(viewer)
    plan_list: list[Plan] = []
    consent_ids: list[uuid.UUID] = []
    for plan in Plan.objects.filter(person=person).select_related("project", "unit__organisation", "person"):
        if own and plan.unit_id == unit_id:
            plan_list.append(plan)
            continue
        consent_id = _plan_consent_id(viewer=viewer, plan=plan)
        if consent_id is not None:
            plan_list.append(plan)
            consent_ids.append(consent_id)
    if not own and not plan_list:
        raise NotFound(_("Personen finns inte eller så saknar du behörighet."))
    plan_list.sort(key=lambda p: p.created_at, reverse=True)
    successors = {
        p.previous_id: p.project.name
        for p in Plan.objects.filter(previous__in=plan_list).select_related("project")
        if p.previous_id
    }
    last_changed = {
        v.plan_id: v.created_at for v in PlanVersion.objects.filter(plan__in=plan_list).order_by("plan_id", "number")
    }
    rows = [
        PlanRow(
            plan=p,
            is_own=own and p.unit_id == unit_id,
            continued_in_project=successors.get(p.pk, ""),
            last_changed=last_changed.get(p.pk),
        )
        for p in plan_list
    ]
    with transaction.atomic():
        if own:
            access_log_record(ctx=ctx, action="plan.listed", person_id=person.pk, basis=AccessBasis.OWN_UNIT)
        for consent_id in dict.fromkeys(consent_ids):
            access_log_record(
                ctx=ctx, action="plan.listed", person_id=person.pk, basis=AccessBasis.CONSENT, consent_id=consent_id
            )
    may_create = own and access.can_write
    return PersonPlans(
        person=person,
        access=access,
        rows=rows,
        may_create=may_create,
        creatable_projects=_creatable_projects(unit_id=unit_id, person=person) if may_create else [],
    )


def continuation_projects(*, view: PlanView) -> list[Project]:
    """Projects the plan may continue in: the person takes part at this unit and has no plan there."""
    return _creatable_projects(unit_id=view.plan.unit_id, person=view.person)


# --- The printable plan --------------------------------------------------------------------


def plan_print_html(*, view: PlanView, today: dt.date | None = None) -> str:
    """The HTML fed to WeasyPrint: the current plan in plain Swedish for the young person.

    Never shows the address of a protected person, and never the identity number.
    """
    return render_to_string(
        "plans/print.html",
        {
            "person": view.person,
            "show_address": view.shows_address,
            "plan": view.plan,
            "state": view.state,
            "today": today or timezone.localdate(),
        },
    )


def plan_pdf_filename(*, today: dt.date | None = None) -> str:
    """A file name without name or identity number: 'min-plan-2026-03-01.pdf'."""
    return f"min-plan-{(today or timezone.localdate()).isoformat()}.pdf"


@dataclass(frozen=True)
class PrintedPlan:
    pdf: bytes
    filename: str


def plan_print(*, viewer: User, ctx: AccessContext, plan_id: uuid.UUID) -> PrintedPlan:
    """The current plan as a PDF for the young person; logs 'plan.printed'."""
    view = plan_get(viewer=viewer, ctx=ctx, plan_id=plan_id, action="plan.printed")
    today = timezone.localdate()
    return PrintedPlan(
        pdf=render_pdf(html=plan_print_html(view=view, today=today)),
        filename=plan_pdf_filename(today=today),
    )
