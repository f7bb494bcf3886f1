"""Reads for ESF+: the entry data of an enrolment (the unit's own), who may see a project's
indicators, the indicator table, and the months of the SCB participant file."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _

from vagval.access.scope import Need, scope_for
from vagval.accounts.models import ProjectRole, Role, User
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.common import sql
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.esf.indicators import REGISTRY, Indicator
from vagval.esf.indicators.compute import Counts, count_indicators
from vagval.esf.models import EsfEntry, EsfProject, ScbFileExport
from vagval.organisations.models import Project
from vagval.people.models import Enrolment

PURPOSE = "esf"
ENROLMENT_NOT_FOUND = "Deltagandet finns inte eller så saknar du behörighet."
PROJECT_NOT_FOUND = "Projektet finns inte eller så saknar du behörighet."


def is_esf_funded(*, project_id: uuid.UUID) -> bool:
    return EsfProject.objects.filter(project_id=project_id).exists()


# --- Entry data (person level: the unit's own only) ---------------------------------------------


@dataclass(frozen=True)
class EntryView:
    enrolment: Enrolment
    entry: EsfEntry | None
    can_write: bool
    esf_funded: bool


def entry_for_enrolment(
    *, viewer: User, ctx: AccessContext, enrolment_id: uuid.UUID, need: Need = Need.VIEW, log: bool = True
) -> EntryView:
    """The enrolment at the viewer's own unit and its ESF+ entry data.

    Entry data hold special-category answers: only the unit that recorded the enrolment sees them,
    never a partner under consent (NotFound, as for a missing enrolment)."""
    enrolment = (
        Enrolment.objects.select_related("person", "project", "unit").filter(pk=enrolment_id).first()
        if viewer.unit_id
        else None
    )
    if enrolment is None or enrolment.unit_id != viewer.unit_id:
        raise NotFound(_(ENROLMENT_NOT_FOUND))
    shown = scope_for(ctx, PURPOSE).admit(enrolment.person, need=need, not_found=_(ENROLMENT_NOT_FOUND))
    if shown.access.basis != AccessBasis.OWN_UNIT:
        raise NotFound(_(ENROLMENT_NOT_FOUND))
    entry = EsfEntry.objects.filter(enrolment=enrolment).first()
    if log:
        access_log_record(
            ctx=ctx, action="esf.entry_viewed", person_id=enrolment.person_id, detail={"enrolment": str(enrolment.pk)}
        )
    return EntryView(
        enrolment=enrolment,
        entry=entry,
        can_write=shown.access.can_write,
        esf_funded=is_esf_funded(project_id=enrolment.project_id),
    )


@dataclass(frozen=True)
class PersonEsfRow:
    enrolment: Enrolment
    entry: EsfEntry | None

    @property
    def complete(self) -> bool:
        return self.entry is not None and self.entry.is_complete


def esf_enrolled_at(*, person_id: uuid.UUID, unit_id: uuid.UUID) -> bool:
    """Whether the person is enrolled at the unit in an ESF-funded project: asked by hand on every
    person page first (most persons are not; the rows' queryset cost 1.5 ms of Python to say so).
    test_person_esf_rows compares it with the queryset's exists()."""
    enrolment = sql.table(Enrolment)
    statement = (
        f"SELECT 1 FROM {enrolment} WHERE {sql.column(Enrolment, 'person')} = %s"  # noqa: S608 (names from the models)
        f" AND {sql.column(Enrolment, 'unit')} = %s AND {sql.column(Enrolment, 'project')} IN"
        f" (SELECT {sql.column(EsfProject, 'project')} FROM {sql.table(EsfProject)})"
    )
    params = [sql.value(Enrolment, "person", person_id), sql.value(Enrolment, "unit", unit_id)]
    return bool(sql.fetch(Enrolment, f"{statement} LIMIT 1", params))


def person_esf_rows(*, viewer: User, person_id: uuid.UUID) -> list[PersonEsfRow]:
    """The person's enrolments at the viewer's unit in ESF-funded projects, with their entry data
    (for the person page's flag). The person page has already admitted and logged the person."""
    if not viewer.unit_id or not esf_enrolled_at(person_id=person_id, unit_id=viewer.unit_id):
        return []
    enrolments = list(
        Enrolment.objects.select_related("project", "person")
        .filter(person_id=person_id, unit_id=viewer.unit_id, project_id__in=EsfProject.objects.values("project_id"))
        .order_by("starts_on")
    )
    entries = {e.enrolment_id: e for e in EsfEntry.objects.filter(enrolment__in=enrolments)}
    for entry in entries.values():
        entry.person = next(e.person for e in enrolments if e.pk == entry.enrolment_id)
    return [PersonEsfRow(enrolment=e, entry=entries.get(e.pk)) for e in enrolments]


@dataclass(frozen=True)
class IncompleteRow:
    enrolment: Enrolment
    missing: list[str]


def incomplete_entries(*, viewer: User, ctx: AccessContext) -> list[IncompleteRow]:
    """The viewer's unit's participants in ESF-funded projects whose entry data are incomplete
    (gender, status, age or education): the coach's list of what to fill in. Logs each person."""
    if not viewer.unit_id or viewer.role == Role.EVALUATOR:
        raise PermissionDenied(_("Listan är till för coacher på en enhet."))
    enrolments = list(
        Enrolment.objects.select_related("project", "person")
        .filter(
            unit_id=viewer.unit_id,
            project_id__in=EsfProject.objects.values("project_id"),
            person__merged_into__isnull=True,
        )
        .exclude(status="planerad")
        .order_by("person__last_name_key", "person__first_name_key")
    )
    entries = {e.enrolment_id: e for e in EsfEntry.objects.filter(enrolment__in=enrolments)}
    rows = []
    for enrolment in enrolments:
        missing = missing_items(enrolment=enrolment, entry=entries.get(enrolment.pk))
        if missing:
            rows.append(IncompleteRow(enrolment=enrolment, missing=missing))
    shown = scope_for(ctx, PURPOSE).shown([r.enrolment.person for r in rows], action="person.listed")
    visible = {s.person.pk for s in shown}
    return [r for r in rows if r.enrolment.person_id in visible]


def missing_items(*, enrolment: Enrolment, entry: EsfEntry | None) -> list[str]:
    from vagval.esf.rules import gender_group

    missing = []
    if not gender_group(enrolment.person.gender):
        missing.append(_("kön"))
    if entry is None or not entry.labour_status:
        missing.append(_("situation på arbetsmarknaden"))
    if entry is None or entry.age_at_entry is None:
        missing.append(_("ålder"))
    if entry is None or entry.isced is None:
        missing.append(_("utbildning"))
    return missing


# --- The indicator table (aggregates) ---------------------------------------------------------


def report_projects(*, viewer: User) -> list[Project]:
    """Projects whose ESF+ figures the viewer may see: an administrator all, a project leader theirs."""
    if not viewer.is_active:
        return []
    if viewer.is_administrator:
        return list(Project.objects.order_by("name"))
    return list(
        Project.objects.filter(
            pk__in=ProjectRole.objects.filter(user=viewer, role=Role.PROJECT_LEADER).values("project_id")
        ).order_by("name")
    )


def may_see_reports(*, viewer: User) -> bool:
    return viewer.is_active and (viewer.is_administrator or bool(report_projects(viewer=viewer)))


def report_project(*, viewer: User, project_id: uuid.UUID) -> Project:
    """A project the viewer may report on; NotFound for any other, whoever asks (the API answers
    404 for an id it will not serve; the page refuses users without any project first, with 403)."""
    for project in report_projects(viewer=viewer):
        if project.pk == project_id:
            return project
    raise NotFound(_(PROJECT_NOT_FOUND))


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    counts: Counts


@dataclass(frozen=True)
class IndicatorTable:
    project: Project
    start: dt.date
    end: dt.date
    rows: list[IndicatorRow]
    esf_funded: bool


def check_period(*, start: dt.date, end: dt.date) -> None:
    if end < start:
        message = _("Slutdatumet kan inte vara före startdatumet.")
        raise InvalidInput(message, field_errors={"to": [message]})


def indicator_table(
    *, viewer: User, ctx: AccessContext, project_id: uuid.UUID, start: dt.date, end: dt.date
) -> IndicatorTable:
    """The ESF+ indicators for the project and period: exact counts, for the report to ESF-rådet.

    No small-cell suppression here: ESF-rådet needs exact figures, and only project leaders and
    administrators see them (docs/ARCHITECTURE.md, "ESF+")."""
    project = report_project(viewer=viewer, project_id=project_id)
    check_period(start=start, end=end)
    counts = count_indicators(project=project, start=start, end=end)
    access_log_record(
        ctx=ctx,
        action="esf.indicators_viewed",
        basis=AccessBasis.ADMINISTRATION,
        detail={"project": str(project.pk), "from": start.isoformat(), "to": end.isoformat()},
    )
    return IndicatorTable(
        project=project,
        start=start,
        end=end,
        rows=[IndicatorRow(indicator=indicator, counts=counts[code]) for code, indicator in REGISTRY.items()],
        esf_funded=is_esf_funded(project_id=project.pk),
    )


# --- The SCB participant file ------------------------------------------------------------------


def scb_project(*, viewer: User, project_id: uuid.UUID) -> Project:
    """The SCB file holds identity numbers: only the project's own project leaders produce it.

    Administrators manage the system and see no individuals; evaluators and coaches have no part
    in it. Everyone else: PermissionDenied, or NotFound for a project the leader does not lead."""
    if (
        not viewer.is_active
        or viewer.is_administrator
        or not ProjectRole.objects.filter(user=viewer, role=Role.PROJECT_LEADER).exists()
    ):
        raise PermissionDenied(_("SCB-filen tas fram av projektets projektledare."))
    project = Project.objects.filter(
        pk=project_id,
        pk__in=ProjectRole.objects.filter(user=viewer, role=Role.PROJECT_LEADER).values("project_id"),
    ).first()
    if project is None:
        raise NotFound(_(PROJECT_NOT_FOUND))
    return project


@dataclass(frozen=True)
class MonthRow:
    month: dt.date
    last_sent: dt.datetime | None
    # An earlier month was corrected after this one was last produced: send it again.
    resend: bool


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def scb_months(*, project: Project, today: dt.date) -> list[MonthRow]:
    """The project's months up to the last whole one, newest first, with when each was last
    produced and whether a later correction of an earlier month means it must be sent again."""
    last = first_of_month(first_of_month(today) - dt.timedelta(days=1))
    months = []
    month = first_of_month(project.starts_on)
    while month <= last:
        months.append(month)
        month = next_month(month)
    exports = list(ScbFileExport.objects.filter(project=project).order_by("created_at"))
    last_sent: dict[dt.date, dt.datetime] = {}
    for export in exports:
        last_sent[export.month] = export.created_at
    rows = []
    for month in months:
        sent = last_sent.get(month)
        resend = sent is not None and any(e.correction and e.month < month and e.created_at > sent for e in exports)
        rows.append(MonthRow(month=month, last_sent=sent, resend=resend))
    return list(reversed(rows))
