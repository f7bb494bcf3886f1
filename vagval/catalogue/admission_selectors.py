"""Reads for admission: the rounds (not personal data) and a round's board.

The board shows the applications the viewer's unit recorded, each person through the scope and
logged once; the counts per step and per source cover the same applications.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from vagval.access.scope import scope_for
from vagval.accounts.models import Role, User
from vagval.audit.services import AccessContext
from vagval.catalogue.admission_services import PURPOSE, admitted_count
from vagval.catalogue.models import AdmissionRound, AdmissionStep, Application, ApplicationSource
from vagval.catalogue.offer_selectors import may_maintain
from vagval.common.errors import NotFound
from vagval.people.models import Enrolment, EnrolmentStatus


def rounds(*, offer_id: uuid.UUID | None = None) -> QuerySet[AdmissionRound]:
    found = AdmissionRound.objects.select_related("offer", "offer__provider")
    return found.filter(offer_id=offer_id) if offer_id else found


def round_get(*, round_id: uuid.UUID) -> AdmissionRound:
    found = rounds().filter(pk=round_id).first()
    if found is None:
        raise NotFound(_("Antagningsomgången finns inte."))
    return found


@dataclass(frozen=True)
class Column:
    step: str
    label: str
    applications: list[Application]


@dataclass(frozen=True)
class Board:
    admission_round: AdmissionRound
    columns: list[Column]
    # rows: (source label, [count per step], total); the last row sums every source
    counts: list[tuple[str, list[int], int]]
    admitted: int
    may_manage: bool
    may_record: bool


def _counts(applications: list[Application]) -> list[tuple[str, list[int], int]]:
    rows = []
    for source, label in ApplicationSource.choices:
        per_step = [sum(1 for a in applications if a.source == source and a.step == s) for s in AdmissionStep.values]
        rows.append((str(label), per_step, sum(per_step)))
    totals = [sum(row[1][i] for row in rows) for i in range(len(AdmissionStep.values))]
    rows.append((_("Totalt"), totals, sum(totals)))
    return rows


def may_record_applications(*, user: User) -> bool:
    """Staff who work with young persons at a unit and may write (not evaluators, not read-only)."""
    return user.can_write and user.unit_id is not None and user.role != Role.EVALUATOR


def round_board(*, viewer: User, round_id: uuid.UUID) -> Board:
    admission_round = round_get(round_id=round_id)
    scope = scope_for(AccessContext(user=viewer), PURPOSE)
    recorded = list(
        Application.objects.filter(round=admission_round, unit_id=viewer.unit_id)
        .select_related("person")
        .order_by("applied_on", "created_at")
        if viewer.unit_id
        else []
    )
    shown = {s.person.pk for s in scope.shown([a.person for a in recorded], action="person.listed")}
    visible = [a for a in recorded if a.person_id in shown]
    columns = [
        Column(step, str(label), [a for a in visible if a.step == step]) for step, label in AdmissionStep.choices
    ]
    return Board(
        admission_round=admission_round,
        columns=columns,
        counts=_counts(visible),
        admitted=admitted_count(admission_round),
        may_manage=may_maintain(viewer, admission_round.offer.owner_id),
        may_record=may_record_applications(user=viewer),
    )


def application_for_step(*, viewer: User, application_id: uuid.UUID) -> Application:
    """An application of the viewer's unit, its person admitted through the scope and logged."""
    application = (
        Application.objects.select_related("person", "round", "round__offer").filter(pk=application_id).first()
    )
    if application is None or application.unit_id != viewer.unit_id:
        raise NotFound(_("Ansökan finns inte eller så saknar du behörighet."))
    scope_for(AccessContext(user=viewer), PURPOSE).admit(application.person, action="person.viewed")
    return application


def enrolments_for_application(*, viewer: User) -> list[tuple[str, str]]:
    """The open enrolments at the viewer's unit, as choices (id, "Name – project"); each person
    listed is logged, as on the caseload."""
    if viewer.unit_id is None:
        return []
    enrolments = list(
        Enrolment.objects.filter(unit_id=viewer.unit_id, person__unit_id=viewer.unit_id)
        .exclude(status=EnrolmentStatus.ENDED)
        .select_related("person", "project")
        .order_by("person__last_name", "person__first_name")
    )
    scope = scope_for(AccessContext(user=viewer), PURPOSE)
    shown = {s.person.pk for s in scope.shown([e.person for e in enrolments], action="person.listed")}
    return [(str(e.pk), f"{e.person.full_name} – {e.project.name}") for e in enrolments if e.person_id in shown]
