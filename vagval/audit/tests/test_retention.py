"""The access log's retention rule: months older than ACCESS_LOG_RETENTION_MONTHS full months
before this one are removed, each with a kept record of what went (both databases run this: on
PostgreSQL a month is a partition dropped whole, on SQLite its rows are deleted)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from conftest import ctx_for
from vagval.accounts.system import SystemActor, system_context
from vagval.audit.models import AccessLogEntry, AccessLogRemoval
from vagval.audit.retention_services import access_log_partitions_ensure, access_log_retention_apply
from vagval.audit.services import access_log_record
from vagval.common import sql

pytestmark = pytest.mark.django_db
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
# In the past, so that the month partitions the migration made (this month and the next three)
# are after the cutoff and stay.
TODAY = dt.date(2026, 6, 15)


def _entry_at(monkeypatch, alice, moment: dt.datetime) -> AccessLogEntry:
    access_log_partitions_ensure(today=moment.date(), months_ahead=0)  # as the worker would have
    monkeypatch.setattr(timezone, "now", lambda: moment)
    entry = access_log_record(ctx=ctx_for(alice), action="person.viewed")
    monkeypatch.undo()
    return entry


@pytest.fixture
def history(monkeypatch, alice):
    """Entries at the edges of months: end of February, start of March, and this June."""
    return {
        "february": _entry_at(monkeypatch, alice, dt.datetime(2026, 2, 28, 23, 59, tzinfo=STOCKHOLM)),
        "march": _entry_at(monkeypatch, alice, dt.datetime(2026, 3, 1, 0, 0, tzinfo=STOCKHOLM)),
        "june": _entry_at(monkeypatch, alice, dt.datetime(2026, 6, 1, 8, 0, tzinfo=STOCKHOLM)),
    }


def _job_ctx():
    return system_context(SystemActor.NIGHTLY)


@pytest.fixture
def apply(monkeypatch, history):
    """The rule run on TODAY, whose clock the entries it writes follow too."""
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime.combine(TODAY, dt.time(1), tzinfo=STOCKHOLM))

    def run(**kwargs):
        return access_log_retention_apply(today=TODAY, ctx=_job_ctx(), **kwargs)

    return run


def test_months_before_the_retention_time_are_removed_and_later_ones_kept(history, apply):
    apply(months=3)

    kept = set(AccessLogEntry.objects.filter(action="person.viewed").values_list("pk", flat=True))
    assert kept == {history["march"].pk, history["june"].pk}


def test_each_removed_month_leaves_a_record_of_its_period_rows_and_rule(history, apply):
    removals = apply(months=3)

    assert len(removals) == 1
    record = AccessLogRemoval.objects.get()
    assert timezone.localtime(record.range_start) == dt.datetime(2026, 2, 1, tzinfo=STOCKHOLM)
    assert timezone.localtime(record.range_end) == dt.datetime(2026, 3, 1, tzinfo=STOCKHOLM)
    assert record.rows == 1
    assert record.rule == "ACCESS_LOG_RETENTION_MONTHS=3"
    assert record.removed_by == "system:nattlig-korning"
    if record.partition:  # PostgreSQL: the partition's name; SQLite has none
        assert record.partition == "audit_accesslogentry_p2026_02"


def test_the_removal_is_itself_in_the_access_log(history, apply):
    apply(months=3)

    entry = AccessLogEntry.objects.get(action="audit.log_removed")
    assert entry.detail["month"] == "2026-02"
    assert entry.detail["rows"] == 1
    assert entry.username == "system:nattlig-korning"


def test_running_the_rule_again_removes_and_records_nothing_more(history, apply):
    apply(months=3)
    assert apply(months=3) == []
    assert AccessLogRemoval.objects.count() == 1


def test_without_a_retention_setting_nothing_is_removed(history, apply, settings):
    settings.ACCESS_LOG_RETENTION_MONTHS = 0
    assert apply() == []
    assert AccessLogEntry.objects.filter(action="person.viewed").count() == 3


def test_the_setting_is_the_default_rule(history, apply, settings):
    settings.ACCESS_LOG_RETENTION_MONTHS = 2
    apply()

    assert set(AccessLogEntry.objects.filter(action="person.viewed").values_list("pk", flat=True)) == {
        history["june"].pk
    }
    assert AccessLogRemoval.objects.filter(rule="ACCESS_LOG_RETENTION_MONTHS=2").count() == 2


def test_the_removal_record_cannot_claim_a_backwards_period(db):
    from django.db import IntegrityError, transaction

    later = sql.month_bound(dt.date(2026, 3, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessLogRemoval.objects.create(
            range_start=later, range_end=later - dt.timedelta(days=1), rows=0, rule="x", removed_by="x"
        )


def test_month_arithmetic_crosses_years():
    assert sql.add_months(dt.date(2031, 11, 20), 3) == dt.date(2032, 2, 1)
    assert sql.add_months(dt.date(2031, 1, 5), -1) == dt.date(2030, 12, 1)
    assert sql.month_bound(dt.date(2031, 7, 9)) == dt.datetime(2031, 7, 1, tzinfo=STOCKHOLM)
    assert sql.month_partition_name("audit_accesslogentry", dt.date(2031, 7, 9)) == "audit_accesslogentry_p2031_07"
