"""The worklist's order and figures pinned on a list with ties on every ranking factor.

Ranking: never contacted first, then the earliest last contact; then the earliest
identification; then last name, first name. "Över målet" is decided per row with Swedish
working days, and the list's total and over-target count cover every row, not only those shown.
"""

import datetime as dt

import pytest

from conftest import ctx_for
from vagval.accounts.tests.factories import UserFactory
from vagval.audit.models import AccessLogEntry
from vagval.outreach import selectors
from vagval.outreach.models import Outcome
from vagval.outreach.tests.factories import at, contact, on_list, young_person
from vagval.targetgroup.models import TargetList

TODAY = dt.date(2026, 4, 20)  # a Monday; the target is 5 working days


def _person(first_name, last_name):
    return young_person(first_name=first_name, last_name=last_name)


def _contact_at(episode, by, moment, outcome=Outcome.REACHED):
    return contact(episode, by, on=moment.date(), outcome=outcome, made_at=moment)


@pytest.fixture
def tied_list(karin, ludvika_kaa_unit, smedjebacken_kaa_unit):
    """Episodes named by their expected place; each pair of neighbours ties on every factor before
    the one that separates them."""
    unit = ludvika_kaa_unit
    # Never contacted: the oldest identification first, then last name, then first name.
    on_list(unit, _person("N1", "Berg"), opened_on=dt.date(2026, 2, 2))
    on_list(unit, _person("N3", "Berg"), opened_on=dt.date(2026, 3, 2))
    on_list(unit, _person("N2", "Ahl"), opened_on=dt.date(2026, 3, 2))
    on_list(unit, _person("N5", "Berg"), opened_on=dt.date(2026, 3, 2))
    on_list(unit, _person("N4", "Berg"), opened_on=dt.date(2026, 3, 2))  # "N4" < "N5"
    on_list(unit, _person("N6", "Ahl"), opened_on=dt.date(2026, 4, 16))  # within target today
    # Contacted: the earliest last contact first; equal last contacts by identification, names.
    same_moment = at(dt.date(2026, 3, 10))
    for name, last_name, opened_on in (
        ("C3", "Cedersund", dt.date(2026, 1, 12)),
        ("C1", "Dahl", dt.date(2026, 1, 5)),
        ("C2", "Ahl", dt.date(2026, 1, 12)),
    ):
        episode = on_list(unit, _person(name, last_name), opened_on=opened_on)
        _contact_at(episode, karin, same_moment, Outcome.NOT_REACHED)
    # Reached on the deadline's last working day (13 April, late evening) and just after it.
    in_time = on_list(unit, _person("C5", "Ek"), opened_on=dt.date(2026, 4, 2))
    _contact_at(in_time, karin, at(dt.date(2026, 4, 13), 23) + dt.timedelta(minutes=30))
    late = on_list(unit, _person("C6", "Ek"), opened_on=dt.date(2026, 4, 2))
    _contact_at(late, karin, at(dt.date(2026, 4, 14), 0) + dt.timedelta(minutes=30))
    _contact_at(late, karin, at(dt.date(2026, 4, 7)), Outcome.NOT_REACHED)  # not reached does not count
    # Reached in time, then a later attempt that did not reach: the last contact ranks.
    again = on_list(unit, _person("C7", "Ahl"), opened_on=dt.date(2026, 3, 2))
    _contact_at(again, karin, at(dt.date(2026, 3, 3)))
    _contact_at(again, karin, at(dt.date(2026, 4, 15)), Outcome.DECLINED)
    # A person on both lists has two rows; the earlier identification ranks first.
    both = _person("C4", "Falk")
    kaa = on_list(unit, both, opened_on=dt.date(2026, 3, 20))
    uvas = on_list(unit, both, opened_on=dt.date(2026, 3, 23), target_list=TargetList.UVAS, open_code="uvas")
    _contact_at(kaa, karin, at(dt.date(2026, 3, 24), 9), Outcome.NOT_REACHED)
    _contact_at(uvas, karin, at(dt.date(2026, 3, 24), 9), Outcome.NOT_REACHED)
    # Not on the list: a closed episode, another unit's, a merged record.
    on_list(unit, _person("Closed", "Aa"), opened_on=dt.date(2026, 1, 2), closed_on=TODAY)
    on_list(smedjebacken_kaa_unit, _person("Elsewhere", "Aa"), opened_on=dt.date(2026, 1, 2))
    merged = on_list(unit, _person("Merged", "Aa"), opened_on=dt.date(2026, 1, 2)).person
    merged.merged_into = _person("Survivor", "Zz")
    merged.save(update_fields=["merged_into"])
    return unit


