"""Writing access-log entries. Call these inside the same transaction as the change.

Every action code must be declared in vagval.audit.actions: writing an undeclared one raises
UndeclaredAction, in production as in tests. The code is a constant in the source, never
input, so the check can only fail after a code change whose tests were not run; it runs
before the insert, inside the caller's transaction, so the change or the page fails whole and
nothing is done or shown without its entry. A label missing in production is a bug to see at
once, not a code to let through unlabelled into a log that is the record of who saw what.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connections, router
from django.db.models import Field, Manager
from django.utils import timezone

from vagval.audit.actions import require_declared
from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.common import sql as sql_helpers

if TYPE_CHECKING:
    from vagval.accounts.models import User
    from vagval.organisations.models import Unit


@dataclass(frozen=True)
class AccessContext:
    """Who is acting and from where; built once per request, task or command."""

    user: User
    client_address: str = ""


def _unit_of(user: User) -> Unit | None:
    """The user's unit, with its organisation (part of the unit's name) in the same query."""
    if user.unit_id is None:
        return None
    unit_field = user._meta.get_field("unit")
    if not unit_field.is_cached(user):  # type: ignore[union-attr]
        # The unit model through the user's field: audit is in the kernel, below organisations.
        units: Manager[Unit] = unit_field.related_model._default_manager  # type: ignore[union-attr,assignment]
        user.unit = units.select_related("organisation").get(pk=user.unit_id)
    return user.unit


def _shared_values(*, ctx: AccessContext, action: str, detail: dict[str, Any] | None) -> dict[str, Any]:
    """The values every entry of one access shares: who, from where, what. Raises
    UndeclaredAction for an action code not declared in vagval.audit.actions."""
    require_declared(action)
    user = ctx.user
    unit = _unit_of(user)
    return {
        "user_id": user.pk,
        "username": user.username,
        "unit_id": unit.pk if unit else None,
        "unit_name": str(unit) if unit else "",
        "role": user.role,
        "action": action,
        "client_address": ctx.client_address[:45],
        "detail": detail or {},
    }


def access_log_record(
    *,
    ctx: AccessContext,
    action: str,
    person_id: uuid.UUID | None = None,
    basis: str = AccessBasis.OWN_UNIT,
    consent_id: uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
) -> AccessLogEntry:
    entry = AccessLogEntry(
        **_shared_values(ctx=ctx, action=action, detail=detail), person_id=person_id, basis=basis, consent_id=consent_id
    )
    entry.save()
    return entry


# Columns that differ between the entries of one access_log_record_many call.
_PER_ENTRY = ("person_id", "basis", "consent_id")


@functools.cache
def _entry_fields() -> tuple[Field[Any, Any], ...]:
    """The fields an entry is written with (all but the key the database numbers), in order."""
    return tuple(f for f in AccessLogEntry._meta.concrete_fields if not f.primary_key)


def access_log_record_many(
    *,
    ctx: AccessContext,
    action: str,
    grants: Iterable[tuple[uuid.UUID, str, uuid.UUID | None]],
    detail: dict[str, Any] | None = None,
) -> int:
    """One entry per person shown in a list or search hit list: (person_id, basis, consent_id).

    The entries of one call share user, unit, role, action, client address, detail and time
    (one list shown at one moment): those values are prepared for the database once, and the
    rows go in with one executemany (a job's thousands by COPY on PostgreSQL:
    common.sql.write_rows). A list page logs 50 entries per request, and preparing
    every field of every entry (as bulk_create does) cost more than the rest of the selector;
    a number search logs one, and building a model instance for it cost as much as the insert.
    """
    rows = list(grants)
    if not rows:
        return 0
    database = router.db_for_write(AccessLogEntry)
    connection = connections[database]
    fields = _entry_fields()
    shared = _shared_values(ctx=ctx, action=action, detail=detail)
    shared["at"] = timezone.now()
    prepared = {
        f.attname: f.get_db_prep_save(shared[f.attname], connection=connection)
        for f in fields
        if f.attname not in _PER_ENTRY
    }
    person_field, basis_field, consent_field = (f for name in _PER_ENTRY for f in fields if f.attname == name)
    params = []
    for person_id, basis, consent_id in rows:
        prepared["person_id"] = person_field.get_db_prep_save(person_id, connection=connection)
        prepared["basis"] = basis_field.get_db_prep_save(basis, connection=connection)
        prepared["consent_id"] = consent_field.get_db_prep_save(consent_id, connection=connection)
        params.append([prepared[f.attname] for f in fields])
    sql_helpers.write_rows(connection, AccessLogEntry._meta.db_table, [str(f.column) for f in fields], params)
    return len(rows)


def access_log_form_shown(
    *, ctx: AccessContext, person_id: uuid.UUID, basis: str, page: str, consent_id: uuid.UUID | None = None
) -> AccessLogEntry:
    """A form page that shows a person (their name, one of their records) is a view of that person."""
    return access_log_record(
        ctx=ctx, action="person.viewed", person_id=person_id, basis=basis, consent_id=consent_id, detail={"page": page}
    )
