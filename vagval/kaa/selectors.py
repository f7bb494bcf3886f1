"""KAA reads that decide who sees what: the register, the register extract and a person's measures.

The register holds only what förordning 2006:39, 4 § allows: name, identity number, home address,
e-mail, phone, past/current/planned occupation and the individual measure with its content and
start. Nothing from plans, notes, assessments, referrals, consents or health is read here, so it
cannot leak onto the register pages. Only the KAA-ansvarig sees the register, for their own unit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.access.checks import PersonAccess, list_access
from vagval.access.scope import scope_for
from vagval.accounts.models import Role, User
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record_many
from vagval.common import sql
from vagval.common.errors import NotFound, PermissionDenied
from vagval.common.identity import IdentityNumber
from vagval.kaa.codes import load_code_list
from vagval.kaa.models import MEASURE_ORDER, Measure
from vagval.kaa.services import MEASURE_NOT_FOUND, MEASURE_ROLES, PERSON_NOT_FOUND, PURPOSE
from vagval.outreach.models import Occupation
from vagval.people.models import Person
from vagval.targetgroup.models import Episode, TargetList

PAGE_SIZE = 100
NOT_FOUND = gettext_lazy("Personen finns inte i KAA-registret eller så saknar du behörighet.")


@dataclass(frozen=True)
class OccupationLine:
    when: str  # "tidigare", "nuvarande", "planerad" (translated in the template)
    label: str
    description: str
    from_date: dt.date


@dataclass(frozen=True)
class MeasureLine:
    kind: str
    content: str
    starts_on: dt.date


@dataclass(frozen=True)
class RegisterRow:
    """Exactly the register's permitted content for one person."""

    person: Person
    number: str
    sees_contact_details: bool
    occupations: list[OccupationLine]
    measures: list[MeasureLine]
    in_kaa_since: dt.date
    left_on: dt.date | None


def _require_kaa(viewer: User) -> uuid.UUID:
    if viewer.role != Role.KAA or viewer.unit_id is None or not viewer.is_active:
        raise PermissionDenied(_("KAA-registret är till för KAA-ansvariga."))
    return viewer.unit_id


def _number(person: Person) -> str:
    return IdentityNumber(digits=person.id_number, kind=person.id_type).formatted() if person.id_number else ""


def _occupation_lines(rows: list[Occupation], today: dt.date, *, show_places: bool) -> list[OccupationLine]:
    """Newest first; the newest recorded entry up to today is the current occupation.

    The description often names a workplace or school: for a protected person that is a
    location, shown only to the responsible coach (`show_places`).
    """
    lines, current_seen = [], False
    for o in rows:
        if o.planned or o.from_date > today:
            when = "planerad"
        elif not current_seen:
            when, current_seen = "nuvarande", True
        else:
            when = "tidigare"
        lines.append(OccupationLine(when, o.get_category_display(), o.description if show_places else "", o.from_date))
    return lines


def _rows(
    viewer: User, unit_id: uuid.UUID, persons: list[Person]
) -> tuple[list[RegisterRow], dict[uuid.UUID, PersonAccess]]:
    access = list_access(viewer=viewer, persons=persons)
    ids = [p.pk for p in persons if p.pk in access]
    kinds = load_code_list("measure_kind")
    today = timezone.localdate()
    occupations: dict[uuid.UUID, list[Occupation]] = {}
    for o in Occupation.objects.filter(unit_id=unit_id, person_id__in=ids).order_by("-from_date", "-created_at"):
        occupations.setdefault(o.person_id, []).append(o)
    measures: dict[uuid.UUID, list[MeasureLine]] = {}
    for m in Measure.objects.filter(unit_id=unit_id, person_id__in=ids).order_by("-starts_on", "-created_at"):
        measures.setdefault(m.person_id, []).append(MeasureLine(kinds.get(m.kind).label, m.content, m.starts_on))
    episodes: dict[uuid.UUID, list[Episode]] = {}
    for e in Episode.objects.filter(unit_id=unit_id, person_id__in=ids, target_list=TargetList.KAA).order_by(
        "opened_on"
    ):
        episodes.setdefault(e.person_id, []).append(e)
    rows = []
    for person in persons:
        if person.pk not in access or person.pk not in episodes:
            continue
        latest = episodes[person.pk][-1]
        rows.append(
            RegisterRow(
                person=person,
                number=_number(person),
                sees_contact_details=access[person.pk].sees_contact_details,
                occupations=_occupation_lines(
                    occupations.get(person.pk, []), today, show_places=access[person.pk].sees_contact_details
                ),
                measures=measures.get(person.pk, []),
                in_kaa_since=latest.opened_on,
                left_on=latest.closed_on,
            )
        )
    return rows, access


