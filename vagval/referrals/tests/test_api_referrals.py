"""The referrals API for partner systems: a partner lists the referrals to their unit and answers
them with the referral's ETag, under the same consent as the pages."""

from __future__ import annotations

import pytest
from django.utils import timezone

from vagval.api.tests.helpers import api_client_for, call
from vagval.audit.models import AccessLogEntry
from vagval.consent.tests.factories import share
from vagval.referrals.models import Referral, ReferralStatus
from vagval.referrals.tests.factories import ReferralFactory


@pytest.fixture
def referral(alice, alices_person, af_unit) -> Referral:
    consent = share(alices_person, documented_by=alice, to_unit=af_unit)
    return ReferralFactory(
        person=alices_person, from_user=alice, to_unit=af_unit, consent=consent, sent_at=timezone.now()
    )


def _etag(client, referral) -> str:
    response = call(client, "GET", f"/referrals/{referral.pk}")
    assert response.status_code == 200
    return response["ETag"]


def test_a_partner_lists_the_referrals_to_their_unit_and_alice_hers_as_outgoing(frida, alice, referral):
    incoming = call(api_client_for(frida), "GET", "/referrals").json()
    assert [r["id"] for r in incoming] == [str(referral.pk)]
    assert incoming[0]["person_name"] == "Moa Provsson"
    assert call(api_client_for(alice), "GET", "/referrals").json() == []
    outgoing = call(api_client_for(alice), "GET", "/referrals?riktning=utgaende").json()
    assert [r["id"] for r in outgoing] == [str(referral.pk)]
    assert AccessLogEntry.objects.filter(action="referral.listed", person_id=referral.person_id).count() == 2


def test_a_partner_accepts_with_the_etag_and_the_answer_is_logged(frida, referral):
    client = api_client_for(frida)
    tag = _etag(client, referral)
    response = call(
        client, "POST", f"/referrals/{referral.pk}/answer", {"answer": "accept", "text": "Välkommen"}, if_match=tag
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == ReferralStatus.ACCEPTED
    assert response["ETag"] != tag
    referral.refresh_from_db()
    assert (referral.status, referral.response, referral.responded_by) == (ReferralStatus.ACCEPTED, "Välkommen", frida)
    assert AccessLogEntry.objects.filter(action="referral.accepted", user=frida).count() == 1


def test_an_answer_without_if_match_is_428_and_with_a_stale_one_412_and_nothing_changes(frida, referral):
    client = api_client_for(frida)
    missing = call(client, "POST", f"/referrals/{referral.pk}/answer", {"answer": "accept"})
    assert missing.status_code == 428
    stale = _etag(client, referral)
    call(
        client,
        "POST",
        f"/referrals/{referral.pk}/answer",
        {"answer": "request_info", "text": "Vilket datum?"},
        if_match=stale,
    )
    refused = call(client, "POST", f"/referrals/{referral.pk}/answer", {"answer": "accept"}, if_match=stale)
    assert refused.status_code == 412
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.MORE_INFO_REQUESTED


def test_a_decline_needs_its_reason_and_step_text_belongs_only_to_accept(frida, referral):
    client = api_client_for(frida)
    tag = _etag(client, referral)
    no_reason = call(client, "POST", f"/referrals/{referral.pk}/answer", {"answer": "decline"}, if_match=tag)
    assert no_reason.status_code == 422
    assert "decline_reason" in no_reason.json()["errors"]
    wrong = call(
        client, "POST", f"/referrals/{referral.pk}/answer", {"answer": "request_info", "step_text": "x"}, if_match=tag
    )
    assert wrong.status_code == 422
    assert Referral.objects.get().status == ReferralStatus.SENT


def test_the_sender_and_a_read_only_partner_may_not_answer(alice, greta, referral):
    for user, status in ((alice, 403), (greta, 403)):
        client = api_client_for(user)
        response = call(
            client, "POST", f"/referrals/{referral.pk}/answer", {"answer": "accept"}, if_match=_etag(client, referral)
        )
        assert response.status_code == status
    assert Referral.objects.get().status == ReferralStatus.SENT


def test_a_withdrawn_consent_closes_the_referral_to_the_partner(frida, referral):
    consent = referral.consent
    consent.withdrawn_at = timezone.now()
    consent.save()
    client = api_client_for(frida)
    assert call(client, "GET", "/referrals").json() == []
    assert call(client, "GET", f"/referrals/{referral.pk}").status_code == 404
    assert (
        call(client, "POST", f"/referrals/{referral.pk}/answer", {"answer": "accept"}, if_match='"x"').status_code
        == 404
    )
