"""Reads of targets: the project leader's projects, their targets, and targets against actuals.

"Their projects" is the rule written once in assessments (`cohort_projects`: the user's
project-leader project roles). Nobody else sees a project's targets: other users get NotFound
for a project or target (404), and the pages refuse users who lead no project (403).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from vagval.access.scope import Scope
from vagval.accounts.models import Role, User
from vagval.assessments.selectors import cohort_projects
from vagval.audit.models import AccessBasis
from vagval.audit.services import access_log_record
from vagval.common.errors import NotFound, PermissionDenied
from vagval.common.smallcell import SMALL_CELL_TEXT, is_small
from vagval.common.versions import version_of
from vagval.organisations.models import Project
from vagval.targets.figures import FIGURES
from vagval.targets.models import Status, Target
from vagval.targets.status import elapsed_fraction, expected_by, month_ends, status_of

PROJECT_NOT_FOUND = "Projektet finns inte eller så leder du det inte."
TARGET_NOT_FOUND = "Målet finns inte eller så leder du inte projektet."
MAX_TREND_MONTHS = 60


def led_projects(*, viewer: User) -> QuerySet[Project]:
    """The projects the viewer leads (none for an inactive user)."""
    if not viewer.is_active:
        return Project.objects.none()
    return cohort_projects(viewer=viewer)


def require_leader(*, viewer: User) -> None:
    """The target and budget pages are for project leaders: by unit role or a project role."""
    if not viewer.is_active or not (viewer.role == Role.PROJECT_LEADER or led_projects(viewer=viewer).exists()):
        raise PermissionDenied(_("Sidan är till för projektledare."))


def led_project(*, viewer: User, project_id: uuid.UUID) -> Project:
    project = led_projects(viewer=viewer).filter(pk=project_id).first()
    if project is None:
        raise NotFound(_(PROJECT_NOT_FOUND))
    return project


def led_target(*, viewer: User, target_id: uuid.UUID) -> Target:
    target = Target.objects.filter(pk=target_id, project__in=led_projects(viewer=viewer)).first()
    if target is None:
        raise NotFound(_(TARGET_NOT_FOUND))
    return target


def target_version(*, target: Target) -> str:
    return version_of(target, fields=["figure", "value", "starts_on", "ends_on"])


# --- Targets against actuals --------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    on: dt.date  # the month's last day (or the day asked about, for the current month)
    actual: float | None
    expected: float


@dataclass(frozen=True)
class TargetActual:
    target_id: uuid.UUID
    figure: str  # targets.models.Figure
    label: str
    unit: str  # "deltagare", "%", "arbetsdagar"
    explanation: str
    starts_on: dt.date
    ends_on: dt.date
    target: float
    expected: float  # what "i fas" asks on the day: pro rata for a count, else the target
    actual: float | None  # None: too few to show (small-cell rule)
    base: int  # the count it rests on
    status: str  # targets.models.Status
    status_label: str
    higher_is_better: bool
    trend: list[TrendPoint]  # one point per month of the period up to the day

    @property
    def actual_shown(self) -> str:
        if self.actual is None:
            return "–"
        if self.figure == "deltagare" and is_small(int(self.actual)):
            return SMALL_CELL_TEXT
        return figure_text(self.actual)

    @property
    def needs_attention(self) -> bool:
        return self.status == Status.BEHIND


@dataclass(frozen=True)
class ProjectTargets:
    project_id: uuid.UUID
    project_name: str
    on_date: dt.date
    rows: list[TargetActual]

    @property
    def behind(self) -> list[TargetActual]:
        return [row for row in self.rows if row.needs_attention]


def figure_text(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")


def target_actual(*, target: Target, on_date: dt.date, trend: bool = True) -> TargetActual:
    """One target measured on a day; the caller has checked that the viewer leads its project."""
    definition = FIGURES[target.figure]
    value = float(target.value)

    def expected_on(day: dt.date) -> float:
        fraction = elapsed_fraction(starts_on=target.starts_on, ends_on=target.ends_on, on_date=day)
        return expected_by(target=value, pro_rata=definition.pro_rata, fraction=fraction)

    def point(day: dt.date) -> TrendPoint:
        return TrendPoint(day, definition.measure(target.project, target.starts_on, day).value, expected_on(day))

    started = on_date >= target.starts_on
    points: list[TrendPoint] = []
    actual, base = None, 0
    if started:
        until = min(on_date, target.ends_on)
        measured = definition.measure(target.project, target.starts_on, until)
        actual, base = measured.value, measured.base
        if trend:
            earlier = month_ends(starts_on=target.starts_on, until=until)[-MAX_TREND_MONTHS:-1]
            points = [point(day) for day in earlier] + [TrendPoint(until, actual, expected_on(until))]
    expected = expected_on(on_date)
    status = status_of(actual=actual, expected=expected, higher_is_better=definition.higher_is_better, started=started)
    return TargetActual(
        target_id=target.pk,
        figure=target.figure,
        label=str(target.get_figure_display()),
        unit=str(definition.unit),
        explanation=str(definition.explanation),
        starts_on=target.starts_on,
        ends_on=target.ends_on,
        target=value,
        expected=expected,
        actual=actual,
        base=base,
        status=str(status.value),
        status_label=str(status.label),
        higher_is_better=definition.higher_is_better,
        trend=points,
    )


def project_targets(*, project: Project, on_date: dt.date, trend: bool = True) -> ProjectTargets:
    """A project's targets against actuals, without the access check (callers check first)."""
    targets = Target.objects.filter(project=project).select_related("project").order_by("figure", "starts_on")
    return ProjectTargets(
        project_id=project.pk,
        project_name=project.name,
        on_date=on_date,
        rows=[target_actual(target=t, on_date=on_date, trend=trend) for t in targets],
    )


def targets_against_actuals(*, scope: Scope, project: Project, on_date: dt.date, trend: bool = True) -> ProjectTargets:
    """The project's targets against actuals on `on_date`, each with its status and monthly trend.

    For the project's leaders only (NotFound for anyone else, whoever asks); aggregates only,
    logged once as `targets.viewed` (no person). Must run inside an active scope (a page or a
    task acting for the leader): the figures count person-level records. `trend=False` leaves the
    monthly trend out (the start page shows only today's figures)."""
    led_project(viewer=scope.actor, project_id=project.pk)
    result = project_targets(project=project, on_date=on_date, trend=trend)
    access_log_record(
        ctx=scope.ctx,
        action="targets.viewed",
        basis=AccessBasis.ADMINISTRATION,
        detail={"project": str(project.pk), "on": on_date.isoformat()},
    )
    return result
