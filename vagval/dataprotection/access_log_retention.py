"""Access-log retention: the one place the retention rules touch the access log.

The access log is append-only (audit.models; on PostgreSQL a trigger refuses DELETE), and it is
removed by dropping whole monthly partitions, which the access-log partitioning (issue 14,
"National scale") owns: it writes a record of what it dropped. This module only decides the
day before which entries may go, and hands it to that mechanism:

- the access-log rules are per organisation, but a partition holds every organisation's
  entries, so a month goes only when every active access-log rule allows it: the longest
  period wins (access_log_cutoff);
- access_log_expire(before) hands that day to audit's one executor,
  `audit.retention_services.access_log_remove_before`, which drops whole partitions on
  PostgreSQL (rows by month elsewhere), each after its AccessLogRemoval record.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from vagval.audit.models import AccessLogEntry
from vagval.audit.retention_services import access_log_remove_before
from vagval.audit.services import AccessContext
from vagval.dataprotection.models import RecordType, RetentionRule


def access_log_entries_before(before: dt.date) -> int:
    """How many entries lie before the day (what the dry run reports)."""
    start = timezone.make_aware(dt.datetime.combine(before, dt.time.min))
    return AccessLogEntry.objects.filter(at__lt=start).count()


def access_log_cutoff(*, as_of: dt.date) -> dt.date | None:
    """The first day of the month before which every active access-log rule lets entries go."""
    from vagval.dataprotection.retention_selectors import rule_cutoff

    rules = RetentionRule.objects.filter(record_type=RecordType.ACCESS_LOG, active=True)
    cutoffs = [rule_cutoff(rule, as_of) for rule in rules]
    return min(cutoffs) if cutoffs else None


def access_log_expire(before: dt.date, *, ctx: AccessContext) -> str:
    """Remove the access log's months before `before`; a summary without personal data."""
    removed = access_log_remove_before(cutoff=before, ctx=ctx, rule=f"gallringsregel: före {before.isoformat()}")
    rows = sum(removal.rows for removal in removed)
    return f"åtkomstloggen: {len(removed)} månader ({rows} poster) före {before.isoformat()}"
