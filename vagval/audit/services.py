"""Writing access-log entries. Call these inside the same transaction as the change."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vagval.audit.models import AccessBasis, AccessLogEntry

if TYPE_CHECKING:
    from vagval.accounts.models import User


@dataclass(frozen=True)
class AccessContext:
    """Who is acting and from where; built once per request, task or command."""

    user: User
    client_address: str = ""


def _entry(
    *,
    ctx: AccessContext,
    action: str,
    person_id: uuid.UUID | None,
    basis: str,
    consent_id: uuid.UUID | None,
    detail: dict[str, Any] | None,
) -> AccessLogEntry:
    user = ctx.user
    unit = user.unit
    return AccessLogEntry(
        user=user,
        username=user.username,
        unit_id=unit.pk if unit else None,
        unit_name=str(unit) if unit else "",
        role=user.role,
        person_id=person_id,
        action=action,
        client_address=ctx.client_address[:45],
        basis=basis,
        consent_id=consent_id,
        detail=detail or {},
    )


def access_log_record(
    *,
    ctx: AccessContext,
    action: str,
    person_id: uuid.UUID | None = None,
    basis: str = AccessBasis.OWN_UNIT,
    consent_id: uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
) -> AccessLogEntry:
    entry = _entry(ctx=ctx, action=action, person_id=person_id, basis=basis, consent_id=consent_id, detail=detail)
    entry.save()
    return entry


def access_log_record_many(
    *,
    ctx: AccessContext,
    action: str,
    grants: Iterable[tuple[uuid.UUID, str, uuid.UUID | None]],
    detail: dict[str, Any] | None = None,
) -> int:
    """One entry per person shown in a list or search hit list: (person_id, basis, consent_id)."""
    entries = [
        _entry(ctx=ctx, action=action, person_id=pid, basis=basis, consent_id=cid, detail=detail)
        for pid, basis, cid in grants
    ]
    AccessLogEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)
