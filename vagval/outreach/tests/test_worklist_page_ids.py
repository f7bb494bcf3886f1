"""A worklist page's ids, read on SQLite from the index episode_open_worklist by name, are the
ORM's statement's ids in the same order: every page, every filter (over target and a school too)."""

import datetime as dt

import pytest

from vagval.access.checks import visible_own_register
from vagval.outreach import selectors
from vagval.outreach.tests.test_worklist_paged import FILTERS, _generated_list
from vagval.registers.models import ImportKind, RegisterImport, StudyEntry
from vagval.targetgroup.models import Episode

TODAY = dt.date(2026, 4, 14)


def _listed(viewer, unit, filters):
    episodes = selectors._filtered(
        visible_own_register(viewer=viewer).filter(closed_on__isnull=True),
        viewer=viewer,
        unit_id=unit.pk,
        filters=filters,
        today=TODAY,
    )
    if filters.status == selectors.STATUS_OVER_TARGET:
        clock = selectors._WorkdayClock(target=5, today=TODAY)
        dates = selectors._open_values(unit_id=unit.pk, name="opened_on")
        episodes = episodes.filter(clock.missed_q(opened_dates=dates))
    return episodes


def _orm_page(episodes, offset, limit):
    return list(episodes.order_by(*selectors.WORKLIST_RANKING).values_list("pk", flat=True)[offset : offset + limit])


@pytest.mark.parametrize("filters", [*FILTERS, selectors.WorklistFilters(school="Skola A")])
def test_every_page_is_the_orms_page(karin, ludvika_kaa_unit, filters):
    _generated_list(ludvika_kaa_unit, karin, seed=3)
    batch = RegisterImport.objects.create(
        kind=ImportKind.STUDIES,
        municipality=ludvika_kaa_unit.organisation.municipality,
        unit=ludvika_kaa_unit,
        imported_by=karin,
        reference_date=TODAY,
    )
    for n, episode in enumerate(Episode.objects.filter(unit=ludvika_kaa_unit).order_by("pk")):
        if n % 3 == 0:
            StudyEntry.objects.create(
                unit=ludvika_kaa_unit,
                person_id=episode.person_id,
                school_unit="Skola A",
                row_hash=f"h{n}",
                last_import=batch,
            )
    episodes = _listed(karin, ludvika_kaa_unit, filters)
    total = episodes.count()
    assert total > 0
    for offset in range(0, total + 7, 7):
        assert selectors.worklist_page_ids(episodes, offset=offset, limit=7) == _orm_page(episodes, offset, 7)
    assert selectors.worklist_page_ids(episodes, offset=0, limit=50) == _orm_page(episodes, 0, 50)


def test_no_episodes_give_no_ids():
    """visible_own_register's none() for a viewer who may see no persons."""
    assert selectors.worklist_page_ids(Episode.objects.none(), offset=0, limit=50) == []
