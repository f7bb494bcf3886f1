"""The worklist's counts (total and over target by missed_sql), read on SQLite from the index
episode_open_worklist by name and grouped by the unit, are the ORM's aggregate (over target by
missed_q): every filter,
the visible episodes, the unit's whole register and the hidden ones (merged records)."""

import datetime as dt

import pytest
from django.db.models import Count

from vagval.access.checks import hidden_own_register
from vagval.outreach import selectors
from vagval.outreach.tests.test_worklist_page_ids import TODAY, _listed
from vagval.outreach.tests.test_worklist_paged import FILTERS, _generated_list
from vagval.targetgroup.models import Episode


def _orm_counts(episodes, missed):
    counts = episodes.order_by().aggregate(total=Count("opened_on"), over=Count("opened_on", filter=missed))
    return counts["total"], counts["over"]


@pytest.mark.parametrize("filters", FILTERS)
def test_the_counts_are_the_orms_aggregate(karin, ludvika_kaa_unit, smedjebacken_kaa_unit, filters):
    _generated_list(ludvika_kaa_unit, karin, seed=5)
    _generated_list(smedjebacken_kaa_unit, karin, seed=6)  # another unit's list, in no count
    clock = selectors._WorkdayClock(target=5, today=TODAY)
    dates = selectors._open_values(unit_id=ludvika_kaa_unit.pk, name="opened_on")
    missed, written = clock.missed_q(opened_dates=dates), clock.missed_sql(opened_dates=dates)
    whole = selectors._filtered(
        Episode.objects.filter(unit_id=ludvika_kaa_unit.pk, closed_on__isnull=True),
        viewer=karin,
        unit_id=ludvika_kaa_unit.pk,
        filters=filters,
        today=TODAY,
    )
    hidden = hidden_own_register(viewer=karin).filter(closed_on__isnull=True)
    for episodes in (_listed(karin, ludvika_kaa_unit, filters), whole, hidden):
        counts = selectors._counts(episodes, missed=written)
        assert counts == _orm_counts(episodes, missed)
    assert selectors._counts(whole, missed=written)[1] > 0
    assert selectors._counts(hidden, missed=written)[0] > 0  # the merged records' open episodes


def test_no_episodes_count_nothing(ludvika_kaa_unit):
    clock = selectors._WorkdayClock(target=5, today=TODAY)
    missed = clock.missed_q(opened_dates=[dt.date(2026, 3, 2)])
    assert selectors._counts(Episode.objects.none(), missed=missed) == (0, 0)
    open_here = Episode.objects.filter(unit_id=ludvika_kaa_unit.pk, closed_on__isnull=True)
    assert selectors._counts(open_here, missed=missed) == (0, 0)
