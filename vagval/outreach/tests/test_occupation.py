"""Occupation history: dated entries with source; the current one is the latest begun, non-planned entry."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.common.errors import InvalidInput
from vagval.outreach import selectors, services
from vagval.outreach.models import Occupation, OccupationCategory, OccupationSource
from vagval.outreach.tests.factories import on_list

TODAY = dt.date(2026, 4, 20)


@pytest.fixture
def episode(ludvika_kaa_unit):
    return on_list(ludvika_kaa_unit, opened_on=dt.date(2026, 3, 2))


def _add(user, episode, category, from_date, *, planned=False, source=OccupationSource.YOUNG_PERSON):
    data = services.OccupationData(category=category, source=source, from_date=from_date, planned=planned)
    return services.occupation_record(ctx=ctx_for(user), person_id=episode.person_id, data=data)


def _current(episode, today=TODAY):
    return selectors.current_occupation(list(Occupation.objects.filter(person=episode.person)), today=today)


def test_the_current_occupation_is_the_latest_entry_that_has_begun_and_is_not_planned(karin, episode):
    _add(karin, episode, OccupationCategory.NONE, dt.date(2026, 1, 10))
    work = _add(karin, episode, OccupationCategory.WORK, dt.date(2026, 3, 1))
    _add(karin, episode, OccupationCategory.STUDIES_KOMVUX, dt.date(2026, 8, 17), planned=True)
    _add(karin, episode, OccupationCategory.PLACEMENT, dt.date(2026, 4, 1), planned=True)  # planned, never began

    assert _current(episode) == work


def test_an_entry_dated_later_than_today_is_not_yet_current(karin, episode):
    earlier = _add(karin, episode, OccupationCategory.NONE, dt.date(2026, 1, 10))
    _add(karin, episode, OccupationCategory.WORK, dt.date(2026, 4, 1))
    assert _current(episode, today=dt.date(2026, 3, 31)) == earlier


def test_no_begun_entry_means_no_current_occupation(karin, episode):
    _add(
        karin, episode, OccupationCategory.STUDIES_NATIONAL, timezone.localdate() + dt.timedelta(days=30), planned=True
    )
    assert _current(episode) is None


def test_recording_writes_a_log_entry_with_the_source(karin, episode):
    occupation = _add(
        karin, episode, OccupationCategory.WORK, dt.date(2026, 3, 1), source=OccupationSource.EMPLOYMENT_SERVICE
    )
    assert (occupation.source, occupation.recorded_by, occupation.unit) == ("af", karin, episode.unit)
    entry = AccessLogEntry.objects.get(action="outreach.occupation_recorded")
    assert entry.person_id == episode.person_id


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"category": "semester"}, "category", "Välj en sysselsättning i listan."),
        ({"source": "rykte"}, "source", "Välj varifrån uppgiften kommer."),
        (
            {"from_date": dt.date.today() + dt.timedelta(days=3)},
            "from_date",
            "Datumet ligger i framtiden. Markera sysselsättningen som planerad eller ändra datumet.",
        ),
        ({"from_date": dt.date(1999, 1, 1)}, "from_date", "Datumet ligger före personens födelsedatum."),
        ({"description": "x" * 201}, "description", "Beskrivningen får vara högst 200 tecken."),
    ],
)
def test_bad_input_is_a_swedish_field_error_and_nothing_is_saved(karin, episode, values, field, message):
    data = {"category": OccupationCategory.WORK, "source": OccupationSource.SCHOOL, "from_date": dt.date(2026, 3, 1)}
    with pytest.raises(InvalidInput) as raised:
        services.occupation_record(
            ctx=ctx_for(karin), person_id=episode.person_id, data=services.OccupationData(**{**data, **values})
        )
    assert raised.value.field_errors == {field: [message]}
    assert not Occupation.objects.exists()


def test_the_form_saves_a_planned_entry(karin_client, episode):
    url = reverse("outreach:occupation_create", args=[episode.person_id])
    response = karin_client.post(
        url, {"category": "studier_folkhogskola", "from_date": "2027-08-20", "planned": "on", "source": "ungdomen"}
    )
    assert response.status_code == 302
    assert Occupation.objects.get().planned is True


def test_the_form_shows_swedish_errors(karin_client, episode):
    url = reverse("outreach:occupation_create", args=[episode.person_id])
    response = karin_client.post(url, {"category": "", "from_date": "snart", "source": ""})
    assert response.status_code == 400
    page = response.content.decode()
    for message in [
        "Välj en sysselsättning i listan.",
        "Skriv datumet som 2026-03-02.",
        "Välj varifrån uppgiften kommer.",
    ]:
        assert message in page
    assert not Occupation.objects.exists()


def test_history_and_current_occupation_on_the_person_page(karin, karin_client, episode):
    _add(karin, episode, OccupationCategory.NONE, dt.date(2026, 1, 10))
    _add(karin, episode, OccupationCategory.STUDIES_IM, dt.date(2026, 2, 1))
    page = karin_client.get(reverse("people:detail", args=[episode.person_id])).content.decode()
    assert "Studier – introduktionsprogram</strong>" in page
    assert "Ingen sysselsättning" in page
    assert reverse("outreach:occupation_create", args=[episode.person_id]) in page
