"""The dry run: which person records a rule would remove as of a day, and why the others stay.

Reads without showing: the result names records only by a pseudonymous reference
(pseudonymous_ref), never by name or identity number, so nothing here is logged per person; the
dry run as a whole is logged by retention_services.review_create. The real run
(retention_services.review_carry_out) asks the same function, so the list approved is the list
removed.

Cost: one query per kind of record (the persons with a row changed after the cut-off, as a set),
one for the organisation's person records and one for the numbers held elsewhere; the sets are
compared in Python. See benchmarks/bench_retention.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Max, QuerySet
from django.utils import timezone

from vagval.common import sql
from vagval.dataprotection import records, retention_dates
from vagval.dataprotection.models import LegalHold, RecordType, RetentionRule
from vagval.organisations.models import Unit
from vagval.people.models import IdentityType, Person

# The first name an anonymised person record keeps (retention_services._anonymise): such a
# record is what statistics still count and is never a candidate again.
ANONYMISED_NAME = "(gallrad)"
SAMPLE_SIZE = 200


class Kept:
    """Why a record whose time has run out stays (the dry run counts each)."""

    HOLD = "hold"
    RESEARCH = "research"
    OTHER_RECORDS = "other_records"


@dataclass(frozen=True)
class Candidate:
    person_id: uuid.UUID
    unit_id: uuid.UUID | None
    statistics: bool  # has rows statistics count (records.STATISTICS_SOURCES): those stay
    keep_person: bool  # rows of the other record type remain on it (rule without "other records")

    @property
    def anonymise(self) -> bool:
        """The record stays for the statistics, without who it was (not when it stays anyway)."""
        return self.statistics and not self.keep_person


@dataclass
class DryRun:
    rule: RetentionRule
    as_of: dt.date
    cutoff: dt.date
    due: list[Candidate] = field(default_factory=list)
    kept: Counter[str] = field(default_factory=Counter)
    access_log_entries: int = 0

    @property
    def count(self) -> int:
        return self.access_log_entries if self.rule.record_type == RecordType.ACCESS_LOG else len(self.due)


def pseudonymous_ref(person_id: uuid.UUID) -> str:
    """A stable reference that names no one (a keyed hash of the record's key)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"gallring:{person_id}".encode(), hashlib.sha256)
    return f"G-{digest.hexdigest()[:10].upper()}"


def rule_cutoff(rule: RetentionRule, as_of: dt.date) -> dt.date:
    if rule.record_type == RecordType.ACCESS_LOG:
        months = rule.months_after_entry or 0
        first = as_of.replace(day=1)
        year, month = divmod(first.year * 12 + first.month - 1 - months, 12)
        return dt.date(year, month + 1, 1)
    return retention_dates.cutoff(
        as_of=as_of, years=rule.years_after_last_entry, by_end_of_following_year=rule.by_end_of_following_year
    )


def _end_of(day: dt.date) -> dt.datetime:
    """The first moment after `day`, in the installation's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _raw(rows: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of an ORM query as the database driver gives them, without the ORM's converters.

    The dry run compares hundreds of thousands of keys as sets: turning each into a uuid.UUID
    first (SQLite stores 32 hex digits) cost more than the queries. Every set is read the same
    way, so they compare; only the records due become UUIDs (sql.as_uuid).
    """
    statement, params = rows.query.sql_with_params()
    return sql.fetch(rows.model, statement, params)


def _persons_with(labels: list[str], since: dt.datetime | None = None) -> set[Any]:
    """The person records (raw keys, see _raw) with a row of these kinds (written at or after `since`)."""
    found: set[Any] = set()
    for label in labels:
        kind = records.kind(label)
        rows = kind.model._default_manager.all()
        if since is not None:
            rows = rows.filter(**{f"{kind.changed}__gte": since})
        found.update(row[0] for row in _raw(rows.order_by().values_list("person_id").distinct()))
    return found


def _labels(record_type: str) -> list[str]:
    return [k.label for k in records.kinds_of(record_type)]


def _other_type(record_type: str) -> str:
    return RecordType.KAA if record_type == RecordType.PERSON_FILE else RecordType.PERSON_FILE


def dry_run(*, rule: RetentionRule, as_of: dt.date) -> DryRun:
    """What `rule` removes as of `as_of` (a day no later than today), and the counts it keeps."""
    result = DryRun(rule=rule, as_of=as_of, cutoff=rule_cutoff(rule, as_of))
    if rule.record_type == RecordType.ACCESS_LOG:
        from vagval.dataprotection.access_log_retention import access_log_entries_before

        result.access_log_entries = access_log_entries_before(result.cutoff)
        return result
    units = list(Unit.objects.filter(organisation_id=rule.organisation_id).values_list("pk", flat=True))
    held = Person.objects.filter(unit_id__in=units, merged_into__isnull=True).exclude(
        first_name=ANONYMISED_NAME, id_type=IdentityType.NONE
    )
    own_labels = _labels(rule.record_type)
    if rule.record_type == RecordType.KAA:  # the KAA rule is about records in the register only
        held = held.filter(pk__in=_persons_with(own_labels)) if own_labels else held.none()
    after = _end_of(result.cutoff)
    recent = _persons_with(own_labels, after)
    if rule.record_type == RecordType.PERSON_FILE:
        recent.update(row[0] for row in _raw(held.filter(updated_at__gte=after).order_by().values_list("pk")))
    columns = held.order_by().values_list("pk", "unit_id", "id_number", "birth_date")
    rows = [r for r in _raw(columns) if r[0] not in recent]
    if not rows:
        return result
    ids = {r[0] for r in rows}
    on_hold = {r[0] for r in _raw(LegalHold.objects.filter(lifted_at__isnull=True).values_list("person_id"))}
    other_type = _persons_with(_labels(_other_type(rule.record_type)))
    numbers_elsewhere = _numbers_elsewhere(held, ids)
    with_statistics = _persons_with(list(records.STATISTICS_SOURCES))
    for raw_id, raw_unit, id_number, raw_birth in rows:
        person_id, unit_id = sql.as_uuid(raw_id), sql.as_uuid(raw_unit)
        birth_date = dt.date.fromisoformat(raw_birth) if isinstance(raw_birth, str) else raw_birth
        if raw_id in on_hold:
            result.kept[Kept.HOLD] += 1
        elif rule.research_exception and retention_dates.research_exception_applies(
            id_number=id_number, birth_date=birth_date
        ):
            result.kept[Kept.RESEARCH] += 1
        elif rule.keep_while_other_records and (raw_id in other_type or id_number in numbers_elsewhere):
            result.kept[Kept.OTHER_RECORDS] += 1
        else:
            file_rule = rule.record_type == RecordType.PERSON_FILE
            result.due.append(
                Candidate(
                    person_id,  # type: ignore[arg-type]  # a key is never NULL
                    unit_id,
                    statistics=file_rule and raw_id in with_statistics,
                    keep_person=(not file_rule) or raw_id in other_type,
                )
            )
    return result


def _numbers_elsewhere(held: QuerySet[Person], due_ids: set[Any]) -> set[str]:
    """Identity numbers of the due records that another person record also carries: one held by
    another organisation, or one of this organisation's that is not due."""
    numbers = held.filter(id_number__isnull=False).order_by().values("id_number")
    others = _raw(Person.objects.filter(id_number__in=numbers).order_by().values_list("pk", "id_number"))
    return {number for pk, number in others if pk not in due_ids and number is not None}


@dataclass(frozen=True)
class SampleRow:
    ref: str
    unit: str
    last_entry: dt.date
    due_on: dt.date
    deadline: dt.date
    action: str  # "delete" or "anonymise"


def sample(*, result: DryRun, size: int = SAMPLE_SIZE) -> list[SampleRow]:
    """The first `size` due records with the dates that make them due: the "why" of the dry run."""
    chosen = result.due[:size]
    if not chosen:
        return []
    ids = [c.person_id for c in chosen]
    last: dict[uuid.UUID, dt.datetime] = {}
    if result.rule.record_type == RecordType.PERSON_FILE:  # the record itself is part of the file
        last.update(Person.objects.filter(pk__in=ids).values_list("pk", "updated_at"))  # type: ignore[arg-type]
    for kind in records.kinds_of(result.rule.record_type):
        rows = kind.model._default_manager.filter(person_id__in=ids).order_by().values("person_id")
        for person_id, newest in rows.annotate(newest=Max(kind.changed)).values_list("person_id", "newest"):
            last[person_id] = max(last.get(person_id, newest), newest)
    units: dict[uuid.UUID | None, str] = dict(
        Unit.objects.filter(pk__in={c.unit_id for c in chosen}).values_list("pk", "name")
    )
    rule, out = result.rule, []
    for c in chosen:
        entry = timezone.localdate(last[c.person_id]) if c.person_id in last else result.cutoff
        years = rule.years_after_last_entry
        out.append(
            SampleRow(
                ref=pseudonymous_ref(c.person_id),
                unit=str(units.get(c.unit_id, "")),
                last_entry=entry,
                due_on=retention_dates.due_on(last_entry=entry, years=years),
                deadline=retention_dates.deadline(
                    last_entry=entry, years=years, by_end_of_following_year=rule.by_end_of_following_year
                ),
                action="anonymise" if c.anonymise else "delete",
            )
        )
    return out
