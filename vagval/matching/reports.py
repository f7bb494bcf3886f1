"""Counts for the matching overview and the demand and interest view. No person is shown: only
counts, and a count of young people under 5 is shown as "<5" (`common.smallcell`) so that nobody
can be singled out.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from vagval.accounts.models import ProjectRole, Role, User
from vagval.catalogue.models import Placement, PlacementStatus
from vagval.catalogue.offer_selectors import employer_demand_by_ssyk
from vagval.common.errors import PermissionDenied
from vagval.common.smallcell import small_cell
from vagval.matching.models import IntakePair, MatchingProfile, MatchingSuggestion
from vagval.matching.ssyk import ssyk_areas
from vagval.organisations.models import Project
from vagval.people.models import Enrolment

CURRENTLY_PLACED = (PlacementStatus.ACCEPTED, PlacementStatus.STARTED)


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


def stated_demand() -> dict[str, int]:
    """Employers' stated demand (headcount) per SSYK area: the catalogue's one rule for it."""
    return employer_demand_by_ssyk()


@dataclass(frozen=True)
class CountScope:
    """Whose young people the demand and interest view counts for a viewer.

    Decision (the issue names the counts, not whose): a coach counts the young people of their
    own unit — what their unit recorded, so nothing is learnt about another unit's persons, not
    even a number. Project leaders and evaluators count the projects they lead or evaluate, and an
    administrator every project: aggregates over several units, like the cohort view, always
    under the small-cell rule (`common.smallcell`: 0–4 shown as "<5"), and never a person.
    """

    label: str
    unit_id: uuid.UUID | None = None  # counts of this unit's records
    projects: tuple[Project, ...] = ()  # else counts over these projects' enrolments

    def profiles(self) -> QuerySet[MatchingProfile]:
        if self.unit_id is not None:
            return MatchingProfile.objects.filter(unit_id=self.unit_id)
        # A profile counts in a project when its unit enrolled the person in that project.
        enrolled = Enrolment.objects.filter(
            project__in=self.projects, unit_id=OuterRef("unit_id"), person_id=OuterRef("person_id")
        )
        return MatchingProfile.objects.filter(Exists(enrolled))

    def placements(self) -> QuerySet[Placement]:
        if self.unit_id is not None:
            return Placement.objects.filter(unit_id=self.unit_id)
        return Placement.objects.filter(enrolment__project__in=self.projects)


def _overseen_projects(user: User) -> list[Project]:
    if user.role == Role.ADMIN:
        return list(Project.objects.order_by("name"))
    roles = (Role.PROJECT_LEADER, Role.EVALUATOR)
    ids = ProjectRole.objects.filter(user=user, role__in=roles).values("project_id")
    return list(Project.objects.filter(pk__in=ids).order_by("name"))


def count_scope(user: User) -> CountScope:
    """Coaches: their own unit. Project leaders, evaluators, administrators: their projects."""
    if user.role == Role.COACH and user.unit_id is not None:
        return CountScope(_("unga på din enhet"), unit_id=user.unit_id)
    projects = tuple(_overseen_projects(user))
    if user.role == Role.ADMIN:
        return CountScope(_("unga i alla projekt"), projects=projects)
    return CountScope(_("unga i projekten du leder eller utvärderar"), projects=projects)


@dataclass(frozen=True)
class DemandRow:
    code: str
    name: str
    demand: int
    interested: int
    placed: int

    def cells(self) -> list[str]:
        # Employers' headcounts are no personal data and are shown as they are.
        return [self.code, self.name, str(self.demand), small_cell(self.interested), small_cell(self.placed)]


def demand_and_interest(*, viewer: User) -> list[DemandRow]:
    """Per SSYK area: employers' demand, and among the young people the viewer's scope counts
    (`count_scope`) those interested (a profile naming the area, each person once) and those
    placed now (accepterad or påbörjad in an offer of the area, each person once)."""
    scope = count_scope(viewer)
    interested: dict[str, set[object]] = {}
    for person_id, areas in scope.profiles().values_list("person_id", "ssyk_areas"):
        for code in areas or []:
            interested.setdefault(code, set()).add(person_id)
    placed = dict(
        scope.placements()
        .filter(status__in=CURRENTLY_PLACED)
        .exclude(offer__ssyk_area="")
        .order_by()
        .values("offer__ssyk_area")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("offer__ssyk_area", "n")
    )
    demand = stated_demand()
    return [
        DemandRow(code, name, demand.get(code, 0), len(interested.get(code, ())), placed.get(code, 0))
        for code, name in ssyk_areas().items()
    ]


def demand_header() -> list[str]:
    return [_("SSYK"), _("Yrkesområde"), _("Efterfrågan (arbetsgivare)"), _("Intresserade unga"), _("Placerade nu")]
