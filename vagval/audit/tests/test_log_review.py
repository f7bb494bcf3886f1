import csv
import datetime as dt
import io
import re
import uuid
import zoneinfo
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from conftest import client_for, ctx_for
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.audit import selectors
from vagval.audit.actions import ACTIONS
from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.audit.services import access_log_record
from vagval.organisations.tests.factories import municipality
from vagval.people.models import Protection
from vagval.people.tests.factories import PersonFactory

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
LOG = reverse("audit:log")
LOOKUP = reverse("audit:person_lookup")
EXPORT = reverse("audit:log_export")


# Made-up codes that tell this file's entries apart (periods, office hours, a formula). The
# service refuses undeclared codes, so they are declared for these tests only.
MADE_UP_CODES = (
    "person.before",
    "person.first_day",
    "person.last_day",
    "person.after",
    "person.office",
    "person.office_late",
    "person.early",
    "person.evening",
    "person.saturday",
    "person.winter_early",
    "person.winter_office",
    "=cmd|' /C calc'!A0",
)


@pytest.fixture(autouse=True)
def _declare_made_up_codes():
    with mock.patch.dict(ACTIONS, {code: code for code in MADE_UP_CODES}):
        yield


def at(*args: int) -> dt.datetime:
    """An aware local (Stockholm) time."""
    return dt.datetime(*args, tzinfo=STOCKHOLM)


