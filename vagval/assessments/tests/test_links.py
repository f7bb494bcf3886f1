"""Personal links: creating, showing once (with a QR code), sending, the public page, and the
lifecycle (expired, revoked, used and tampered tokens are refused with a clear page and logged)."""

import datetime as dt
import logging
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vagval.assessments.links import token_hash
from vagval.assessments.models import AssessmentLink, Response
from vagval.assessments.tests.helpers import make_link, record, vf_answers, work_answers
from vagval.audit.models import AccessLogEntry


class RecordingSender:
    """A sender for tests: keeps what would have been sent."""

    sent: list[dict] = []

    def send_email(self, *, to, subject, body):
        self.sent.append({"kind": "email", "to": to, "subject": subject, "body": body})

    def send_sms(self, *, to, body):
        self.sent.append({"kind": "sms", "to": to, "body": body})


@pytest.fixture
def recording_sender(settings):
    settings.ASSESSMENT_LINK_SENDER = "vagval.assessments.tests.test_links.RecordingSender"
    RecordingSender.sent = []
    return RecordingSender.sent


def public_url(token):
    return reverse("assessments:link_form", args=[token])


def create_link(client, person, **data):
    return client.post(
        reverse("assessments:link_create", args=[person.pk]),
        {"target": "vagen-framat:den_unga", "context": "uppfoljning", "valid_days": "14", "send_via": "", **data},
    )


# --- Staff side -------------------------------------------------------------------------------


def test_a_new_link_is_shown_once_with_a_qr_code_and_only_its_hash_is_stored(alice, alices_person, alice_client):
    response = create_link(alice_client, alices_person)
    link = AssessmentLink.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:link_detail", args=[link.pk])
    page = alice_client.get(response["Location"]).content.decode()
    token = re.search(r"/kartlaggning/l/([\w-]+)/", page).group(1)
    assert link.token_hash == token_hash(token)
    assert token not in link.token_hash
    assert 'src="data:image/svg+xml;base64,' in page
    assert 'alt="QR-kod med länken till formuläret Vägen framåt"' in page
    assert link.expires_at - timezone.now() > dt.timedelta(days=13, hours=23)
    assert link.created_by == alice
    assert link.unit == alice.unit
    again = alice_client.get(response["Location"]).content.decode()
    assert token not in again
    assert "kan länken inte visas igen" in again
    assert AccessLogEntry.objects.filter(action="assessment_link.created", person_id=alices_person.pk).exists()


def test_a_link_sent_by_email_goes_through_the_configured_sender(alices_person, alice_client, recording_sender):
    create_link(alice_client, alices_person, send_via="epost", send_to="moa@example.org")
    link = AssessmentLink.objects.get()
    assert (link.sent_via, link.sent_to) == ("epost", "moa@example.org")
    [message] = recording_sender
    assert message["to"] == "moa@example.org"
    assert "Hej Moa!" in message["body"]
    assert "/kartlaggning/l/" in message["body"]
    assert alices_person.last_name not in message["body"]
    assert alices_person.id_number not in message["body"]


def test_a_supervisor_gets_an_sms_with_only_the_first_name(alices_person, alice_client, recording_sender):
    create_link(
        alice_client,
        alices_person,
        target="arbetsplatsbedomning:handledare",
        context="praktik",
        send_via="sms",
        send_to="070-123 45 67",
    )
    [message] = recording_sender
    assert message["kind"] == "sms"
    assert "praktikanten Moa" in message["body"]
    assert alices_person.last_name not in message["body"]


def test_the_console_sender_logs_the_message_without_personnummer(alices_person, alice_client, caplog):
    with caplog.at_level(logging.INFO, logger="vagval.assessments.senders"):
        create_link(alice_client, alices_person, send_via="epost", send_to="moa@example.org")
    assert "moa@example.org" in caplog.text
    assert "/kartlaggning/l/" in caplog.text
    assert alices_person.id_number not in caplog.text
    assert alices_person.id_number[2:8] not in caplog.text


