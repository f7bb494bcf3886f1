"""Keeping the access log's shape over time: month partitions made ahead, old months removed.

On PostgreSQL the log is partitioned by month (migration 0005). `access_log_partitions_ensure`
makes this month's partition and the next ones before any entry needs them (the default
partition catches what still falls outside). `access_log_retention_apply` removes every month
older than ACCESS_LOG_RETENTION_MONTHS full months before this one: on PostgreSQL by dropping
the month's partition whole, on SQLite by deleting the month's rows; either way it first writes
an AccessLogRemoval (partition, period, row count, time, rule) and an audit.log_removed entry, in
the same transaction as the removal. The worker runs both each night (worklist.jobs); the
retention (gallring) of other records may call `access_log_retention_apply` too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Min
from django.utils import timezone

from vagval.audit.models import AccessBasis, AccessLogEntry, AccessLogRemoval
from vagval.audit.services import AccessContext, access_log_record
from vagval.common import sql

MONTHS_AHEAD = 3


def _connection() -> Any:
    return connections[router.db_for_write(AccessLogEntry)]


def _partitioned() -> bool:
    connection = _connection()
    return connection.vendor == "postgresql" and sql.is_partitioned(connection, AccessLogEntry._meta.db_table)


def access_log_partitions_ensure(*, today: dt.date, months_ahead: int = MONTHS_AHEAD) -> list[str]:
    """Make the partitions of this month and the next `months_ahead`; the names of those made.
    Running it again makes nothing. On a database without partitions (SQLite) it does nothing."""
    if not _partitioned():
        return []
    table = AccessLogEntry._meta.db_table
    this_month = today.replace(day=1)
    made = []
    for n in range(months_ahead + 1):
        month = sql.add_months(this_month, n)
        if sql.month_partition_create(_connection(), table, month):
            made.append(sql.month_partition_name(table, month))
    return made


def retention_cutoff(*, today: dt.date, months: int) -> dt.date:
    """The first month kept: entries from before it are removed (`months` full months are kept
    before this one)."""
    return sql.add_months(today.replace(day=1), -months)


def _rule(months: int) -> str:
    return f"ACCESS_LOG_RETENTION_MONTHS={months}"


def _record(*, ctx: AccessContext, partition: str, month: dt.date, rows: int, rule: str) -> AccessLogRemoval:
    removal = AccessLogRemoval.objects.create(
        partition=partition,
        range_start=sql.month_bound(month),
        range_end=sql.month_bound(sql.add_months(month, 1)),
        rows=rows,
        rule=rule,
        removed_by=ctx.user.username,
    )
    access_log_record(
        ctx=ctx,
        action="audit.log_removed",
        basis=AccessBasis.ADMINISTRATION,
        detail={"partition": partition, "month": f"{month:%Y-%m}", "rows": rows, "rule": removal.rule},
    )
    return removal


def _months_with_rows_before(cutoff: dt.date) -> list[dt.date]:
    oldest = AccessLogEntry.objects.filter(at__lt=sql.month_bound(cutoff)).aggregate(oldest=Min("at"))["oldest"]
    if oldest is None:
        return []
    month = timezone.localtime(oldest).date().replace(day=1)
    found = []
    while month < cutoff:
        found.append(month)
        month = sql.add_months(month, 1)
    return found


def access_log_retention_apply(
    *, today: dt.date, ctx: AccessContext, months: int | None = None
) -> list[AccessLogRemoval]:
    """Remove the months of the access log that the retention rule no longer keeps, each with
    its AccessLogRemoval record; `months` defaults to ACCESS_LOG_RETENTION_MONTHS (0: keep all)."""
    months = settings.ACCESS_LOG_RETENTION_MONTHS if months is None else months
    if months <= 0:
        return []
    return access_log_remove_before(cutoff=retention_cutoff(today=today, months=months), ctx=ctx, rule=_rule(months))


def access_log_remove_before(*, cutoff: dt.date, ctx: AccessContext, rule: str) -> list[AccessLogRemoval]:
    """Remove every month of the access log before `cutoff` (a month's first day): whole
    partitions on PostgreSQL, the month's rows elsewhere, each after its AccessLogRemoval record
    naming `rule`. The setting above and the retention rules (dataprotection) both end here."""
    connection = _connection()
    table = AccessLogEntry._meta.db_table
    removals = []
    if _partitioned():
        for part in sql.month_partitions(connection, table):
            if part.month >= cutoff:
                continue
            with transaction.atomic(using=connection.alias):
                rows = sql.partition_row_count(connection, part.name)
                removals.append(_record(ctx=ctx, partition=part.name, month=part.month, rows=rows, rule=rule))
                sql.partition_drop(connection, table, part.name)
        return removals
    for month in _months_with_rows_before(cutoff):
        with transaction.atomic(using=connection.alias):
            start, end = sql.month_bound(month), sql.month_bound(sql.add_months(month, 1))
            rows = sql.rows_delete_between(AccessLogEntry, "at", start, end)
            if rows:
                removals.append(_record(ctx=ctx, partition="", month=month, rows=rows, rule=rule))
    return removals


@dataclass(frozen=True)
class MaintenanceSummary:
    created: list[str]
    removed: list[AccessLogRemoval]

    def __str__(self) -> str:
        rows = sum(r.rows for r in self.removed)
        return f"{len(self.created)} nya partitioner, {len(self.removed)} månader borttagna ({rows} poster)"


def access_log_maintain(*, today: dt.date, ctx: AccessContext) -> MaintenanceSummary:
    """The nightly job: partitions ahead, then the retention rule."""
    created = access_log_partitions_ensure(today=today)
    return MaintenanceSummary(created=created, removed=access_log_retention_apply(today=today, ctx=ctx))
