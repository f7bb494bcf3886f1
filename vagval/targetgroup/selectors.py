"""Reads for the target group. Who sees what is decided here, with the viewer.

The lists are the viewer's own unit's register: there is no unit in the URL, so a user of
another unit or municipality can never ask for someone else's list.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.access.checks import list_access
from vagval.access.scope import scope_for
from vagval.accounts.models import Role, User
from vagval.audit.services import AccessContext, access_log_record_many
from vagval.common import sql
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.organisations.models import Municipality, Project, Unit
from vagval.people.models import Enrolment, EnrolmentStatus, Person
from vagval.registers.models import PopulationEntry
from vagval.targetgroup import rules
from vagval.targetgroup.models import Episode, TargetList

EPISODE_NOT_FOUND = gettext_lazy("Perioden finns inte eller så saknar du behörighet.")

# Who works with the register at the unit that holds it.
TARGET_GROUP_ROLES = frozenset({Role.KAA, Role.COACH})
LEFT_RECENTLY_DAYS = 90
PER_PAGE = 100


def may_see_target_group(*, viewer: User) -> bool:
    return bool(viewer.is_active and viewer.unit_id and viewer.role in TARGET_GROUP_ROLES)


def _unit_id(viewer: User) -> uuid.UUID:
    if not may_see_target_group(viewer=viewer) or viewer.unit_id is None:
        raise PermissionDenied(_("Målgruppen är till för KAA-ansvariga och coacher på enheten som har registret."))
    return viewer.unit_id


def _on_list(unit_id: uuid.UUID, day: dt.date) -> QuerySet[Episode]:
    """Episodes open on D (opened on or before D, not closed by D)."""
    return Episode.objects.filter(unit_id=unit_id, opened_on__lte=day).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=day)
    )


@dataclass(frozen=True)
class EpisodeRow:
    episode: Episode
    person: Person
    may_hand_over: bool


@dataclass(frozen=True)
class TargetGroupPage:
    reference_date: dt.date
    target_list: str
    rows: list[EpisodeRow]
    page: Page[Episode]
    left: list[EpisodeRow]
    counts: dict[str, int]


def _may_hand_over(viewer: User, episode: Episode) -> bool:
    return bool(
        viewer.can_write
        and episode.target_list == TargetList.KAA
        and episode.close_code == rules.CLOSE_TURNED_20
        and episode.handed_over_at is None
    )


def target_group_page(
    *, viewer: User, ctx: AccessContext, reference_date: dt.date, target_list: str, page: int = 1
) -> TargetGroupPage:
    """One page of the unit's KAA or UVAS list on D, and who left it in the 90 days before D.

    Logs one `person.listed` entry per person shown.
    """
    unit_id = _unit_id(viewer)
    if target_list not in TargetList.values:
        target_list = TargetList.KAA
    fields = ("person__first_name", "person__last_name", "person__birth_date", "person__protection")
    current = (
        _on_list(unit_id, reference_date)
        .filter(target_list=target_list)
        .select_related("person")
        .only("opened_on", "open_code", "open_reason", "target_list", "person_id", "person__merged_into", *fields)
        .order_by("person__last_name_key", "person__first_name_key", "pk")
    )
    shown = Paginator(current, PER_PAGE).get_page(page)
    left = list(
        Episode.objects.filter(
            unit_id=unit_id,
            target_list=target_list,
            closed_on__lte=reference_date,
            closed_on__gt=reference_date - dt.timedelta(days=LEFT_RECENTLY_DAYS),
        )
        .select_related("person")
        .order_by("-closed_on", "person__last_name_key", "pk")
    )
    episodes = list(shown.object_list) + left
    access = list_access(viewer=viewer, persons=[e.person for e in episodes])
    access_log_record_many(
        ctx=ctx,
        action="person.listed",
        grants={(pid, a.basis, a.consent_id) for pid, a in access.items()},
        detail={"list": f"targetgroup.{target_list}"},
    )

    def rows(items: list[Episode]) -> list[EpisodeRow]:
        return [EpisodeRow(e, e.person, _may_hand_over(viewer, e)) for e in items if e.person_id in access]

    counts = {name: _on_list(unit_id, reference_date).filter(target_list=name).count() for name in TargetList.values}
    counts["left"] = len(left)
    return TargetGroupPage(reference_date, target_list, rows(list(shown.object_list)), shown, rows(left), counts)


PERSON_EPISODE_ORDER = ("-opened_on", "-created_at")


def target_group_person_episodes(*, viewer: User, person: Person) -> list[Episode]:
    """The person's episodes at the viewer's unit, newest first (for the person page). Read with
    sql.fetch_equal: on every person page, where the queryset cost more Python than the query
    (test_person_episodes compares them)."""
    if not may_see_target_group(viewer=viewer) or viewer.unit_id is None:
        return []
    return sql.fetch_equal(Episode, {"person": person.pk, "unit": viewer.unit_id}, order=PERSON_EPISODE_ORDER)


@dataclass(frozen=True)
class HandoverView:
    episode: Episode
    projects: list[Project]
    coaches: list[User]
    current_coach_id: int | None


def _projects_covering(municipality: Municipality, day: dt.date) -> QuerySet[Project]:
    """Projects with an organisation of the municipality that run on the day."""
    return Project.objects.filter(organisations__municipality=municipality, starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )


def project_covers(*, municipality: Municipality, day: dt.date) -> bool:
    """Some project with an organisation of the municipality runs on D (UVAS needs one)."""
    return _projects_covering(municipality, day).exists()


def uvas_projects(*, municipality: Municipality, day: dt.date) -> list[Project]:
    """Projects that cover the municipality on the day (adult projects a handover may continue in)."""
    return list(_projects_covering(municipality, day).distinct().order_by("name"))


def handover_get(*, viewer: User, episode_id: uuid.UUID, today: dt.date | None = None) -> HandoverView:
    """A KAA episode closed at 20 and not yet handed over, with the choices for the handover."""
    unit_id = _unit_id(viewer)
    episode = Episode.objects.select_related("person", "municipality").filter(pk=episode_id, unit_id=unit_id).first()
    if episode is None:
        raise NotFound(EPISODE_NOT_FOUND)
    scope_for(AccessContext(user=viewer), "handover").admit(episode.person, not_found=EPISODE_NOT_FOUND)
    if not _may_hand_over(viewer, episode):
        raise PermissionDenied(_("Perioden kan inte överlämnas."))
    current = (
        Enrolment.objects.filter(person=episode.person, unit_id=unit_id, coach__isnull=False)
        .exclude(status=EnrolmentStatus.ENDED)
        .order_by("-starts_on")
        .values_list("coach_id", flat=True)
        .first()
    )
    coaches = list(
        User.objects.filter(unit_id=unit_id, is_active=True, read_only=False, role__in=TARGET_GROUP_ROLES).order_by(
            "first_name", "last_name", "username"
        )
    )
    return HandoverView(
        episode=episode,
        projects=uvas_projects(municipality=episode.municipality, day=today or timezone.localdate()),
        coaches=coaches,
        current_coach_id=current,
    )


def setting_municipality(*, viewer: User, code: str) -> Municipality | None:
    """The municipality whose setting the viewer opens: a KAA-ansvarig's own, or any for an administrator.

    None: an administrator who has not chosen a municipality yet.
    """
    if viewer.is_active and viewer.role == Role.ADMIN:
        if not code:
            return None
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise NotFound(_("Kommunen finns inte."))
        return municipality
    unit = viewer.unit if viewer.is_active and viewer.role == Role.KAA else None
    if unit is None or unit.organisation.municipality is None:
        raise PermissionDenied(_("Inställningarna är till för kommunens KAA-ansvariga och administratörer."))
    return unit.organisation.municipality


def register_units(*, municipality_code: str | None) -> list[Unit]:
    """The units holding a KAA/UVAS register: of one municipality, or of all (the nightly run)."""
    registers = PopulationEntry.objects.order_by()
    episodes = Episode.objects.order_by()
    if municipality_code is not None:
        if not Municipality.objects.filter(code=municipality_code).exists():
            raise NotFound(_("Okänd kommunkod: %(code)s.") % {"code": municipality_code})
        registers = registers.filter(municipality_id=municipality_code)
        episodes = episodes.filter(municipality_id=municipality_code)
    units = list(
        Unit.objects.select_related("organisation__municipality")
        .filter(pk__in=registers.values("unit_id").union(episodes.values("unit_id")))
        .order_by("organisation__name", "name")
    )
    if not units:
        raise InvalidInput(_("Det finns inget register att beräkna."))
    return units
