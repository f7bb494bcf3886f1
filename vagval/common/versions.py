"""Edit versions: no lost updates.

Every edit form and every API PUT carries the version of the record it showed (a hidden form
field, the `If-Match` header). The service locks the record (`select_for_update`) inside its
transaction, computes the version again and refuses the change with `Conflict` when they
differ, so two people editing the same record never silently overwrite each other.

A version is a short keyed hash (HMAC with the secret key) of the record's stored values, so it
changes whenever a value changes however it was written (`save()`, `update()`, an import), and
tells nothing about the values. A record with its own counter (the plan) uses the counter.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from vagval.common.errors import Conflict

# Stored values that are not part of what anyone edits: a login or a touch must not make an
# editor's form stale.
_NOT_VERSIONED = {"created_at", "updated_at", "last_login"}

CONFLICT_MESSAGE = _(
    "Någon annan har sparat en ändring medan du skrev. Din ändring sparades inte. "
    "Jämför det du försökte spara med det som är sparat nu och spara igen om din ändring ska gälla."
)


def version_of(record: models.Model, *, fields: Iterable[str] | None = None) -> str:
    """The version of a stored record: its values (or only `fields`) and its many-to-many links."""
    opts = record._meta
    names = set(fields) if fields is not None else None
    parts = [opts.label]  # the key is one of the concrete fields, unless `fields` leaves it out
    for field in opts.concrete_fields:
        if field.name in _NOT_VERSIONED or (names is not None and field.name not in names):
            continue
        parts.append(f"{field.attname}={field.value_to_string(record)}")
    for m2m in opts.many_to_many:
        if names is not None and m2m.name not in names:
            continue
        if record.pk is not None:
            linked = sorted(str(pk) for pk in getattr(record, m2m.name).values_list("pk", flat=True))
            parts.append(f"{m2m.name}={','.join(linked)}")
    return salted_hmac("vagval.common.versions", "\x1f".join(parts)).hexdigest()[:20]


def require_version(*, expected: str | None, current: str) -> None:
    """Raise Conflict when the editor saw another version than the one stored now.

    Call inside the transaction, after locking the record. `expected=None` means the caller
    checks nothing (imports, the demo, commands acting on their own reading).
    """
    if expected is not None and not constant_time_compare(str(expected), current):
        raise Conflict(CONFLICT_MESSAGE)