def _log(ctx: AccessContext, rows: list[RegisterRow], access: dict[uuid.UUID, PersonAccess], view: str) -> None:
    grants = [(r.person.pk, access[r.person.pk].basis, access[r.person.pk].consent_id) for r in rows]
    with transaction.atomic():
        access_log_record_many(ctx=ctx, action="kaa.register_viewed", grants=grants, detail={"view": view})


@dataclass(frozen=True)
class RegisterPage:
    rows: list[RegisterRow]
    page: Page  # type: ignore[type-arg]


def kaa_register(
    *,
    viewer: User,
    ctx: AccessContext,
    left_from: dt.date | None = None,
    left_to: dt.date | None = None,
    page_number: int = 1,
) -> RegisterPage:
    """The unit's persons in KAA now, plus (when a period is given) those who left during it."""
    unit_id = _require_kaa(viewer)
    in_register = Q(closed_on__isnull=True)
    if left_from or left_to:
        left = Q(closed_on__isnull=False)
        if left_from:
            left &= Q(closed_on__gte=left_from)
        if left_to:
            left &= Q(closed_on__lte=left_to)
        in_register |= left
    episodes = Episode.objects.filter(in_register, unit_id=unit_id, target_list=TargetList.KAA)
    persons = Person.objects.filter(pk__in=episodes.order_by().values("person_id"), merged_into__isnull=True).order_by(
        "last_name", "first_name", "pk"
    )
    page = Paginator(persons, PAGE_SIZE).get_page(page_number)
    rows, access = _rows(viewer, unit_id, list(page.object_list))
    _log(ctx, rows, access, "register")
    return RegisterPage(rows=rows, page=page)


def kaa_register_extract(*, viewer: User, ctx: AccessContext, person_id: uuid.UUID) -> RegisterRow:
    """One person's register entry (registerutdrag): the same permitted fields as the register."""
    unit_id = _require_kaa(viewer)
    person = Person.objects.filter(
        pk=person_id,
        merged_into__isnull=True,
        episodes__unit_id=unit_id,
        episodes__target_list=TargetList.KAA,
    ).first()
    if person is None:
        raise NotFound(NOT_FOUND)
    rows, access = _rows(viewer, unit_id, [person])
    if not rows:
        raise NotFound(NOT_FOUND)
    _log(ctx, rows, access, "extract")
    return rows[0]


@dataclass(frozen=True)
class PersonMeasure:
    measure: Measure
    kind_label: str
    overdue: bool


@dataclass(frozen=True)
class PersonMeasures:
    measures: list[PersonMeasure]
    can_write: bool


def person_measures(*, viewer: User, person: Person, access: PersonAccess) -> PersonMeasures | None:
    """The viewer's unit's measures for the person page; None when the unit keeps none for them.

    The person page has already admitted the person (`access`) and logged the view
    ("person.viewed"); this section is part of that page, so it adds no entry of its own. The
    measures are read by hand (sql.fetch_equal: the queryset cost more Python than the page's
    usually empty section); test_person_measures compares them with the queryset.
    """
    if access.basis != AccessBasis.OWN_UNIT or viewer.role not in MEASURE_ROLES or viewer.unit_id is None:
        return None
    kinds = load_code_list("measure_kind")
    today = timezone.localdate()
    of_person = {"unit": viewer.unit_id, "person": person.pk}
    measures = [
        PersonMeasure(
            measure=m,
            kind_label=kinds.get(m.kind).label,
            # A follow-up is overdue when its date has passed while the measure still runs.
            overdue=m.follow_up_on is not None and m.follow_up_on < today and m.ends_on is None,
        )
        for m in sql.fetch_equal(Measure, of_person, order=MEASURE_ORDER)
    ]
    if not access.sees_contact_details:
        for item in measures:
            item.measure.responsible_name = ""  # an activity site of a protected person; shown, never saved
    return PersonMeasures(measures=measures, can_write=access.can_write)


def measure_person_get(*, viewer: User, person_id: uuid.UUID) -> Person:
    """The person a new measure is for: 404 unless the viewer sees them (writing is checked by the service)."""
    scope = scope_for(AccessContext(user=viewer), PURPOSE)
    return scope.person(person_id, action=None, related=(), not_found=PERSON_NOT_FOUND).person


def measure_get(*, viewer: User, measure_id: uuid.UUID) -> Measure:
    """A measure of the viewer's unit about a person they see, or NotFound."""
    if viewer.unit_id is None:
        raise NotFound(MEASURE_NOT_FOUND)
    measure = Measure.objects.select_related("person").filter(pk=measure_id, unit_id=viewer.unit_id).first()
    if measure is None:
        raise NotFound(MEASURE_NOT_FOUND)
    scope_for(AccessContext(user=viewer), PURPOSE).admit(measure.person, not_found=MEASURE_NOT_FOUND)
    return measure
