"""Reads for the administration pages. Only administrators manage organisations."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from vagval.common.errors import NotFound, PermissionDenied
from vagval.organisations.models import Method, Municipality, Organisation, Project, Unit

if TYPE_CHECKING:
    # For annotations only: accounts (the user refers to a unit) is in the layer above.
    from vagval.accounts.models import User


@dataclass(frozen=True)
class OrganisationFilters:
    """Empty values mean 'no filter'."""

    kind: str = ""
    municipality_code: str = ""


def _require_admin(viewer: User) -> None:
    if not (viewer.is_active and viewer.is_administrator):
        raise PermissionDenied(_("Endast administratörer har tillgång till administrationen."))


def municipality_choices() -> list[tuple[str, str]]:
    """All municipalities as (code, "Name (code)") for select boxes; public reference data."""
    return [(m.code, str(m)) for m in Municipality.objects.order_by("name")]


def organisation_choices(*, viewer: User) -> list[tuple[str, str]]:
    _require_admin(viewer)
    return [(str(pk), name) for pk, name in Organisation.objects.order_by("name").values_list("pk", "name")]


def method_choices(*, viewer: User) -> list[tuple[str, str]]:
    _require_admin(viewer)
    return [(str(pk), name) for pk, name in Method.objects.order_by("name").values_list("pk", "name")]


def organisation_list(*, viewer: User, filters: OrganisationFilters) -> QuerySet[Organisation]:
    _require_admin(viewer)
    organisations = Organisation.objects.select_related("municipality").annotate(unit_count=Count("units"))
    if filters.kind:
        organisations = organisations.filter(kind=filters.kind)
    if filters.municipality_code:
        organisations = organisations.filter(municipality_id=filters.municipality_code)
    return organisations.order_by("name")


def organisation_get(*, viewer: User, organisation_id: uuid.UUID) -> Organisation:
    _require_admin(viewer)
    organisation = Organisation.objects.select_related("municipality").filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound(_("Organisationen finns inte."))
    return organisation


def organisation_units(*, viewer: User, organisation: Organisation) -> list[Unit]:
    _require_admin(viewer)
    return list(organisation.units.annotate(user_count=Count("users")).order_by("name"))


def organisation_projects(*, viewer: User, organisation: Organisation) -> list[Project]:
    _require_admin(viewer)
    return list(organisation.projects.order_by("name"))


def unit_get(*, viewer: User, unit_id: uuid.UUID) -> Unit:
    _require_admin(viewer)
    unit = Unit.objects.select_related("organisation").filter(pk=unit_id).first()
    if unit is None:
        raise NotFound(_("Enheten finns inte."))
    return unit


def project_list(*, viewer: User) -> QuerySet[Project]:
    _require_admin(viewer)
    return Project.objects.annotate(organisation_count=Count("organisations", distinct=True)).order_by("name")


def project_get(*, viewer: User, project_id: uuid.UUID) -> Project:
    _require_admin(viewer)
    project = Project.objects.prefetch_related("organisations", "methods").filter(pk=project_id).first()
    if project is None:
        raise NotFound(_("Projektet finns inte."))
    return project


def method_list(*, viewer: User) -> QuerySet[Method]:
    _require_admin(viewer)
    return Method.objects.annotate(project_count=Count("projects")).order_by("name")


def method_get(*, viewer: User, method_id: uuid.UUID) -> Method:
    _require_admin(viewer)
    method = Method.objects.filter(pk=method_id).first()
    if method is None:
        raise NotFound(_("Metoden finns inte."))
    return method