def record_at(when: dt.datetime, user, action="person.viewed", person_id=None, **kwargs) -> AccessLogEntry:
    """An entry with a chosen time: `at` is auto_now_add and the log refuses updates."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        return access_log_record(ctx=ctx_for(user), action=action, person_id=person_id, **kwargs)


def shown(response) -> list[AccessLogEntry]:
    return [row.entry for row in response.context["result"].rows]


@pytest.fixture
def admin_client(dana) -> Client:
    return verified_admin_client(dana)


# --- Who may use the pages ------------------------------------------------------------------

PAGES = [("get", LOG), ("post", LOOKUP), ("get", EXPORT)]


@pytest.mark.parametrize(("method", "url"), PAGES)
def test_anonymous_is_sent_to_log_in(method, url, db):
    response = getattr(Client(), method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("method", "url"), PAGES)
@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "erik"])
def test_non_administrators_get_403(db, method, url, persona, request):
    client = client_for(request.getfixturevalue(persona))
    assert getattr(client, method)(url).status_code == 403
    assert not AccessLogEntry.objects.filter(action__startswith="audit.").exists()


@pytest.mark.parametrize(("method", "url"), PAGES)
def test_an_administrator_without_two_factor_is_sent_to_verify(method, url, dana):
    response = getattr(client_for(dana), method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))


def test_a_verified_administrator_sees_the_log(admin_client, alice):
    record_at(at(2026, 3, 2, 10, 0), alice, action="person.viewed")
    response = admin_client.get(LOG)
    assert response.status_code == 200
    assert response.context["nav"] == "log"
    assert [e.action for e in shown(response)] == ["person.viewed"]
    assert response.content.count(b"<h1") == 1


def test_the_log_shows_each_actions_swedish_label_with_its_code_in_small_text(admin_client, alice):
    record_at(at(2026, 3, 2, 10, 0), alice, action="consent.recipient_withdrawn")
    content = admin_client.get(LOG).content.decode()
    assert "Återkallade samtycke för en mottagare" in content
    assert '<code class="muted" title="Händelsekod">consent.recipient_withdrawn</code>' in content


def test_the_action_search_suggests_groups_and_codes_with_their_labels(admin_client):
    content = admin_client.get(LOG).content.decode()
    assert '<option value="person">Alla händelser som börjar med person</option>' in content
    assert '<option value="consent.withdrawn">Återkallade samtycke</option>' in content


# --- Read-only ------------------------------------------------------------------------------


def test_the_log_cannot_be_changed_through_the_pages(admin_client, alice):
    entry = record_at(at(2026, 3, 2, 10, 0), alice)
    assert admin_client.post(LOG, {"action": "x"}).status_code == 405
    assert admin_client.post(EXPORT).status_code == 405
    assert admin_client.get(LOOKUP).status_code == 405
    content = admin_client.get(LOG).content.decode()
    assert "Ta bort" not in content
    assert "Radera" not in content
    assert not re.search(r"\bÄndra\b", content)  # the word, not the labels (Ändrade en plan)
    entry.refresh_from_db()
    assert entry.action == "person.viewed"


def test_the_audit_app_has_no_urls_that_write():
    from vagval.audit import urls

    assert sorted(p.name for p in urls.urlpatterns) == ["log", "log_export", "person_lookup"]


# --- Reading the log is logged --------------------------------------------------------------


def test_the_log_page_writes_exactly_one_log_viewed_entry_with_the_filters(admin_client, alice, dana):
    record_at(at(2026, 3, 2, 10, 0), alice)
    admin_client.get(LOG, {"user": "alice", "action": "person", "date_from": "2026-03-01", "unusual": "on"})
    entry = AccessLogEntry.objects.get(action="audit.log_viewed")
    assert entry.username == "dana"
    assert entry.basis == AccessBasis.ADMINISTRATION
    assert entry.person_id is None
    assert entry.detail == {
        "filters": {"user": "alice", "action": "person", "date_from": "2026-03-01", "unusual_only": True},
        "page": 1,
        "results": 0,
    }


def test_an_invalid_search_shows_errors_and_reads_nothing(admin_client):
    response = admin_client.get(LOG, {"date_from": "2026-03-10", "date_to": "2026-03-01"})
    assert response.context["form"].errors["date_to"] == ["Till-datumet kan inte vara före från-datumet."]
    assert response.context["result"] is None
    assert not AccessLogEntry.objects.filter(action="audit.log_viewed").exists()


def test_a_personnummer_typed_into_the_get_form_is_refused_and_not_logged(admin_client, alices_person):
    number = alices_person.id_number
    response = admin_client.get(LOG, {"user": number})
    assert "Sök på person" in response.context["form"].errors["user"][0]
    assert response.context["result"] is None
    assert not AccessLogEntry.objects.filter(action__startswith="audit.").exists()


# --- Filters --------------------------------------------------------------------------------


def test_it_filters_by_user(admin_client, alice, charlie):
    record_at(at(2026, 3, 2, 10, 0), alice)
    record_at(at(2026, 3, 2, 11, 0), charlie)
    response = admin_client.get(LOG, {"user": "Charlie"})
    assert [e.username for e in shown(response)] == ["charlie"]


def test_it_filters_by_action_code_or_prefix(admin_client, alice):
    record_at(at(2026, 3, 2, 10, 0), alice, action="person.viewed")
    record_at(at(2026, 3, 2, 10, 1), alice, action="person.search_hit")
    record_at(at(2026, 3, 2, 10, 2), alice, action="enrolment.created")
    assert [e.action for e in shown(admin_client.get(LOG, {"action": "person"}))] == [
        "person.search_hit",
        "person.viewed",
    ]
    assert [e.action for e in shown(admin_client.get(LOG, {"action": "person.viewed"}))] == ["person.viewed"]
    assert [e.action for e in shown(admin_client.get(LOG, {"action": "person.search"}))] == []


def test_it_filters_by_period_in_local_dates_inclusive(admin_client, alice):
    record_at(at(2026, 2, 28, 23, 59), alice, action="person.before")
    record_at(at(2026, 3, 1, 0, 0), alice, action="person.first_day")
    record_at(at(2026, 3, 31, 23, 59), alice, action="person.last_day")
    record_at(at(2026, 4, 1, 0, 0), alice, action="person.after")
    response = admin_client.get(LOG, {"date_from": "2026-03-01", "date_to": "2026-03-31", "action": "person"})
    assert [e.action for e in shown(response)] == ["person.last_day", "person.first_day"]


def test_it_shows_the_persons_name_or_a_short_id(admin_client, alice, alices_person):
    gone = uuid.uuid4()
    record_at(at(2026, 3, 2, 10, 0), alice, person_id=alices_person.pk)
    record_at(at(2026, 3, 2, 11, 0), alice, person_id=gone)
    response = admin_client.get(LOG, {"action": "person.viewed"})
    rows = response.context["result"].rows
    assert [(r.person_name, r.short_person_id) for r in rows] == [
        ("", str(gone)[:8]),
        ("Moa Provsson", str(alices_person.pk)[:8]),
    ]
    content = response.content.decode()
    assert "Moa Provsson" in content
    assert str(gone)[:8] in content


def test_showing_a_persons_name_in_the_log_is_itself_logged(admin_client, alice, alices_person):
    record_at(at(2026, 3, 2, 10, 0), alice, person_id=alices_person.pk)
    record_at(at(2026, 3, 2, 10, 5), alice, person_id=alices_person.pk)
    admin_client.get(LOG)
    entry = AccessLogEntry.objects.get(action="audit.person_shown")
    assert entry.person_id == alices_person.pk
    assert entry.basis == AccessBasis.ADMINISTRATION


def test_the_log_is_paginated_by_100(admin_client, alice):
    for minute in range(0, 130):
        record_at(at(2026, 3, 2, 8, 0) + dt.timedelta(minutes=minute), alice, action="person.viewed")
    first = admin_client.get(LOG, {"action": "person.viewed"})
    assert len(first.context["result"].rows) == 100
    assert first.context["result"].total == 130
    assert "sida=2" in first.content.decode()
    second = admin_client.get(LOG, {"action": "person.viewed", "sida": "2"})
    assert len(second.context["result"].rows) == 30
    assert AccessLogEntry.objects.filter(action="audit.log_viewed").count() == 2


# --- Person search: POST, then a redirect with only the UUID --------------------------------


def test_person_lookup_by_number_redirects_with_only_the_uuid(admin_client, alice, charlie, alices_person):
    record_at(at(2026, 3, 2, 10, 0), alice, person_id=alices_person.pk)
    record_at(at(2026, 3, 2, 10, 5), charlie, person_id=uuid.uuid4())
    number = alices_person.id_number
    formatted = f"{number[:8]}-{number[8:]}"
    response = admin_client.post(LOOKUP, {"query": formatted, "filters": "user=alice&date_from=2026-03-01"})
    assert response.status_code == 302
    location = response["Location"]
    assert number not in location
    assert number[2:8] not in location
    assert location == f"{LOG}?user=alice&date_from=2026-03-01&person={alices_person.pk}"
    page = admin_client.get(location)
    assert [e.person_id for e in shown(page)] == [alices_person.pk]
    assert page.context["result"].person_name == "Moa Provsson"
    assert "Visar poster om Moa Provsson" in page.content.decode()


def test_person_lookup_is_logged_without_the_number(admin_client, alices_person):
    admin_client.post(LOOKUP, {"query": alices_person.id_number})
    entry = AccessLogEntry.objects.get(action="audit.person_lookup")
    assert entry.person_id == alices_person.pk
    assert entry.detail == {"method": "identity_number", "hits": 1}
    assert alices_person.id_number[2:] not in str(entry.detail)


def test_viewing_the_log_for_a_person_is_logged_on_that_person(admin_client, alices_person):
    admin_client.get(LOG, {"person": str(alices_person.pk)})
    entry = AccessLogEntry.objects.get(action="audit.log_viewed")
    assert entry.person_id == alices_person.pk
    assert entry.detail["filters"] == {"person": str(alices_person.pk)}


def test_person_lookup_by_name_lists_namesakes_to_choose_from(admin_client, alices_person):
    namesake = PersonFactory(first_name="Moa", last_name="Provström", birth_date=dt.date(2004, 1, 2))
    response = admin_client.post(LOOKUP, {"query": "moa prov"})
    assert response.status_code == 200
    assert {c.person_id for c in response.context["candidates"]} == {alices_person.pk, namesake.pk}
    content = response.content.decode()
    assert f"{LOG}?person={namesake.pk}" in content
    assert AccessLogEntry.objects.filter(action="audit.person_lookup").count() == 2


@pytest.mark.parametrize("protection", [Protection.CONFIDENTIALITY_MARK, Protection.PROTECTED_REGISTRATION])
def test_person_lookup_hides_a_protected_persons_home_municipality(admin_client, protection):
    common = {"last_name": "Skyddsdotter", "home_municipality": municipality("2085"), "birth_date": dt.date(2004, 1, 2)}
    protected = PersonFactory(first_name="Ronja", protection=protection, **common)
    plain = PersonFactory(first_name="Rut", **common)
    response = admin_client.post(LOOKUP, {"query": "skyddsdotter"})
    found = {c.person_id: c for c in response.context["candidates"]}
    assert found[plain.pk].home_municipality == "Ludvika"
    assert found[protected.pk].home_municipality == ""
    assert response.content.decode().count("Ludvika") == 1


def test_person_lookup_with_an_invalid_number_answers_in_swedish_without_echoing_it(admin_client, alices_person):
    wrong = alices_person.id_number[:-1] + str((int(alices_person.id_number[-1]) + 1) % 10)
    response = admin_client.post(LOOKUP, {"query": wrong})
    assert response.status_code == 200
    assert "kontrollsiffran" in response.context["lookup_form"].errors["query"][0]
    assert wrong not in response.content.decode()
    assert wrong[2:] not in response.content.decode()


def test_person_lookup_without_hits_says_so_and_is_logged(admin_client, db):
    response = admin_client.post(LOOKUP, {"query": "Ingen Sådan"})
    assert response.context["lookup_form"].errors["query"] == ["Ingen person hittades."]
    entry = AccessLogEntry.objects.get(action="audit.person_lookup")
    assert entry.person_id is None
    assert entry.detail == {"method": "name", "hits": 0}


def test_person_filter_follows_merged_records(admin_client, alice, alices_person):
    old = PersonFactory(first_name="Moa", last_name="Provsson")
    record_at(at(2026, 3, 2, 9, 0), alice, person_id=old.pk)
    type(old).objects.filter(pk=old.pk).update(merged_into=alices_person)
    record_at(at(2026, 3, 2, 10, 0), alice, person_id=alices_person.pk)
    response = admin_client.get(LOG, {"person": str(alices_person.pk), "action": "person"})
    assert {e.person_id for e in shown(response)} == {old.pk, alices_person.pk}
    response = admin_client.get(LOG, {"person": str(old.pk), "action": "person"})
    assert {e.person_id for e in shown(response)} == {old.pk, alices_person.pk}


def test_an_invalid_person_filter_is_an_error(admin_client, alices_person):
    response = admin_client.get(LOG, {"person": alices_person.id_number})
    assert response.context["result"] is None
    assert "Sök på personen igen" in response.content.decode()


# --- Unusual access -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "unusual"),
    [
        (at(2026, 3, 2, 7, 0), False),  # Monday 07:00
        (at(2026, 3, 2, 6, 59), True),
        (at(2026, 3, 2, 18, 59), False),
        (at(2026, 3, 2, 19, 0), True),
        (at(2026, 7, 3, 23, 30), True),  # Friday night, summer time
        (at(2026, 7, 4, 12, 0), True),  # Saturday
        (at(2026, 7, 5, 12, 0), True),  # Sunday
        (at(2026, 7, 6, 12, 0), False),
    ],
)
def test_unusual_means_outside_7_to_19_on_weekdays_in_local_time(when, unusual):
    assert selectors.is_unusual(when) is unusual
    assert selectors.is_unusual(when.astimezone(dt.UTC)) is unusual


def test_the_unusual_filter_keeps_entries_outside_office_hours(admin_client, alice):
    record_at(at(2026, 6, 10, 10, 0), alice, action="person.office")  # Wednesday, summer time
    record_at(at(2026, 6, 10, 18, 59), alice, action="person.office_late")
    record_at(at(2026, 6, 10, 6, 30), alice, action="person.early")
    record_at(at(2026, 6, 10, 19, 0), alice, action="person.evening")
    record_at(at(2026, 6, 13, 11, 0), alice, action="person.saturday")
    record_at(at(2026, 1, 14, 6, 45), alice, action="person.winter_early")  # Wednesday, winter time
    record_at(at(2026, 1, 14, 7, 15), alice, action="person.winter_office")
    response = admin_client.get(LOG, {"unusual": "on", "action": "person"})
    assert [e.action for e in shown(response)] == [
        "person.saturday",
        "person.evening",
        "person.early",
        "person.winter_early",
    ]
    assert all(row.unusual for row in response.context["result"].rows)
    assert "Ovanlig tid" in response.content.decode()


# --- Export ---------------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_export_gives_the_current_selection_as_csv_and_is_logged(admin_client, alice, charlie, alices_person):
    record_at(at(2026, 3, 2, 10, 0), alice, person_id=alices_person.pk, detail={"fields": ["adress"]})
    record_at(at(2026, 3, 2, 11, 0), charlie, action="person.listed")
    response = admin_client.get(EXPORT, {"user": "alice", "action": "person"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="atkomstlogg-')
    rows = _csv(response)
    assert rows[0][:5] == ["Tidpunkt", "Användare", "Enhet", "Roll", "Händelse"]
    assert len(rows) == 2
    assert rows[1][0] == "2026-03-02 10:00:00"
    assert rows[0][4:6] == ["Händelse", "Händelse (text)"]
    assert rows[1][1:7] == [
        "alice",
        "Ludvika kommun – Arbetsmarknadsenheten",
        "Coach/handläggare",
        "person.viewed",
        "Visade personen",
        str(alices_person.pk),
    ]
    assert "Provsson" not in "".join(rows[1])
    entry = AccessLogEntry.objects.get(action="audit.log_exported")
    assert entry.detail == {"filters": {"user": "alice", "action": "person"}, "rows": 1}


def test_export_defuses_spreadsheet_formulas(admin_client, alice):
    record_at(at(2026, 3, 2, 10, 0), alice, action="person.viewed", detail={"x": "=1+1"})
    access_log_record(ctx=ctx_for(alice), action="=cmd|' /C calc'!A0")
    rows = _csv(admin_client.get(EXPORT))
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert "'=cmd|' /C calc'!A0" in cells


def test_export_refuses_a_too_large_selection(admin_client, alice, monkeypatch):
    monkeypatch.setattr(selectors, "EXPORT_LIMIT", 1)
    record_at(at(2026, 3, 2, 10, 0), alice)
    record_at(at(2026, 3, 2, 11, 0), alice)
    response = admin_client.get(EXPORT, {"user": "alice"})
    assert response.status_code == 302
    assert response["Location"] == f"{LOG}?user=alice"
    assert not AccessLogEntry.objects.filter(action="audit.log_exported").exists()


def test_person_lookup_by_number_lists_each_units_record_and_offers_lowering_protection(
    admin_client, alice, charlie, alices_person
):
    alices_person.unit = alice.unit
    alices_person.save()
    charlies = PersonFactory(
        id_number=alices_person.id_number, unit=charlie.unit, protection=Protection.PROTECTED_REGISTRATION
    )
    response = admin_client.post(LOOKUP, {"query": alices_person.id_number})
    assert response.status_code == 200
    found = {c.person_id: c for c in response.context["candidates"]}
    assert found[alices_person.pk].unit == str(alice.unit)
    assert found[charlies.pk].unit == str(charlie.unit)
    assert (found[alices_person.pk].protected, found[charlies.pk].protected) == (False, True)
    content = response.content.decode()
    assert reverse("people:protection_lower", args=[charlies.pk]) in content
    assert reverse("people:protection_lower", args=[alices_person.pk]) not in content