def test_sending_needs_a_valid_address(alices_person, alice_client):
    response = create_link(alice_client, alices_person, send_via="epost", send_to="inte en adress")
    assert response.status_code == 400
    assert "Skriv en giltig e-postadress." in response.content.decode()
    response = create_link(alice_client, alices_person, send_via="sms", send_to="")
    assert "Skriv vart länken ska skickas." in response.content.decode()
    assert not AssessmentLink.objects.exists()


def test_a_form_answered_only_by_the_coach_cannot_be_sent_as_a_link(alices_person, alice_client):
    response = create_link(alice_client, alices_person, target="vagen-framat:coach_med_den_unga")
    assert response.status_code == 400
    assert not AssessmentLink.objects.exists()


def test_alice_revokes_a_link(alice, alices_person, alice_client):
    link, token = make_link(alices_person, alice)
    response = alice_client.post(reverse("assessments:link_revoke", args=[link.pk]))
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert link.revoked_by == alice
    assert AccessLogEntry.objects.filter(action="assessment_link.revoked").exists()
    assert Client().get(public_url(token)).status_code == 410


# --- The public page --------------------------------------------------------------------------


def test_the_young_person_answers_through_the_link_without_an_account(alice, alices_person):
    link, token = make_link(alices_person, alice)
    client = Client()
    page = client.get(public_url(token))
    html = page.content.decode()
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    assert page["Referrer-Policy"] == "same-origin"
    assert "Hej Moa!" in html
    assert alices_person.last_name not in html
    assert alices_person.id_number not in html
    assert "Vägen framåt" in html
    opened = AccessLogEntry.objects.get(action="assessment_link.opened")
    assert opened.person_id == alices_person.pk
    assert opened.user == alice
    assert opened.basis == "self"
    assert opened.detail["via"] == "link"

    done = client.post(public_url(token), vf_answers(4))
    assert done.status_code == 200
    assert "Dina svar är skickade." in done.content.decode()
    response = Response.objects.get()
    assert response.link == link
    assert response.filled_by is None
    assert response.respondent == "den_unga"
    assert response.unit == alice.unit
    assert response.scores["motivation"] == 4.0
    link.refresh_from_db()
    assert link.used_at is not None
    submitted = AccessLogEntry.objects.get(action="assessment_link.submitted")
    assert submitted.detail["response"] == str(response.pk)


def test_the_public_form_shows_swedish_errors_and_keeps_the_answers(alice, alices_person):
    _link, token = make_link(alices_person, alice)
    answers = vf_answers(2)
    del answers["halsa__steg"]
    response = Client().post(public_url(token), answers)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Välj ett av alternativen." in html
    assert 'value="2" checked' in html
    assert not Response.objects.exists()
    assert AccessLogEntry.objects.get(action="assessment_link.opened").detail["answers"] == "ofullständiga"


def test_the_public_page_has_no_navigation_to_staff_pages(alice, alices_person):
    _link, token = make_link(alices_person, alice)
    html = Client().get(public_url(token)).content.decode()
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert [h for h in hrefs if not h.startswith(("/static/", "#"))] == []
    assert "Huvudmeny" not in html


def test_a_used_link_is_refused_with_a_clear_page_and_logged(alice, alices_person):
    _link, token = make_link(alices_person, alice)
    Client().post(public_url(token), vf_answers(3))
    again = Client().get(public_url(token))
    assert again.status_code == 410
    assert "Formuläret är redan skickat" in again.content.decode()
    post_again = Client().post(public_url(token), vf_answers(1))
    assert post_again.status_code == 410
    assert Response.objects.count() == 1
    refused = AccessLogEntry.objects.filter(action="assessment_link.refused")
    assert [e.detail["reason"] for e in refused] == ["used", "used"]
    assert {e.person_id for e in refused} == {alices_person.pk}


