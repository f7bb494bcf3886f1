"""The consents a unit documented that end soon (the to-do list's and the start page's expiring
consents) are a range of the index consent_unit_valid_to, not every consent of the unit."""

import datetime as dt

import pytest
from django.db import connection

from vagval.common.scoping import unscoped
from vagval.consent.models import Consent
from vagval.worklist.sources import SourceContext, consents

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def planner_shows_its_index(db):
    """An empty table: PostgreSQL would scan it; told not to, it shows the index it would use."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")


def test_the_expiring_consents_are_a_range_of_the_units_end_dates(ludvika_unit):
    today = dt.date(2026, 12, 7)
    with unscoped("test check"):
        plan = (
            Consent.objects.filter(unit=ludvika_unit, valid_to__gte=today, valid_to__lte=today + dt.timedelta(days=14))
            .order_by()
            .explain()
        )
    assert "consent_unit_valid_to" in plan, plan
    if connection.vendor == "sqlite":
        assert "(unit_id=? AND valid_to>? AND valid_to<?)" in plan, plan


def test_the_to_do_lists_consents_read_the_index(alice, ludvika_unit):
    today = dt.date(2026, 12, 7)
    ctx = SourceContext(viewer=alice, unit_id=ludvika_unit.pk, today=today, horizon=today + dt.timedelta(days=14))
    with unscoped("test check"):
        plan = consents.query(ctx).explain()
    assert "consent_unit_valid_to" in plan, plan
