"""KAA writes: measures (åtgärder) and the statistics export. One transaction each, with its log entry.

Who may document a measure: a KAA-ansvarig or coach who is not read-only, at a unit where the
person is the unit's own person (access check basis own_unit). Partners and consent-based access
never write KAA documentation.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, fields

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.access.checks import PersonAccess
from vagval.access.scope import scope_for
from vagval.accounts.models import Role, User
from vagval.accounts.system import SystemActor, is_system_actor
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record, access_log_record_many
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.common.versions import require_version, version_of
from vagval.kaa.codes import load_code_list
from vagval.kaa.models import Measure, Responsible
from vagval.kaa.statistics import (
    HalfYear,
    StatisticsFile,
    StatisticsScope,
    kaa_register_unit_ids,
    statistics_build,
    statistics_scope_for_units,
    statistics_scope_for_viewer,
)
from vagval.organisations.models import Municipality, Unit
from vagval.people.models import Person
from vagval.targetgroup.models import Episode, TargetList

MEASURE_ROLES = frozenset({Role.KAA, Role.COACH})
PERSON_NOT_FOUND = gettext_lazy("Personen finns inte eller så saknar du behörighet.")
MEASURE_NOT_FOUND = gettext_lazy("Insatsen finns inte eller så saknar du behörighet.")
PURPOSE = "kaa"  # the scope's purpose for the KAA measures and register
READ_ONLY = gettext_lazy("Du har endast läsbehörighet.")


@dataclass(frozen=True)
class MeasureData:
    kind: str
    content: str
    responsible: str
    responsible_name: str
    starts_on: dt.date
    ends_on: dt.date | None
    end_reason: str
    follow_up_on: dt.date | None
    declined: bool


def measure_writer_access(*, ctx: AccessContext, person: Person) -> PersonAccess:
    """404 for those who may not know the person, 403 for those who may not write KAA measures."""
    access = scope_for(ctx, PURPOSE).admit(person, not_found=PERSON_NOT_FOUND).access
    if ctx.user.role not in MEASURE_ROLES or access.basis != AccessBasis.OWN_UNIT:
        raise PermissionDenied(_("Bara KAA-ansvariga och coacher på personens enhet kan dokumentera insatser."))
    if not access.can_write:
        raise PermissionDenied(READ_ONLY)
    return access


def _clean(data: MeasureData) -> MeasureData:
    """Check the rules of Skolverket's advice; raise one InvalidInput naming every bad field."""
    errors: dict[str, list[str]] = {}
    kinds = load_code_list("measure_kind")
    if not kinds.knows(data.kind) or data.kind == "okand":
        errors["kind"] = [_("Välj en typ av insats i listan.")]
    if not data.content.strip():
        errors["content"] = [_("Beskriv vad insatsen innehåller.")]
    if data.responsible not in Responsible.values:
        errors["responsible"] = [_("Välj vem som ansvarar för insatsen.")]
    elif data.responsible == Responsible.OTHER_ACTOR and not data.responsible_name.strip():
        errors["responsible_name"] = [_("Skriv vilken aktör som ansvarar.")]
    if data.ends_on is not None and data.ends_on < data.starts_on:
        errors["ends_on"] = [_("Slutdatum kan inte vara före startdatum.")]
    if data.ends_on is not None and not data.end_reason.strip():
        errors["end_reason"] = [_("Skriv varför insatsen avslutades när du anger ett slutdatum.")]
    if data.follow_up_on is not None and data.follow_up_on < data.starts_on:
        errors["follow_up_on"] = [_("Uppföljningsdatum kan inte vara före startdatum.")]
    if data.ends_on is None and data.end_reason.strip():
        errors["ends_on"] = [_("Ange slutdatum när du skriver en orsak till avslut.")]
    if errors:
        raise InvalidInput(_("Insatsen innehåller fel."), field_errors=errors)
    name = data.responsible_name.strip() if data.responsible == Responsible.OTHER_ACTOR else ""
    return MeasureData(
        **{
            **{f.name: getattr(data, f.name) for f in fields(data)},
            "content": data.content.strip(),
            "responsible_name": name,
            "end_reason": data.end_reason.strip(),
        }
    )


def _open_kaa_episode(unit_id: uuid.UUID, person: Person) -> Episode | None:
    return Episode.objects.filter(
        unit_id=unit_id, person=person, target_list=TargetList.KAA, closed_on__isnull=True
    ).first()


def measure_create(*, ctx: AccessContext, person: Person, data: MeasureData) -> Measure:
    access = measure_writer_access(ctx=ctx, person=person)
    clean = _clean(data)
    unit_id = ctx.user.unit_id
    assert unit_id is not None  # person_access answers only for users with a unit
    with transaction.atomic():
        measure = Measure.objects.create(
            unit_id=unit_id,
            person=person,
            episode=_open_kaa_episode(unit_id, person),
            created_by=ctx.user,
            **{f.name: getattr(clean, f.name) for f in fields(clean)},
        )
        access_log_record(
            ctx=ctx,
            action="kaa.measure_created",
            person_id=person.pk,
            basis=access.basis,
            detail={"measure": str(measure.pk)},
        )
    return measure


def measure_version(*, measure: Measure) -> str:
    """A measure's edit version (common.versions)."""
    return version_of(measure)