def test_an_expired_link_is_refused_and_logged(alice, alices_person):
    _link, token = make_link(alices_person, alice, expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = Client().get(public_url(token))
    assert response.status_code == 410
    assert "Länken har slutat gälla." in response.content.decode()
    entry = AccessLogEntry.objects.get(action="assessment_link.refused")
    assert entry.detail["reason"] == "expired"
    assert entry.detail["via"] == "link"


def test_a_revoked_link_is_refused_and_logged(alice, alices_person):
    _link, token = make_link(alices_person, alice, revoked_at=timezone.now(), revoked_by=alice)
    response = Client().post(public_url(token), vf_answers(3))
    assert response.status_code == 410
    assert "Länken har stängts" in response.content.decode()
    assert AccessLogEntry.objects.get(action="assessment_link.refused").detail["reason"] == "revoked"
    assert not Response.objects.exists()


@pytest.mark.parametrize("change", ["one_character", "truncated", "made_up", "very_long"])
def test_a_tampered_token_is_refused_without_a_crash_and_logs_nothing_about_a_person(alice, alices_person, change):
    _link, token = make_link(alices_person, alice)
    tampered = {
        "one_character": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "truncated": token[:20],
        "made_up": "hittepa",
        "very_long": "x" * 500,
    }[change]
    for method in ("get", "post"):
        response = getattr(Client(), method)(public_url(tampered))
        assert response.status_code == 404
        assert "Länken finns inte." in response.content.decode()
    assert not AccessLogEntry.objects.exists()
    assert not Response.objects.exists()


# --- A supervisor link opens only its one form -------------------------------------------------


def test_a_supervisor_link_opens_only_its_own_form(alice, alices_person):
    earlier = record(alices_person, alice)
    other_link, other_token = make_link(alices_person, alice)
    link, token = make_link(
        alices_person, alice, slug="arbetsplatsbedomning", respondent="handledare", context="praktik"
    )
    supervisor = Client()

    html = supervisor.get(public_url(token)).content.decode()
    assert "Arbetsplatsbedömning" in html
    assert "Bedömning av praktikanten Moa." in html
    assert "Vägen framåt" not in html
    assert reverse("assessments:response_detail", args=[earlier.pk]) not in html

    # Having opened the link gives no session and no way into any staff page.
    for name, args in [
        ("assessments:person", [alices_person.pk]),
        ("assessments:response_detail", [earlier.pk]),
        ("assessments:link_detail", [link.pk]),
        ("assessments:link_detail", [other_link.pk]),
        ("assessments:response_create", [alices_person.pk, "arbetsplatsbedomning"]),
        ("people:detail", [alices_person.pk]),
    ]:
        response = supervisor.get(reverse(name, args=args))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    # The token is not accepted anywhere else, e.g. as a query string.
    assert supervisor.get(reverse("assessments:person", args=[alices_person.pk]), {"token": token}).status_code == 302

    # Submitting answers only this link's form: Vägen framåt answers are not accepted here.
    wrong = supervisor.post(public_url(token), vf_answers(5))
    assert wrong.status_code == 400
    done = supervisor.post(public_url(token), {**work_answers(3), "sammanfattning__kommentar": "Bra jobbat"})
    assert done.status_code == 200
    saved = Response.objects.get(link=link)
    assert saved.instrument.slug == "arbetsplatsbedomning"
    assert saved.respondent == "handledare"
    assert saved.context == "praktik"
    other_link.refresh_from_db()
    assert other_link.used_at is None
    assert Client().get(public_url(other_token)).status_code == 200


def test_a_logged_in_colleague_opening_a_link_sees_no_staff_menu(alice, alices_person, bob_client):
    _link, token = make_link(alices_person, alice)
    html = bob_client.get(public_url(token)).content.decode()
    assert "Huvudmeny" not in html
    assert "Logga ut" not in html
