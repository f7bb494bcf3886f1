"""The worklist: the unit's open episodes, never contacted first, then longest since the last contact."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.outreach import selectors
from vagval.outreach.models import Outcome
from vagval.outreach.tests.factories import contact, on_list, young_person
from vagval.people.models import Person
from vagval.registers.models import ImportKind, RegisterImport, StudyEntry
from vagval.targetgroup.models import TargetGroupSetting, TargetList

TODAY = dt.date(2026, 4, 20)


def _names(worklist):
    return [row.person.first_name for row in worklist.rows]


def _list(viewer, today=TODAY, page=1, per_page=selectors.WORKLIST_PAGE_SIZE, **filters):
    return selectors.worklist(
        viewer=viewer,
        ctx=ctx_for(viewer),
        filters=selectors.WorklistFilters(**filters),
        page=page,
        per_page=per_page,
        today=today,
    )


def test_never_contacted_come_first_oldest_identification_first_then_longest_since_contact(karin, ludvika_kaa_unit):
    unit = ludvika_kaa_unit
    on_list(unit, young_person(first_name="Ny"), opened_on=dt.date(2026, 4, 1))
    on_list(unit, young_person(first_name="Gammal"), opened_on=dt.date(2026, 2, 1))
    long_ago = on_list(unit, young_person(first_name="Längesen"), opened_on=dt.date(2026, 1, 10))
    lately = on_list(unit, young_person(first_name="Nyligen"), opened_on=dt.date(2026, 1, 5))
    contact(long_ago, karin, on=dt.date(2026, 2, 3), outcome=Outcome.NOT_REACHED)
    contact(lately, karin, on=dt.date(2026, 1, 6), outcome=Outcome.NOT_REACHED)
    contact(lately, karin, on=dt.date(2026, 4, 14), outcome=Outcome.REACHED)

    assert _names(_list(karin)) == ["Gammal", "Ny", "Längesen", "Nyligen"]


def test_a_row_shows_last_contact_attempts_and_working_days_since_identification(karin, ludvika_kaa_unit):
    episode = on_list(ludvika_kaa_unit, opened_on=dt.date(2026, 4, 10))  # a Friday
    contact(episode, karin, on=dt.date(2026, 4, 13), outcome=Outcome.NOT_REACHED)
    contact(episode, karin, on=dt.date(2026, 4, 15), outcome=Outcome.WRONG_DETAILS)

    [row] = _list(karin).rows
    assert row.attempts == 2
    assert row.last_outcome == Outcome.WRONG_DETAILS
    assert row.last_contact_at.date() == dt.date(2026, 4, 15)
    assert row.workdays_since_identified == 6  # 13–17 April and 20 April


def test_closed_episodes_and_other_units_are_not_on_the_list(karin, ludvika_kaa_unit, smedjebacken_kaa_unit):
    on_list(ludvika_kaa_unit, young_person(first_name="Kvar"), opened_on=dt.date(2026, 3, 2))
    on_list(ludvika_kaa_unit, young_person(first_name="Flyttad"), opened_on=dt.date(2026, 1, 2), closed_on=TODAY)
    on_list(smedjebacken_kaa_unit, young_person(first_name="Annan"), opened_on=dt.date(2026, 1, 2))

    assert _names(_list(karin)) == ["Kvar"]


# --- Over target: no contact with outcome 'nådd' within the target's working days -----------------


@pytest.mark.parametrize(
    ("today", "over"),
    [
        (dt.date(2026, 3, 13), False),  # Friday 6 March + 5 working days = Friday 13 March (weekend not counted)
        (dt.date(2026, 3, 16), True),
    ],
)
def test_over_target_counts_working_days_across_a_weekend(karin, ludvika_kaa_unit, today, over):
    on_list(ludvika_kaa_unit, opened_on=dt.date(2026, 3, 6))
    [row] = _list(karin, today=today).rows
    assert row.over_target is over


@pytest.mark.parametrize(
    ("today", "over"),
    [
        # Skärtorsdagen 2 April + 5 working days: långfredagen and annandag påsk are off → 13 April.
        (dt.date(2026, 4, 10), False),
        (dt.date(2026, 4, 13), False),
        (dt.date(2026, 4, 14), True),
    ],
)
def test_over_target_skips_swedish_holidays(karin, ludvika_kaa_unit, today, over):
    on_list(ludvika_kaa_unit, opened_on=dt.date(2026, 4, 2))
    [row] = _list(karin, today=today).rows
    assert row.over_target is over


def test_reached_on_the_last_working_day_is_within_target_and_reached_after_it_is_over(karin, ludvika_kaa_unit):
    in_time = on_list(ludvika_kaa_unit, young_person(first_name="Itid"), opened_on=dt.date(2026, 4, 2))
    late = on_list(ludvika_kaa_unit, young_person(first_name="Sen"), opened_on=dt.date(2026, 4, 2))
    contact(in_time, karin, on=dt.date(2026, 4, 13))
    contact(late, karin, on=dt.date(2026, 4, 14))
    contact(late, karin, on=dt.date(2026, 4, 7), outcome=Outcome.NOT_REACHED)  # not reached does not count

    over = {row.person.first_name: row.over_target for row in _list(karin).rows}
    assert over == {"Itid": False, "Sen": True}


def test_the_target_follows_the_municipalitys_setting(karin, ludvika_kaa_unit):
    TargetGroupSetting.objects.create(municipality=ludvika_kaa_unit.organisation.municipality, first_contact_workdays=2)
    on_list(ludvika_kaa_unit, opened_on=dt.date(2026, 3, 6))
    worklist = _list(karin, today=dt.date(2026, 3, 11))  # Friday + 2 working days = Tuesday 10 March
    assert worklist.target_workdays == 2
    assert worklist.rows[0].over_target is True


def test_the_page_says_over_target_in_text(karin_client, ludvika_kaa_unit):
    on_list(ludvika_kaa_unit, young_person(first_name="Väntar"), opened_on=dt.date(2025, 1, 2))
    response = karin_client.get("/uppsokande/")
    assert response.status_code == 200
    assert "Över målet" in response.content.decode()
    # The status filter offers "Över målet" too: the row itself must say it.
    assert '<strong class="tag">Över målet</strong>' in response.content.decode()


# --- Filters ---------------------------------------------------------------------------------------


@pytest.fixture
def mixed_list(karin, ludvika_kaa_unit):
    unit = ludvika_kaa_unit
    never = on_list(
        unit, young_person(first_name="Aldrig", birth_date=dt.date(2009, 6, 1)), opened_on=dt.date(2026, 4, 1)
    )
    tried = on_list(
        unit,
        young_person(first_name="Försökt", birth_date=dt.date(2007, 6, 1)),
        opened_on=dt.date(2026, 4, 1),
        open_code="ej_paborjat",
        open_reason="ej påbörjat GY",
    )
    reached = on_list(
        unit,
        young_person(first_name="Nådd", birth_date=dt.date(2003, 6, 1)),
        opened_on=dt.date(2026, 4, 1),
        target_list=TargetList.UVAS,
        open_code="uvas",
        open_reason="ej i studier eller arbete",
    )
    late = on_list(unit, young_person(first_name="Sen", birth_date=dt.date(2009, 1, 1)), opened_on=dt.date(2026, 1, 5))
    contact(tried, karin, on=dt.date(2026, 4, 7), outcome=Outcome.NOT_REACHED)
    contact(reached, karin, on=dt.date(2026, 4, 7))
    contact(late, karin, on=dt.date(2026, 3, 2))
    batch = RegisterImport.objects.create(
        kind=ImportKind.STUDIES,
        municipality=unit.organisation.municipality,
        unit=unit,
        imported_by=karin,
        reference_date=dt.date(2026, 4, 1),
    )
    StudyEntry.objects.create(
        unit=unit,
        person=tried.person,
        school_form="GY",
        school_unit="Väsmanskolan",
        status="avbrott",
        row_hash="a",
        last_import=batch,
    )
    StudyEntry.objects.create(
        unit=unit,
        person=never.person,
        school_form="GY",
        school_unit="Väsmanskolan",
        status="avbrott",
        row_hash="b",
        last_import=batch,
        present=False,
    )
    return unit


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"status": selectors.STATUS_NEVER}, {"Aldrig"}),
        ({"status": selectors.STATUS_NOT_REACHED}, {"Försökt"}),
        ({"status": selectors.STATUS_REACHED}, {"Nådd", "Sen"}),
        ({"status": selectors.STATUS_OVER_TARGET}, {"Aldrig", "Försökt", "Sen"}),
        ({"target_list": TargetList.UVAS}, {"Nådd"}),
        ({"reason": "ej_paborjat"}, {"Försökt"}),
        ({"age_band": "16-17"}, {"Aldrig", "Sen"}),
        ({"age_band": "18-19"}, {"Försökt"}),
        ({"age_band": "20-24"}, {"Nådd"}),
        ({"school": "Väsmanskolan"}, {"Försökt"}),  # the other entry left the latest snapshot
        ({"target_list": TargetList.KAA, "status": selectors.STATUS_REACHED}, {"Sen"}),
    ],
)
def test_filters(karin, mixed_list, filters, expected):
    assert set(_names(_list(karin, **filters))) == expected


def test_filter_choices_come_from_the_units_list(karin, mixed_list):
    options = selectors.worklist_options(viewer=karin)
    assert options.schools == ["Väsmanskolan"]
    assert options.reasons == ["avbrott", "ej_paborjat", "uvas"]


def _link(first_name):
    return reverse("people:detail", args=[Person.objects.get(first_name=first_name).pk])


def test_filters_on_the_page_and_an_unknown_value_is_ignored(karin_client, mixed_list):
    page = karin_client.get("/uppsokande/", {"status": "ej_nadd"}).content.decode()
    assert _link("Försökt") in page
    assert _link("Aldrig") not in page
    response = karin_client.get("/uppsokande/", {"status": "nonsense", "age_band": "99", "school": "x"})
    assert response.status_code == 200
    assert _link("Aldrig") in response.content.decode()


# --- Logging and speed -------------------------------------------------------------------------------


def test_one_listed_entry_per_person_shown(karin, ludvika_kaa_unit):
    shown = {on_list(ludvika_kaa_unit, opened_on=dt.date(2026, 3, 2)).person_id for _ in range(3)}
    _list(karin)
    entries = AccessLogEntry.objects.filter(action="person.listed", user=karin)
    assert {e.person_id for e in entries} == shown
    assert entries.count() == 3
    assert {e.basis for e in entries} == {"own_unit"}


def test_the_number_of_queries_does_not_grow_with_the_rows(karin, ludvika_kaa_unit, django_assert_max_num_queries):
    for n in range(30):
        episode = on_list(ludvika_kaa_unit, opened_on=dt.date(2026, 3, 2))
        if n % 2:
            contact(episode, karin, on=dt.date(2026, 3, 4), outcome=Outcome.NOT_REACHED)
    _list(karin)  # warm the caches (unit of the user)
    with django_assert_max_num_queries(8):
        worklist = _list(karin)
    assert len(worklist.rows) == 30


def test_a_long_list_is_paged_most_urgent_first_and_logs_only_the_page_shown(karin, ludvika_kaa_unit):
    for day in (3, 1, 2):
        on_list(ludvika_kaa_unit, young_person(first_name=f"Dag{day}"), opened_on=dt.date(2026, 3, day + 1))
    worklist = _list(karin, per_page=2)
    assert _names(worklist) == ["Dag1", "Dag2"]
    assert (worklist.total, worklist.over_target_count) == (3, 3)
    assert (worklist.page, worklist.pages, worklist.first, worklist.last) == (1, 2, 1, 2)
    assert AccessLogEntry.objects.filter(action="person.listed").count() == 2
    second = _list(karin, page=2, per_page=2)
    assert _names(second) == ["Dag3"]
    assert (second.page, second.pages, second.first, second.last) == (2, 2, 3, 3)
    assert AccessLogEntry.objects.filter(action="person.listed").count() == 3


def test_a_page_past_the_last_shows_the_last(karin, ludvika_kaa_unit):
    for day in (3, 1, 2):
        on_list(ludvika_kaa_unit, young_person(first_name=f"Dag{day}"), opened_on=dt.date(2026, 3, day + 1))
    worklist = _list(karin, page=9, per_page=2)
    assert _names(worklist) == ["Dag3"]
    assert (worklist.page, worklist.pages) == (2, 2)


def test_an_empty_list_is_one_page_showing_nothing(karin, ludvika_kaa_unit):
    worklist = _list(karin, page=3)
    assert (worklist.rows, worklist.total, worklist.page, worklist.pages, worklist.first, worklist.last) == (
        [],
        0,
        1,
        1,
        0,
        0,
    )


def test_the_page_shows_fifty_rows_with_their_place_and_links_to_the_next_page(karin_client, ludvika_kaa_unit):
    for n in range(51):
        on_list(ludvika_kaa_unit, young_person(first_name=f"P{n:02d}"), opened_on=dt.date(2026, 1, 5) + dt.timedelta(n))
    first = karin_client.get("/uppsokande/", {"status": "aldrig"}).content.decode()
    assert "Visar 1–50 av 51" in first
    assert "51 personer på listan." in first
    assert first.count('<tr class="over-target">') == 50
    assert _link("P00") in first
    assert _link("P50") not in first
    assert "Sida 1 av 2" in first
    assert 'href="?status=aldrig&amp;page=2" rel="next">Nästa</a>' in first
    assert 'rel="prev"' not in first
    second = karin_client.get("/uppsokande/", {"status": "aldrig", "page": "2"}).content.decode()
    assert "Visar 51–51 av 51" in second
    assert _link("P50") in second
    assert _link("P00") not in second
    assert 'href="?status=aldrig&amp;page=1" rel="prev">Föregående</a>' in second
    assert 'rel="next"' not in second
    assert "Sida 2 av 2" in second


def test_a_short_list_has_no_page_links(karin_client, ludvika_kaa_unit):
    on_list(ludvika_kaa_unit, opened_on=dt.date(2026, 3, 2))
    page = karin_client.get("/uppsokande/", {"page": "x"}).content.decode()
    assert "Visar 1–1 av 1" in page
    assert 'class="pagination"' not in page
