"""The job writes links with common.sql.insert_many (one executemany, no model instances): the rows
are the same as bulk_create writes for the same values, on SQLite and PostgreSQL."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from vagval.common import scoping, sql
from vagval.followup import jobs
from vagval.followup.models import FollowUpLink, FollowUpStatus
from vagval.followup.tests.factories import FollowUpFactory


def _values(link_id):
    fields = [f.attname for f in FollowUpLink._meta.concrete_fields]
    return FollowUpLink.objects.filter(pk=link_id).values(*fields).get()


@pytest.mark.parametrize("copy_from_rows", [1, 10**9], ids=["copy", "executemany"])
def test_insert_many_writes_what_bulk_create_writes(alices_person, monkeypatch, copy_from_rows):
    # On PostgreSQL from COPY_FROM_ROWS rows the rows go in by COPY: both paths write the same.
    monkeypatch.setattr(sql, "COPY_FROM_ROWS", copy_from_rows)
    with scoping.unscoped("test: two links written two ways"):
        by_orm, by_sql = FollowUpFactory(status=FollowUpStatus.DUE), FollowUpFactory(status=FollowUpStatus.DUE)
        now = timezone.now().replace(microsecond=123000)
        common = dict(sent_on=dt.date(2026, 2, 28), sent_via="sms", expires_at=now + dt.timedelta(days=30))
        orm_id, sql_id = uuid.uuid4(), uuid.uuid4()
        FollowUpLink.objects.bulk_create(
            [
                FollowUpLink(
                    id=orm_id,
                    follow_up=by_orm,
                    person_id=by_orm.person_id,
                    unit_id=by_orm.unit_id,
                    token_hash="a" * 64,
                    **common,
                )
            ]
        )
        FollowUpLink.objects.filter(pk=orm_id).update(created_at=now, updated_at=now)
        written = sql.insert_many(
            FollowUpLink,
            jobs._LINK_COLUMNS,
            [(sql_id, by_sql.pk, by_sql.person_id, by_sql.unit_id, "b" * 64, "sms")],
            shared={
                "created_at": now,
                "updated_at": now,
                "sent_on": common["sent_on"],
                "expires_at": common["expires_at"],
                "reminders_sent": 0,
            },
        )
        assert written == 1
        orm_row, sql_row = _values(orm_id), _values(sql_id)
        for differs in ("id", "follow_up_id", "person_id", "unit_id", "token_hash"):
            orm_row.pop(differs), sql_row.pop(differs)
        assert sql_row == orm_row
        # Read back through the ORM as the same types: the UUID key finds the row.
        assert FollowUpLink.objects.get(pk=sql_id).follow_up_id == by_sql.pk


def test_insert_many_of_nothing_writes_nothing():
    assert sql.insert_many(FollowUpLink, jobs._LINK_COLUMNS, []) == 0
