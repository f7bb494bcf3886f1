"""What a register extract (GDPR art. 15) holds: every unit's record of the person and every row
of every kind of record on them (records.KINDS), and who accessed them: which units and roles,
when (the access log, grouped per day).

Called only with the person records the scope handed out (Scope.records_by_number), which
logged each with the basis "registerutdrag"; so it reads rows of those records and nothing else.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from vagval.audit.actions import action_label
from vagval.audit.models import AccessLogEntry
from vagval.dataprotection import records
from vagval.people.models import Person

# Technical fields an extract leaves out: keys, search copies, secrets (hashes of link tokens).
_LEFT_OUT = ("id", "first_name_key", "last_name_key", "rate_window", "rate_count")


def _left_out(f: models.Field[Any, Any]) -> bool:
    return f.name in _LEFT_OUT or "hash" in f.name or "token" in f.name


@dataclass
class Section:
    title: str
    rows: list[list[tuple[str, str]]] = field(default_factory=list)  # per row: (field label, value)


@dataclass
class AccessRow:
    day: dt.date
    unit: str
    role: str
    action: str
    count: int


@dataclass
class Extract:
    persons: list[Person]
    sections: list[Section]
    access: list[AccessRow]
    made_at: dt.datetime


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "–"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items()) or "–"
    return str(value)


def row_fields(obj: models.Model, *, skip: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """Every field of a row as (label, value), choices by their label, related rows by name."""
    out = []
    for f in obj._meta.concrete_fields:
        if _left_out(f) or f.name in skip:
            continue
        display = getattr(obj, f"get_{f.name}_display", None)
        value = display() if f.choices and display else getattr(obj, f.name)
        out.append((str(f.verbose_name).capitalize(), _shown(value)))
    return out


def extract_build(*, persons: list[Person]) -> Extract:
    ids = [p.pk for p in persons]
    sections = [Section(_("Personuppgifter"), [row_fields(p) for p in persons])]
    for kind in records.KINDS:
        skip = tuple(records.person_fields(kind.model))
        rows = kind.model._default_manager.filter(person_id__in=ids).order_by("pk")
        sections.append(Section(str(kind.title), [row_fields(row, skip=skip) for row in rows]))
    return Extract(persons=persons, sections=sections, access=_access(ids), made_at=timezone.now())


def _access(person_ids: list[uuid.UUID]) -> list[AccessRow]:
    """Which units and roles accessed the records, per day and kind of access (no staff names:
    the person asks what was done with their data, and by whom as an organisation)."""
    from vagval.accounts.models import Role

    roles = dict(Role.choices)
    rows = (
        AccessLogEntry.objects.filter(person_id__in=person_ids)
        .annotate(day=TruncDate("at"))
        .values("day", "unit_name", "role", "action")
        .annotate(n=Count("id"))
        .order_by("day", "unit_name", "role", "action")
    )
    return [
        AccessRow(
            r["day"], r["unit_name"] or "–", str(roles.get(r["role"], r["role"])), action_label(r["action"]), r["n"]
        )
        for r in rows
    ]
