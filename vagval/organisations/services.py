"""Writes to organisations, units, projects and methods (administrators only).

Every write runs in one transaction with its access-log entry (basis: administration).
Domain rules (unique names, organisation numbers, project periods) are checked here so
the web pages, the API and commands share them; violations raise InvalidInput with
Swedish field errors keyed by the data class's field names.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.common.errors import InvalidInput, PermissionDenied
from vagval.common.identity import luhn_check_digit
from vagval.common.versions import require_version, version_of
from vagval.organisations.models import Method, Municipality, Organisation, OrganisationKind, Project, Unit

_ORGANISATION_NUMBER = re.compile(r"^(\d{6})-?(\d{4})$")
_PHONE = re.compile(r"^[0-9+()\- ]{5,40}$")


class InvalidOrganisationNumber(ValueError):
    """The text is not a valid organisationsnummer; the message is Swedish and says why."""


def normalise_organisation_number(text: str) -> str:
    """Return a Swedish organisationsnummer as NNNNNN-NNNN, or raise InvalidOrganisationNumber.

    Accepts ten digits with or without the hyphen. The last digit is a Luhn (mod 10) check
    digit over the first nine, as for personnummer. Legal persons have 20 or more in the
    "month" position (third and fourth digits); a lower value means the number is a
    personnummer (a sole trader's), which must not be stored as organisation data.
    """
    cleaned = re.sub(r"\s", "", text or "")
    match = _ORGANISATION_NUMBER.match(cleaned)
    if not match:
        raise InvalidOrganisationNumber(_("Ange organisationsnumret som tio siffror: NNNNNN-NNNN."))
    digits = match.group(1) + match.group(2)
    if luhn_check_digit(digits[:9]) != int(digits[9]):
        raise InvalidOrganisationNumber(_("Organisationsnumret är ogiltigt: kontrollsiffran stämmer inte."))
    if int(digits[2:4]) < 20:
        raise InvalidOrganisationNumber(
            _("Numret ser ut som ett personnummer. Ange organisationsnumret för en juridisk person.")
        )
    return f"{digits[:6]}-{digits[6:]}"


@dataclass(frozen=True)
class OrganisationData:
    name: str
    kind: str
    municipality_code: str = ""
    organisation_number: str = ""


@dataclass(frozen=True)
class UnitData:
    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    active: bool = True


@dataclass(frozen=True)
class ProjectData:
    name: str
    starts_on: dt.date
    description: str = ""
    ends_on: dt.date | None = None
    target_participants: int | None = None
    organisation_ids: list[uuid.UUID] = field(default_factory=list)
    method_ids: list[uuid.UUID] = field(default_factory=list)


@dataclass(frozen=True)
class MethodData:
    name: str
    description: str = ""


def _require_admin(ctx: AccessContext) -> None:
    user = ctx.user
    if not (user.is_active and user.is_administrator):
        raise PermissionDenied(_("Endast administratörer kan ändra organisationer, enheter, projekt och metoder."))


def _fail(errors: dict[str, list[str]]) -> None:
    if errors:
        raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors=errors)


def _required_name(value: str, errors: dict[str, list[str]]) -> str:
    name = " ".join((value or "").split())
    if not name:
        errors.setdefault("name", []).append(_("Ange ett namn."))
    return name


def _log(ctx: AccessContext, *, action: str, detail: dict[str, Any]) -> None:
    access_log_record(ctx=ctx, action=action, basis=AccessBasis.ADMINISTRATION, detail=detail)


def _taken(queryset: QuerySet[Any], name: str, exclude_id: uuid.UUID | None) -> bool:
    """True when a record other than `exclude_id` has the name, ignoring case.

    Compared in Python: SQLite's case-insensitive matching only folds ASCII, so "Ö" and "ö"
    would count as different names. These tables are small (hundreds of rows).
    """
    if exclude_id is not None:
        queryset = queryset.exclude(pk=exclude_id)
    wanted = name.casefold()
    return any(other.casefold() == wanted for other in queryset.values_list("name", flat=True).iterator())


def _changed(instance: Any, values: dict[str, Any]) -> list[str]:
    return [name for name, value in values.items() if getattr(instance, name) != value]


# --- Organisations -----------------------------------------------------------------------


def _clean_organisation(data: OrganisationData, *, exclude_id: uuid.UUID | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name = _required_name(data.name, errors)
    if name and _taken(Organisation.objects.all(), name, exclude_id):
        errors.setdefault("name", []).append(_("Det finns redan en organisation med det namnet."))
    if data.kind not in OrganisationKind.values:
        errors["kind"] = [_("Välj en typ av organisation.")]
    municipality = None
    if data.municipality_code:
        municipality = Municipality.objects.filter(code=data.municipality_code).first()
        if municipality is None:
            errors["municipality_code"] = [_("Okänd kommun.")]
    elif data.kind == OrganisationKind.MUNICIPALITY:
        errors["municipality_code"] = [_("Välj vilken kommun det är.")]
    number = ""
    if (data.organisation_number or "").strip():
        try:
            number = normalise_organisation_number(data.organisation_number)
        except InvalidOrganisationNumber as exc:
            errors["organisation_number"] = [str(exc)]
    _fail(errors)
    return {"name": name, "kind": data.kind, "municipality": municipality, "organisation_number": number}


_ORGANISATION_DUPLICATE = {"name": [gettext_lazy("Det finns redan en organisation med det namnet.")]}


def _save_changes(
    ctx: AccessContext,
    queryset: QuerySet[Any],
    pk: uuid.UUID,
    values: dict[str, Any],
    *,
    action: str,
    detail: Callable[[Any], dict[str, Any]],
    duplicate: dict[str, list[Any]],
    expected_version: str | None = None,
) -> Any:
    """Lock the row, apply the values that changed and log which; a name clash is a field error.

    With `expected_version` (common.versions.version_of the row the form showed), a change on
    a row someone else changed meanwhile raises Conflict and saves nothing.
    """
    try:
        with transaction.atomic():
            locked = queryset.select_for_update().get(pk=pk)
            require_version(expected=expected_version, current=version_of(locked))
            changed = _changed(locked, values)
            if changed:
                for name in changed:
                    setattr(locked, name, values[name])
                locked.save()
                _log(ctx, action=action, detail={**detail(locked), "fields": sorted(changed)})
    except IntegrityError as exc:
        raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors=duplicate) from exc
    return locked


def organisation_create(*, ctx: AccessContext, data: OrganisationData) -> Organisation:
    _require_admin(ctx)
    values = _clean_organisation(data, exclude_id=None)
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(**values)
            _log(
                ctx,
                action="organisation.created",
                detail={"organisation": str(organisation.pk), "name": organisation.name},
            )
    except IntegrityError as exc:
        raise InvalidInput(
            _("Uppgifterna innehåller fel."),
            field_errors=_ORGANISATION_DUPLICATE,
        ) from exc
    return organisation


def organisation_update(
    *, ctx: AccessContext, organisation: Organisation, data: OrganisationData, expected_version: str | None = None
) -> Organisation:
    _require_admin(ctx)
    values = _clean_organisation(data, exclude_id=organisation.pk)
    return _save_changes(
        ctx,
        Organisation.objects.all(),
        organisation.pk,
        values,
        action="organisation.changed",
        detail=lambda o: {"organisation": str(o.pk), "name": o.name},
        duplicate=_ORGANISATION_DUPLICATE,
        expected_version=expected_version,
    )


# --- Units ---------------------------------------------------------------------------------


def _clean_unit(data: UnitData, *, organisation: Organisation, exclude_id: uuid.UUID | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name = _required_name(data.name, errors)
    if name and _taken(Unit.objects.filter(organisation=organisation), name, exclude_id):
        errors.setdefault("name", []).append(_("Organisationen har redan en enhet med det namnet."))
    phone = (data.phone or "").strip()
    if phone and not _PHONE.match(phone):
        errors["phone"] = [_("Ange ett telefonnummer med siffror, till exempel 0240-860 00.")]
    email = (data.email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Ange en giltig e-postadress.")]
    _fail(errors)
    return {
        "name": name,
        "address": (data.address or "").strip(),
        "phone": phone,
        "email": email,
        "active": bool(data.active),
    }


_UNIT_DUPLICATE = {"name": [gettext_lazy("Organisationen har redan en enhet med det namnet.")]}


def unit_create(*, ctx: AccessContext, organisation: Organisation, data: UnitData) -> Unit:
    """Create a unit: a new secrecy domain inside the organisation."""
    _require_admin(ctx)
    values = _clean_unit(data, organisation=organisation, exclude_id=None)
    try:
        with transaction.atomic():
            unit = Unit.objects.create(organisation=organisation, **values)
            _log(
                ctx,
                action="unit.created",
                detail={"unit": str(unit.pk), "name": str(unit), "organisation": str(organisation.pk)},
            )
    except IntegrityError as exc:
        raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors=_UNIT_DUPLICATE) from exc
    return unit


def unit_update(*, ctx: AccessContext, unit: Unit, data: UnitData, expected_version: str | None = None) -> Unit:
    _require_admin(ctx)
    values = _clean_unit(data, organisation=unit.organisation, exclude_id=unit.pk)
    return _save_changes(
        ctx,
        Unit.objects.select_related("organisation"),
        unit.pk,
        values,
        action="unit.changed",
        detail=lambda u: {"unit": str(u.pk), "name": str(u)},
        duplicate=_UNIT_DUPLICATE,
        expected_version=expected_version,
    )


# --- Projects ------------------------------------------------------------------------------

_PROJECT_DUPLICATE = {"name": [gettext_lazy("Det finns redan ett projekt med det namnet.")]}


def _clean_project(data: ProjectData, *, exclude_id: uuid.UUID | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name = _required_name(data.name, errors)
    if name and _taken(Project.objects.all(), name, exclude_id):
        errors.setdefault("name", []).append(_("Det finns redan ett projekt med det namnet."))
    if data.starts_on is None:
        errors["starts_on"] = [_("Ange startdatum.")]
    elif data.ends_on is not None and data.ends_on < data.starts_on:
        errors["ends_on"] = [_("Slutdatum kan inte vara före startdatum.")]
    if data.target_participants is not None and data.target_participants < 0:
        errors["target_participants"] = [_("Antalet kan inte vara negativt.")]
    organisation_ids = set(data.organisation_ids)
    organisations = list(Organisation.objects.filter(pk__in=organisation_ids))
    if len(organisations) != len(organisation_ids):
        errors["organisation_ids"] = [_("En vald organisation finns inte.")]
    method_ids = set(data.method_ids)
    methods = list(Method.objects.filter(pk__in=method_ids))
    if len(methods) != len(method_ids):
        errors["method_ids"] = [_("En vald metod finns inte.")]
    _fail(errors)
    return {
        "fields": {
            "name": name,
            "description": (data.description or "").strip(),
            "starts_on": data.starts_on,
            "ends_on": data.ends_on,
            "target_participants": data.target_participants,
        },
        "organisations": organisations,
        "methods": methods,
    }


def project_create(*, ctx: AccessContext, data: ProjectData) -> Project:
    _require_admin(ctx)
    values = _clean_project(data, exclude_id=None)
    try:
        with transaction.atomic():
            project = Project.objects.create(**values["fields"])
            project.organisations.set(values["organisations"])
            project.methods.set(values["methods"])
            _log(ctx, action="project.created", detail={"project": str(project.pk), "name": project.name})
    except IntegrityError as exc:
        raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors=_PROJECT_DUPLICATE) from exc
    return project


def project_update(
    *, ctx: AccessContext, project: Project, data: ProjectData, expected_version: str | None = None
) -> Project:
    _require_admin(ctx)
    values = _clean_project(data, exclude_id=project.pk)
    try:
        with transaction.atomic():
            locked = Project.objects.select_for_update().get(pk=project.pk)
            require_version(expected=expected_version, current=version_of(locked))
            changed = _changed(locked, values["fields"])
            for name in changed:
                setattr(locked, name, values["fields"][name])
            if changed:
                locked.save()
            for relation, chosen in (("organisations", values["organisations"]), ("methods", values["methods"])):
                manager = getattr(locked, relation)
                if {o.pk for o in manager.all()} != {o.pk for o in chosen}:
                    manager.set(chosen)
                    changed.append(relation)
            if not changed:
                return locked
            _log(
                ctx,
                action="project.changed",
                detail={"project": str(locked.pk), "name": locked.name, "fields": sorted(changed)},
            )
    except IntegrityError as exc:
        raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors=_PROJECT_DUPLICATE) from exc
    return locked


# --- Methods -------------------------------------------------------------------------------

_METHOD_DUPLICATE = {"name": [gettext_lazy("Det finns redan en metod med det namnet.")]}


def _clean_method(data: MethodData, *, exclude_id: uuid.UUID | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name = _required_name(data.name, errors)
    if name and _taken(Method.objects.all(), name, exclude_id):
        errors.setdefault("name", []).append(_("Det finns redan en metod med det namnet."))
    _fail(errors)
    return {"name": name, "description": (data.description or "").strip()}


def method_create(*, ctx: AccessContext, data: MethodData) -> Method:
    _require_admin(ctx)
    values = _clean_method(data, exclude_id=None)
    try:
        with transaction.atomic():
            method = Method.objects.create(**values)
            _log(ctx, action="method.created", detail={"method": str(method.pk), "name": method.name})
    except IntegrityError as exc:
        raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors=_METHOD_DUPLICATE) from exc
    return method


def method_update(
    *, ctx: AccessContext, method: Method, data: MethodData, expected_version: str | None = None
) -> Method:
    _require_admin(ctx)
    values = _clean_method(data, exclude_id=method.pk)
    return _save_changes(
        ctx,
        Method.objects.all(),
        method.pk,
        values,
        action="method.changed",
        detail=lambda m: {"method": str(m.pk), "name": m.name},
        duplicate=_METHOD_DUPLICATE,
        expected_version=expected_version,
    )
