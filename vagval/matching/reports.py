"""Counts for the matching overview and the demand and interest view. No person is shown: only
counts, and a count under 5 is shown as "<5" so that nobody can be singled out.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from vagval.accounts.models import ProjectRole, Role, User
from vagval.catalogue.models import Placement, PlacementStatus
from vagval.common.errors import PermissionDenied
from vagval.matching.models import IntakePair, MatchingProfile, MatchingSuggestion
from vagval.matching.ssyk import ssyk_areas
from vagval.organisations.models import Project

SMALL = 5  # counts under this are shown as "<5"
CURRENTLY_PLACED = (PlacementStatus.ACCEPTED, PlacementStatus.STARTED)


def shown_count(n: int | None) -> str:
    if n is None:
        return "–"
    if 0 < n < SMALL:
        return "<5"
    return str(n)


# --- Who sees what ------------------------------------------------------------------------------


def led_projects(user: User) -> list[Project]:
    """The projects whose matching the user oversees: all for an administrator, else those they lead."""
    if user.role == Role.ADMIN:
        return list(Project.objects.order_by("name"))
    ids = ProjectRole.objects.filter(user=user, role=Role.PROJECT_LEADER).values("project_id")
    return list(Project.objects.filter(pk__in=ids).order_by("name"))


def require_matching_overview(user: User) -> None:
    works_with_persons = bool(user.unit_id) and user.role in (Role.COACH, Role.PROJECT_LEADER)
    if not works_with_persons and user.role != Role.ADMIN and not led_projects(user):
        raise PermissionDenied(_("Sidan är för coacher, projektledare och administratörer."))


def require_demand_view(user: User) -> None:
    if user.role not in (Role.COACH, Role.PROJECT_LEADER, Role.ADMIN, Role.EVALUATOR):
        raise PermissionDenied(_("Sidan är för coacher, projektledare, utvärderare och administratörer."))


# --- Overrides per project ----------------------------------------------------------------------


@dataclass(frozen=True)
class OverrideShare:
    project: Project
    decisions: int
    overrides: int

    @property
    def share(self) -> str:
        if not self.decisions:
            return "–"
        return f"{round(100 * self.overrides / self.decisions)} %"


def override_shares(*, viewer: User) -> list[OverrideShare]:
    """Per project the viewer oversees: the coaches' decisions on suggestions and how many went
    against the ranked list (an offer from outside it, or one rejected). Counts only."""
    projects = led_projects(viewer)
    counts: dict[object, dict[str, int]] = {
        row["project_id"]: {"decisions": row["decisions"], "overrides": row["overrides"]}
        for row in MatchingSuggestion.objects.filter(project__in=projects)
        .order_by()
        .values("project_id")
        .annotate(decisions=Count("pk"), overrides=Count("pk", filter=Q(override=True)))
    }
    # An intake's pairs are decisions too; a pair the coach changed (with a reason) is an override.
    for row in (
        IntakePair.objects.filter(intake__project__in=projects)
        .order_by()
        .values("intake__project_id")
        .annotate(decisions=Count("pk"), overrides=Count("pk", filter=~Q(changed_reason="")))
    ):
        both = counts.setdefault(row["intake__project_id"], {"decisions": 0, "overrides": 0})
        both["decisions"] += row["decisions"]
        both["overrides"] += row["overrides"]
    return [
        OverrideShare(
            project,
            counts.get(project.pk, {}).get("decisions", 0),
            counts.get(project.pk, {}).get("overrides", 0),
        )
        for project in projects
    ]


# --- Demand and interest -----------------------------------------------------------------------


def stated_demand() -> dict[str, int] | None:
    """DEMAND HOOK: employers' stated demand (headcount) per SSYK area.

    The employer-needs register (issue 11, "Labour demand and the business network") belongs to
    the catalogue and was not on this branch when the view was built. Wire it here, in this one
    function, to the catalogue's selector (sum of headcounts per SSYK area of the needs still
    open). None means "not recorded": the view shows "–".
    """
    return None


@dataclass(frozen=True)
class DemandRow:
    code: str
    name: str
    demand: int | None
    interested: int
    placed: int

    def cells(self) -> list[str]:
        return [
            self.code,
            self.name,
            shown_count(self.demand),
            shown_count(self.interested),
            shown_count(self.placed),
        ]


def demand_and_interest() -> list[DemandRow]:
    """Per SSYK area: employers' demand, young people interested (a profile naming the area,
    each person once) and currently placed (accepterad or påbörjad in an offer of the area)."""
    interested: dict[str, set[object]] = {}
    for person_id, areas in MatchingProfile.objects.values_list("person_id", "ssyk_areas"):
        for code in areas or []:
            interested.setdefault(code, set()).add(person_id)
    placed = dict(
        Placement.objects.filter(status__in=CURRENTLY_PLACED)
        .exclude(offer__ssyk_area="")
        .order_by()
        .values("offer__ssyk_area")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("offer__ssyk_area", "n")
    )
    demand = stated_demand() or {}
    has_demand = stated_demand() is not None
    return [
        DemandRow(
            code,
            name,
            demand.get(code, 0) if has_demand else None,
            len(interested.get(code, ())),
            placed.get(code, 0),
        )
        for code, name in ssyk_areas().items()
    ]


def demand_header() -> list[str]:
    return [_("SSYK"), _("Yrkesområde"), _("Efterfrågan (arbetsgivare)"), _("Intresserade unga"), _("Placerade nu")]
