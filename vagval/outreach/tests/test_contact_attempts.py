"""Contact attempts: recorded on the open episode by the user, validated with Swedish field errors."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.common.errors import InvalidInput
from vagval.outreach import services
from vagval.outreach.models import Channel, ContactAttempt, Outcome
from vagval.outreach.tests.factories import on_list


@pytest.fixture
def episode(ludvika_kaa_unit):
    return on_list(ludvika_kaa_unit, opened_on=dt.date(2026, 3, 2))


def _url(episode):
    return reverse("outreach:contact_create", args=[episode.person_id])


def test_it_records_the_attempt_on_the_open_episode_with_who_and_a_log_entry(karin, episode):
    when = timezone.make_aware(dt.datetime(2026, 3, 3, 9, 30))
    data = services.ContactData(channel=Channel.HOME_VISIT, outcome=Outcome.REACHED, note=" Hemma. ", made_at=when)
    attempt = services.contact_attempt_record(ctx=ctx_for(karin), person_id=episode.person_id, data=data)

    assert (attempt.episode, attempt.unit, attempt.made_by, attempt.made_at) == (episode, episode.unit, karin, when)
    assert attempt.note == "Hemma."
    entry = AccessLogEntry.objects.get(action="outreach.contact_recorded")
    assert (entry.user_id, entry.person_id, entry.basis) == (karin.pk, episode.person_id, "own_unit")


def test_without_a_time_it_is_now(karin, episode):
    before = timezone.now()
    data = services.ContactData(channel=Channel.SMS, outcome=Outcome.NOT_REACHED)
    attempt = services.contact_attempt_record(ctx=ctx_for(karin), person_id=episode.person_id, data=data)
    assert before <= attempt.made_at <= timezone.now()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"channel": "brevduva"}, "channel", "Välj hur du försökte nå den unga."),
        ({"outcome": "kanske"}, "outcome", "Välj hur det gick."),
        ({"note": "x" * 2001}, "note", "Anteckningen får vara högst 2000 tecken."),
        (
            {"made_at": timezone.now() + dt.timedelta(days=1)},
            "made_at",
            "Tidpunkten kan inte ligga i framtiden.",
        ),
    ],
)
def test_bad_input_is_a_swedish_field_error_and_nothing_is_saved(karin, episode, data, field, message):
    values = {"channel": Channel.PHONE, "outcome": Outcome.REACHED, **data}
    with pytest.raises(InvalidInput) as raised:
        services.contact_attempt_record(
            ctx=ctx_for(karin), person_id=episode.person_id, data=services.ContactData(**values)
        )
    assert raised.value.field_errors == {field: [message]}
    assert not ContactAttempt.objects.exists()
    assert not AccessLogEntry.objects.filter(action="outreach.contact_recorded").exists()


def test_the_form_saves_and_returns_to_the_person(karin_client, episode):
    response = karin_client.post(
        _url(episode), {"channel": "telefon", "outcome": "nadd", "made_at": "2026-03-03T10:15", "note": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[episode.person_id])
    attempt = ContactAttempt.objects.get()
    assert timezone.localtime(attempt.made_at).strftime("%Y-%m-%d %H:%M") == "2026-03-03 10:15"


def test_the_form_shows_swedish_errors_and_saves_nothing(karin_client, episode):
    response = karin_client.post(_url(episode), {"channel": "", "outcome": "x", "made_at": "igår"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Välj hur du försökte nå den unga." in page
    assert "Välj ett giltigt alternativ" in page
    assert "Skriv datum och tid, till exempel 2026-03-02 14:30." in page
    assert not ContactAttempt.objects.exists()


def test_the_form_offers_every_channel_and_outcome_and_defaults_to_now(karin_client, episode):
    page = karin_client.get(_url(episode)).content.decode()
    for value in [*Channel.values, *Outcome.values]:
        assert f'value="{value}"' in page
    assert timezone.localtime().strftime("%Y-%m-%dT") in page


def test_attempts_are_listed_on_the_person_page_with_a_link_to_the_form(karin, karin_client, episode):
    services.contact_attempt_record(
        ctx=ctx_for(karin),
        person_id=episode.person_id,
        data=services.ContactData(channel=Channel.VIA_SCHOOL, outcome=Outcome.DECLINED, note="Vill inte just nu"),
    )
    page = karin_client.get(reverse("people:detail", args=[episode.person_id])).content.decode()
    assert "Via skola" in page
    assert "Avböjer" in page
    assert "Vill inte just nu" in page
    assert _url(episode) in page
