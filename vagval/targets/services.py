"""Writes of targets: create, change and remove a project's target, by the project's leaders.

Each write checks, inside its transaction, that the actor leads the project and may write, and
(for a change or removal) that the target is still the version the leader saw; it logs
`target.created` / `target.changed` / `target.removed` (no person) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.common.errors import InvalidInput, PermissionDenied
from vagval.common.versions import require_version
from vagval.organisations.models import Project
from vagval.targets import selectors
from vagval.targets.figures import FIGURES
from vagval.targets.models import Target


@dataclass(frozen=True)
class TargetData:
    figure: str
    value: Decimal
    starts_on: dt.date
    ends_on: dt.date


def _require_writer(ctx: AccessContext, project: Project) -> None:
    selectors.led_project(viewer=ctx.user, project_id=project.pk)
    if not ctx.user.can_write:
        raise PermissionDenied(_("Du har endast läsbehörighet."))


def _clean(data: TargetData, *, project: Project, exclude: Target | None = None) -> None:
    errors: dict[str, list[str]] = {}
    definition = FIGURES.get(data.figure)
    if definition is None:
        errors["figure"] = [_("Välj ett mått i listan.")]
    elif definition.max_value is not None and data.value > definition.max_value:
        errors["value"] = [_("En andel kan vara högst 100 procent.")]
    if data.value < 0:
        errors["value"] = [_("Målvärdet kan inte vara negativt.")]
    if data.ends_on < data.starts_on:
        errors["ends_on"] = [_("Periodens sista dag kan inte vara före den första.")]
    same = Target.objects.filter(project=project, figure=data.figure, starts_on=data.starts_on)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        errors["starts_on"] = [_("Projektet har redan ett mål för det här måttet som börjar samma dag.")]
    if errors:
        raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors=errors)


def _detail(target: Target) -> dict[str, str]:
    return {
        "project": str(target.project_id),
        "target": str(target.pk),
        "figure": target.figure,
        "value": str(target.value),
        "period": f"{target.starts_on.isoformat()}/{target.ends_on.isoformat()}",
    }


def target_create(*, ctx: AccessContext, project: Project, data: TargetData) -> Target:
    with transaction.atomic():
        _require_writer(ctx, project)
        _clean(data, project=project)
        target = Target.objects.create(
            project=project,
            figure=data.figure,
            value=data.value,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            changed_by=ctx.user,
        )
        access_log_record(ctx=ctx, action="target.created", basis=AccessBasis.ADMINISTRATION, detail=_detail(target))
    return target


def _locked(ctx: AccessContext, target: Target, expected_version: str | None) -> Target:
    locked = Target.objects.select_for_update().select_related("project").get(pk=target.pk)
    _require_writer(ctx, locked.project)
    require_version(expected=expected_version, current=selectors.target_version(target=locked))
    return locked


def target_update(
    *, ctx: AccessContext, target: Target, data: TargetData, expected_version: str | None = None
) -> Target:
    with transaction.atomic():
        locked = _locked(ctx, target, expected_version)
        _clean(data, project=locked.project, exclude=locked)
        locked.figure, locked.value = data.figure, data.value
        locked.starts_on, locked.ends_on = data.starts_on, data.ends_on
        locked.changed_by = ctx.user
        locked.save()
        access_log_record(ctx=ctx, action="target.changed", basis=AccessBasis.ADMINISTRATION, detail=_detail(locked))
    return locked


def target_remove(*, ctx: AccessContext, target: Target, expected_version: str | None = None) -> None:
    with transaction.atomic():
        locked = _locked(ctx, target, expected_version)
        detail = _detail(locked)
        locked.delete()
        access_log_record(ctx=ctx, action="target.removed", basis=AccessBasis.ADMINISTRATION, detail=detail)