def measure_update(
    *, ctx: AccessContext, measure_id: uuid.UUID, data: MeasureData, expected_version: str | None = None
) -> Measure:
    """Change a measure of the viewer's unit. With `expected_version`, a stale change raises Conflict."""
    unit_id = ctx.user.unit_id
    measure = None
    if unit_id is not None:
        measure = Measure.objects.select_related("person").filter(pk=measure_id, unit_id=unit_id).first()
    if measure is None:
        raise NotFound(MEASURE_NOT_FOUND)
    access = measure_writer_access(ctx=ctx, person=measure.person)
    clean = _clean(data)
    with transaction.atomic():
        measure = Measure.objects.select_for_update().get(pk=measure_id)
        require_version(expected=expected_version, current=measure_version(measure=measure))
        changed = [f.name for f in fields(clean) if getattr(measure, f.name) != getattr(clean, f.name)]
        for name in changed:
            setattr(measure, name, getattr(clean, name))
        measure.save(update_fields=[*changed, "updated_at"])
        access_log_record(
            ctx=ctx,
            action="kaa.measure_changed",
            person_id=measure.person_id,
            basis=access.basis,
            detail={"measure": str(measure.pk), "fields": changed},
        )
    return measure


def statistics_export(
    *,
    ctx: AccessContext,
    scope: StatisticsScope,
    municipality_code: str,
    half_year: HalfYear,
    file_format: str,
) -> StatisticsFile:
    """Build the half-year file of the persons the access check put in `scope` and log one
    "kaa.statistics_exported" per person in it, with its basis (one insert)."""
    with transaction.atomic():
        result = statistics_build(
            scope=scope,
            half_year=half_year,
            file_format=file_format,
            municipality_code=municipality_code,
        )
        access_log_record_many(
            ctx=ctx,
            action="kaa.statistics_exported",
            grants=[(person_id, *scope.grants[person_id]) for person_id in result.person_ids],
            detail={
                "half_year": str(half_year),
                "format": file_format,
                "units": sorted(str(unit_id) for unit_id in scope.unit_ids),
            },
        )
    return result


def statistics_require(*, viewer: User) -> uuid.UUID:
    """The KAA-ansvarig's unit; everyone else is refused."""
    if viewer.role != Role.KAA or viewer.unit_id is None or not viewer.is_active:
        raise PermissionDenied(_("Bara KAA-ansvariga kan ta ut KAA-statistiken."))
    return viewer.unit_id


def statistics_export_for_viewer(*, ctx: AccessContext, half_year: HalfYear, file_format: str) -> StatisticsFile:
    """The web download: the KAA-ansvarig's own unit, its persons as the access check gives them."""
    unit = Unit.objects.select_related("organisation").get(pk=statistics_require(viewer=ctx.user))
    return statistics_export(
        ctx=ctx,
        scope=statistics_scope_for_viewer(viewer=ctx.user, half_year=half_year),
        municipality_code=unit.organisation.municipality_id or "",
        half_year=half_year,
        file_format=file_format,
    )


def statistics_export_from_command_line(
    *, ctx: AccessContext, municipality_code: str, half_year: str, file_format: str, username: str = ""
) -> StatisticsFile:
    """The export run from the command line (`vagval kaa-statistik`), from its arguments as typed.

    An unknown municipality code is NotFound, checked first; then the half-year is parsed
    (InvalidInput). Without `username`: `ctx` is the system actor "kommandorad"
    (accounts.system.command_line_context, the operating-system user in its detail), acting for
    the units that hold the municipality's KAA register (usually its one KAA unit): the
    statutory report covers every person with a KAA episode there in the half-year, read
    through access.checks.register_persons and logged with basis own unit. With the user name of
    an active KAA-ansvarig of that municipality: that user's unit, read and logged as theirs, as
    the web download would be. Anyone else is refused.
    """
    if not Municipality.objects.filter(code=municipality_code).exists():
        raise NotFound(_("Okänd kommunkod: %(code)s.") % {"code": municipality_code})
    period = HalfYear.parse(half_year)
    if not username:
        if not is_system_actor(ctx.user, SystemActor.COMMAND_LINE):
            raise PermissionDenied(_("Bara kommandoraden kan ta ut hela kommunens KAA-statistik."))
        return statistics_export(
            ctx=ctx,
            scope=statistics_scope_for_units(
                unit_ids=kaa_register_unit_ids(municipality_code=municipality_code), half_year=period
            ),
            municipality_code=municipality_code,
            half_year=period,
            file_format=file_format,
        )
    user = User.objects.select_related("unit__organisation").filter(username=username, is_active=True).first()
    if user is None or user.role != Role.KAA or user.unit is None:
        raise PermissionDenied(
            _("Användaren %(username)s finns inte eller är inte KAA-ansvarig.") % {"username": username}
        )
    if user.unit.organisation.municipality_id != municipality_code:
        raise PermissionDenied(
            _("Användaren %(username)s hör inte till kommunen %(code)s.")
            % {"username": username, "code": municipality_code}
        )
    return statistics_export(
        ctx=AccessContext(user=user, client_address=ctx.client_address),
        scope=statistics_scope_for_viewer(viewer=user, half_year=period),
        municipality_code=municipality_code,
        half_year=period,
        file_format=file_format,
    )
