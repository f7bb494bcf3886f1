"""The worklist ranked and paged in the database gives what ranking every episode in Python gave,
page by page.

worklist_before.py keeps the old way (every matching episode read, "over target" decided by
target_missed row by row); here both read the same generated list: names, identification dates
and contact times drawn so that they tie often, around Easter and weekends, with contacts just
before and after midnight, for several targets, days and page sizes and every filter.
"""

import datetime as dt
import random

import pytest

from conftest import ctx_for
from vagval.outreach import selectors
from vagval.outreach.models import Outcome
from vagval.outreach.tests.factories import at, contact, on_list, young_person
from vagval.outreach.tests.worklist_before import recomputed, worklist_before
from vagval.targetgroup.models import Episode, TargetGroupSetting, TargetList

FIRST_DAY = dt.date(2026, 3, 23)  # two weeks before Easter (långfredagen 3 April, annandag påsk 6 April)
LAST_NAMES = ["Ahl", "Berg", "Berg", "Ek"]
FIRST_NAMES = ["Ada", "Bo", "Bo"]


def _generated_list(unit, by, *, seed):
    rng = random.Random(seed)
    for n in range(60):
        opened_on = FIRST_DAY + dt.timedelta(days=rng.randrange(28))
        person = young_person(
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            birth_date=dt.date(2005 + rng.randrange(5), 1 + rng.randrange(12), 1),
        )
        episode = on_list(
            unit,
            person,
            opened_on=opened_on,
            target_list=rng.choice([TargetList.KAA, TargetList.UVAS]),
            open_code=rng.choice(["avbrott", "uvas"]),
        )
        for _ in range(rng.choice([0, 0, 1, 2])):
            day = opened_on + dt.timedelta(days=rng.randrange(14))
            outcome = rng.choice(list(Outcome))
            # At ten (ties between episodes), or a minute either side of midnight.
            made_at = at(day, 0) + dt.timedelta(minutes=rng.choice([-1, 1])) if rng.random() < 0.5 else None
            contact(episode, by, on=day, outcome=outcome, made_at=made_at)
        if n % 20 == 7:
            on_list(unit, opened_on=opened_on, closed_on=opened_on + dt.timedelta(days=3))
        if n % 20 == 11:  # a merged record's open episode, contacted or not: on no list, in no count
            person.merged_into = young_person()
            person.save(update_fields=["merged_into"])


def _paged(viewer, filters, today, page, per_page):
    worklist = selectors.worklist(
        viewer=viewer, ctx=ctx_for(viewer), filters=filters, page=page, per_page=per_page, today=today
    )
    rows = [
        (
            row.episode.pk,
            row.person.pk,
            row.last_contact_at,
            row.last_outcome,
            row.attempts,
            row.workdays_since_identified,
            row.over_target,
        )
        for row in worklist.rows
    ]
    place = (worklist.page, worklist.pages, worklist.first, worklist.last)
    return rows, worklist.total, worklist.over_target_count, place


def _as_page(before, page, per_page):
    """The reference's figures for a page of `per_page` rows: its number, the number of pages
    and the 1-based numbers of its first and last row."""
    first = (page - 1) * per_page + 1 if before.rows else 0
    pages = max(-(-before.total // per_page), 1)
    return before.rows, before.total, before.over_target_count, (page, pages, first, first + len(before.rows) - 1)


FILTERS = [
    selectors.WorklistFilters(),
    selectors.WorklistFilters(status=selectors.STATUS_OVER_TARGET),
    selectors.WorklistFilters(status=selectors.STATUS_NEVER),
    selectors.WorklistFilters(status=selectors.STATUS_NOT_REACHED),
    selectors.WorklistFilters(status=selectors.STATUS_REACHED),
    selectors.WorklistFilters(target_list=TargetList.UVAS, status=selectors.STATUS_OVER_TARGET),
    selectors.WorklistFilters(reason="avbrott", age_band="18-19"),
]


@pytest.mark.parametrize("target", [0, 2, 5])
def test_every_page_equals_ranking_every_episode(karin, ludvika_kaa_unit, target):
    """Every page of 7 rows (and the one page of 50), and a page past the last, which shows the last."""
    TargetGroupSetting.objects.create(
        municipality=ludvika_kaa_unit.organisation.municipality, first_contact_workdays=target
    )
    _generated_list(ludvika_kaa_unit, karin, seed=target)
    for per_page in (7, selectors.WORKLIST_PAGE_SIZE):
        for today in (dt.date(2026, 4, 2), dt.date(2026, 4, 7), dt.date(2026, 4, 14), dt.date(2026, 5, 4)):
            for filters in FILTERS:
                whole = worklist_before(viewer=karin, filters=filters, today=today, limit=10_000)
                pages = max(-(-whole.total // per_page), 1)
                for page in range(1, pages + 1):
                    before = worklist_before(
                        viewer=karin, filters=filters, today=today, offset=(page - 1) * per_page, limit=per_page
                    )
                    assert _paged(karin, filters, today, page, per_page) == _as_page(before, page, per_page), (
                        per_page,
                        page,
                        today,
                        filters,
                    )
                past = _paged(karin, filters, today, pages + 1, per_page)
                assert past == _paged(karin, filters, today, pages, per_page)


def test_the_databases_over_target_equals_target_missed_for_every_day_around_easter(karin, ludvika_kaa_unit):
    """Episodes identified on each of 30 days, reached (or not) a minute before or after each
    midnight of the next three weeks: the condition the database counts (missed_sql, and the
    ORM's missed_q) marks exactly the rows that target_missed marks."""
    for offset in range(30):
        opened_on = FIRST_DAY + dt.timedelta(days=offset)
        on_list(ludvika_kaa_unit, opened_on=opened_on)
        for days in range(0, 21, 2):
            episode = on_list(ludvika_kaa_unit, opened_on=opened_on)
            made_at = at(opened_on + dt.timedelta(days=days), 0) + dt.timedelta(minutes=-1 if days % 4 else 1)
            contact(episode, karin, on=opened_on, outcome=Outcome.REACHED, made_at=made_at)
    today = dt.date(2026, 4, 14)
    clock = selectors._WorkdayClock(target=5, today=today)
    episodes = recomputed(Episode.objects.filter(unit=ludvika_kaa_unit))
    opened_dates = sorted(set(episodes.values_list("opened_on", flat=True)))
    missed = set(episodes.filter(clock.missed_q(opened_dates=opened_dates)).values_list("pk", flat=True))
    written = set(episodes.filter(clock.missed_sql(opened_dates=opened_dates)).values_list("pk", flat=True))
    expected = {
        episode.pk
        for episode in episodes
        if clock.over_target(episode.opened_on, selectors._local_date(episode.was_first_reached_at))
    }
    assert len(expected) > 100
    assert missed == expected
    assert written == expected  # the SQL the worklist runs, as missed_q
