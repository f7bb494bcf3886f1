"""Who may see the steering-group report of which project, and the report itself.

- A project leader: the projects where they have the project role "Projektledare".
- An evaluator: the projects they evaluate (project role "Utvärderare"). The report holds only
  aggregates under the small-cell rule, never a person, so it is among what they may take out
  (decision, docs/ARCHITECTURE.md).
- An administrator: every project, like the ESF+ report.
- Anyone else (coaches, partners, KAA): 403 on the pages. A project outside one's list: 404, the
  same answer as for no project.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.accounts.models import ProjectRole, Role, User
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.common.db_routing import reporting_reads
from vagval.common.errors import NotFound, PermissionDenied
from vagval.organisations.models import Project
from vagval.reporting.report import ReportContext, SectionResult
from vagval.reporting.sections import REGISTRY

PROJECT_NOT_FOUND = gettext_lazy("Projektet finns inte eller så saknar du behörighet.")
REPORT_ROLES = (Role.PROJECT_LEADER, Role.EVALUATOR)


def report_projects(*, viewer: User) -> list[Project]:
    """The projects whose steering-group report the viewer may see, by name."""
    if not viewer.is_active:
        return []
    if viewer.is_administrator:
        return list(Project.objects.order_by("name"))
    roles = ProjectRole.objects.filter(user=viewer, role__in=REPORT_ROLES).values("project_id")
    return list(Project.objects.filter(pk__in=roles).order_by("name"))


def may_see_reports(*, viewer: User) -> bool:
    return bool(report_projects(viewer=viewer))


def report_project(*, viewer: User, project_id: uuid.UUID) -> Project:
    """403 for a user with no report at all; 404 for a project outside their list."""
    projects = report_projects(viewer=viewer)
    if not projects:
        raise PermissionDenied(_("Styrgruppsrapporten är till för projektledare, utvärderare och administratörer."))
    for project in projects:
        if project.pk == project_id:
            return project
    raise NotFound(str(PROJECT_NOT_FOUND))


def default_period(project: Project, today: dt.date) -> tuple[dt.date, dt.date]:
    """From the project's start to today (or its end, if it has ended)."""
    end = min(today, project.ends_on) if project.ends_on else today
    return min(project.starts_on, end), end


@dataclass(frozen=True)
class SteeringReport:
    project: Project
    start: dt.date
    end: dt.date
    made_on: dt.date
    sections: list[SectionResult]


def build_report(*, project: Project, start: dt.date, end: dt.date, today: dt.date | None = None) -> SteeringReport:
    """Every section of the registry for the project and period (no permission check: callers decide)."""
    today = today or timezone.localdate()
    ctx = ReportContext(project=project, start=start, end=end, today=today)
    return SteeringReport(
        project=project, start=start, end=end, made_on=today, sections=[module.build(ctx) for module in REGISTRY]
    )


def steering_report(
    *,
    viewer: User,
    ctx: AccessContext,
    project_id: uuid.UUID,
    start: dt.date,
    end: dt.date,
    file_format: str = "",
    today: dt.date | None = None,
) -> SteeringReport:
    """The report for a viewer who may see it; one access-log entry (no person: aggregates only)."""
    project = report_project(viewer=viewer, project_id=project_id)
    with reporting_reads():  # a read replica, when there is one (common/db_routing.py)
        report = build_report(project=project, start=start, end=end, today=today)
    access_log_record(
        ctx=ctx,
        action="reporting.steering_report_exported" if file_format else "reporting.steering_report_viewed",
        basis=AccessBasis.ADMINISTRATION,
        detail={"project": str(project.pk), "from": start.isoformat(), "to": end.isoformat(), "format": file_format},
    )
    return report
