"""The referral pages for every persona: who gets the page, a 404 or a 403."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import client_for, ctx_for
from vagval.consent import services as consent_services
from vagval.consent.models import ConsentCategory
from vagval.consent.tests.factories import share
from vagval.referrals import services
from vagval.referrals.models import Referral, ReferralStatus


@pytest.fixture
def consent(alice, af_unit, alices_person):
    return share(alices_person, documented_by=alice, to_unit=af_unit, categories=[ConsentCategory.IDENTITY])


@pytest.fixture
def referral(alice, af_unit, alices_person, consent):
    data = services.ReferralData(to_unit_id=af_unit.pk, reason="Vill börja arbeta", requested_measure="Praktik")
    return services.referral_send(ctx=ctx_for(alice), person=alices_person, data=data)


def _urls(referral):
    return [
        reverse("referrals:list"),
        reverse("referrals:create", args=[referral.person_id]),
        reverse("referrals:detail", args=[referral.pk]),
        reverse("referrals:response_times"),
    ]


def _assert_csp_clean(response):
    html = response.content.decode()
    assert "style=" not in html
    assert "onclick" not in html.lower()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_anonymous_users_are_sent_to_login(referral):
    for url in _urls(referral):
        response = Client().get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_alice_sees_every_page(alice_client, referral):
    for url in _urls(referral):
        response = alice_client.get(url)
        assert response.status_code == 200, url
        _assert_csp_clean(response)


def test_charlie_gets_404_on_ludvikas_referral_and_person(charlie_client, referral):
    assert charlie_client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    assert charlie_client.get(reverse("referrals:create", args=[referral.person_id])).status_code == 404
    response = charlie_client.post(
        reverse("referrals:detail", args=[referral.pk]), {"action": "withdraw", "withdraw-note": ""}
    )
    assert response.status_code == 404
    assert "Moa Provsson" not in charlie_client.get(reverse("referrals:list")).content.decode()


def test_bob_reads_but_cannot_send_or_withdraw(bob_client, referral, af_unit):
    assert bob_client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 200
    assert bob_client.get(reverse("referrals:create", args=[referral.person_id])).status_code == 403
    form = {"to_unit": str(af_unit.pk), "reason": "x", "requested_measure": "y"}
    assert bob_client.post(reverse("referrals:create", args=[referral.person_id]), form).status_code == 403
    response = bob_client.post(reverse("referrals:detail", args=[referral.pk]), {"action": "withdraw"})
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_alice_sends_a_referral_through_the_form(alice_client, alices_person, af_unit, consent):
    url = reverse("referrals:create", args=[alices_person.pk])
    page = alice_client.get(url).content.decode()
    assert f'value="{af_unit.pk}"' in page
    response = alice_client.post(
        url, {"to_unit": str(af_unit.pk), "requested_measure": "Praktik", "reason": "Vill testa ett yrke"}
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("referrals:detail", args=[referral.pk])


def test_without_consent_the_form_explains_that_one_is_needed(alice_client, alices_person, ifo_unit):
    response = alice_client.get(reverse("referrals:create", args=[alices_person.pk]))
    assert response.status_code == 200
    assert "inget giltigt samtycke" in response.content.decode()
    assert 'name="to_unit"' not in response.content.decode()


def test_posting_a_recipient_without_consent_gives_a_field_error(alice_client, alices_person, consent, ifo_unit):
    response = alice_client.post(
        reverse("referrals:create", args=[alices_person.pk]),
        {"to_unit": str(ifo_unit.pk), "requested_measure": "Stöd", "reason": "Behöver stöd"},
    )
    assert response.status_code == 400
    assert 'id="id_to_unit_error"' in response.content.decode()
    assert not Referral.objects.exists()


def test_a_partner_without_consent_gets_404_everywhere(harald, referral):
    client = client_for(harald)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    assert client.get(reverse("referrals:create", args=[referral.person_id])).status_code == 404
    assert "Moa Provsson" not in client.get(reverse("referrals:list")).content.decode()


def test_the_recipient_may_not_refer_the_person_onwards(frida_client, referral):
    assert frida_client.get(reverse("referrals:create", args=[referral.person_id])).status_code == 403


def test_the_recipient_sees_and_accepts_the_referral(frida_client, referral):
    url = reverse("referrals:detail", args=[referral.pk])
    page = frida_client.get(url)
    assert page.status_code == 200
    assert "Acceptera remissen" in page.content.decode()
    assert "Moa Provsson" in frida_client.get(reverse("referrals:list")).content.decode()
    response = frida_client.post(
        url, {"action": "accept", "accept-response": "Välkommen", "accept-step_text": "Praktik på lager"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.accepted_step_text) == (ReferralStatus.ACCEPTED, "Praktik på lager")


def test_declining_without_a_reason_shows_the_error_at_the_field(frida_client, referral):
    response = frida_client.post(reverse("referrals:detail", args=[referral.pk]), {"action": "decline"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_decline-decline_reason_error"' in html
    assert 'aria-invalid="true"' in html


def test_asking_for_more_and_answering_through_the_pages(alice_client, frida_client, referral):
    url = reverse("referrals:detail", args=[referral.pk])
    frida_client.post(url, {"action": "request_info", "request_info-question": "Har hen körkort?"})
    assert "Komplettera remissen" in alice_client.get(url).content.decode()
    alice_client.post(url, {"action": "add_info", "add_info-text": "Ja"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_a_read_only_recipient_cannot_answer(greta, referral):
    response = client_for(greta).post(
        reverse("referrals:detail", args=[referral.pk]), {"action": "decline", "decline-decline_reason": "Nej"}
    )
    assert response.status_code == 403


def test_an_unknown_action_is_404(alice_client, referral):
    assert alice_client.post(reverse("referrals:detail", args=[referral.pk]), {"action": "delete"}).status_code == 404


def test_consent_withdrawal_takes_effect_on_the_recipients_next_request(alice, frida_client, referral, consent):
    url = reverse("referrals:detail", args=[referral.pk])
    assert frida_client.get(url).status_code == 200
    consent_services.consent_withdraw(ctx=ctx_for(alice), consent=consent)
    assert frida_client.get(url).status_code == 404
    assert "Moa Provsson" not in frida_client.get(reverse("referrals:list")).content.decode()


def test_overdue_referrals_are_marked_with_text_on_both_lists(alice_client, frida_client, referral):
    Referral.objects.filter(pk=referral.pk).update(response_deadline=timezone.localdate() - dt.timedelta(days=1))
    for client in (alice_client, frida_client):
        html = client.get(reverse("referrals:list")).content.decode()
        assert "<strong>Försenad:</strong>" in html
        assert "har passerat svarsdatum" in html or "inte fått svar i tid" in html


def test_the_response_times_page_shows_calendar_days(alice_client, frida, referral):
    services.referral_accept(ctx=ctx_for(frida), referral_id=referral.pk)
    html = alice_client.get(reverse("referrals:response_times")).content.decode()
    assert "kalenderdagar" in html
    assert "Arbetsförmedlingen – Ludvika" in html