EXPECTED = ["N1", "N2", "N3", "N4", "N5", "N6", "C1", "C2", "C3", "C4", "C4", "C5", "C6", "C7"]
OVER = {"N1", "N2", "N3", "N4", "N5", "C1", "C2", "C3", "C4", "C6"}


def _list(viewer, per_page=selectors.WORKLIST_PAGE_SIZE, **filters):
    return selectors.worklist(
        viewer=viewer, ctx=ctx_for(viewer), filters=selectors.WorklistFilters(**filters), per_page=per_page, today=TODAY
    )


def _shown(worklist):
    return [row.person.first_name for row in worklist.rows]


def test_the_order_breaks_every_tie_by_the_next_factor(karin, tied_list):
    worklist = _list(karin)
    assert _shown(worklist) == EXPECTED
    assert {row.person.first_name for row in worklist.rows if row.over_target} == OVER
    assert (worklist.total, worklist.over_target_count) == (14, 11)  # C4 is over on both rows


def test_each_row_shows_its_own_contacts_and_working_days(karin, tied_list):
    rows = {(row.person.first_name, row.episode.target_list): row for row in _list(karin).rows}
    late = rows["C6", TargetList.KAA]
    assert (late.attempts, late.last_outcome, late.workdays_since_identified) == (2, Outcome.REACHED, 10)
    again = rows["C7", TargetList.KAA]
    assert (again.attempts, again.last_outcome, again.over_target) == (2, Outcome.DECLINED, False)
    assert again.last_contact_at == at(dt.date(2026, 4, 15))
    never = rows["N6", TargetList.KAA]
    assert (never.attempts, never.last_outcome, never.last_contact_at) == (0, "", None)


def test_a_short_page_shows_the_first_rows_but_counts_all(karin, tied_list):
    worklist = _list(karin, per_page=4)
    assert _shown(worklist) == EXPECTED[:4]
    assert (worklist.total, worklist.over_target_count) == (14, 11)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (selectors.STATUS_OVER_TARGET, [name for name in EXPECTED if name in OVER]),
        (selectors.STATUS_NEVER, ["N1", "N2", "N3", "N4", "N5", "N6"]),
        (selectors.STATUS_NOT_REACHED, ["C1", "C2", "C3", "C4", "C4"]),
        (selectors.STATUS_REACHED, ["C5", "C6", "C7"]),
    ],
)
def test_a_status_filter_keeps_the_order_and_counts_what_it_keeps(karin, tied_list, status, expected):
    worklist = _list(karin, per_page=3, status=status)
    assert _shown(worklist) == expected[:3]
    assert worklist.total == len(expected)
    assert worklist.over_target_count == sum(1 for name in expected if name in OVER)


def test_only_the_rows_shown_are_logged_once_per_row(karin, tied_list):
    shown = _list(karin, per_page=5).rows
    entries = AccessLogEntry.objects.filter(action="person.listed", user=karin)
    assert sorted(str(e.person_id) for e in entries) == sorted(str(row.person.pk) for row in shown)


def test_a_coach_at_the_unit_sees_the_same_list(tied_list):
    coach = UserFactory(username="kent", unit=tied_list, role="coach")
    assert _shown(_list(coach)) == EXPECTED
