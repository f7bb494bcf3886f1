"""Consent details and withdrawal: whole or per recipient, effective on the next request."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from vagval.access.checks import person_access
from vagval.audit.models import AccessLogEntry
from vagval.consent.models import Consent, ConsentRecipient
from vagval.consent.tests.factories import share


def _detail(consent):
    return reverse("consent:detail", args=[consent.pk])


def _withdraw(consent):
    return reverse("consent:withdraw", args=[consent.pk])


@pytest.mark.parametrize("name", ["consent:detail", "consent:withdraw", "consent:document"])
def test_anonymous_users_are_sent_to_the_login_page(client, af_consent, name):
    response = client.get(reverse(name, args=[af_consent.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("method", ["get", "post"])
def test_charlie_gets_404(charlie_client, af_consent, method):
    assert getattr(charlie_client, method)(_detail(af_consent)).status_code in {404, 405}
    assert getattr(charlie_client, method)(_withdraw(af_consent), {"scope": "hela"}).status_code == 404
    assert Consent.objects.get().withdrawn_at is None


def test_an_unknown_consent_gives_404(alice_client):
    assert alice_client.get(reverse("consent:detail", args=["00000000-0000-0000-0000-000000000000"])).status_code == 404


def test_bob_sees_the_details_but_gets_403_on_withdrawal(bob_client, af_consent):
    page = bob_client.get(_detail(af_consent)).content.decode()
    assert "Arbetsförmedlingen – Ludvika" in page
    assert _withdraw(af_consent) not in page
    assert bob_client.get(_withdraw(af_consent)).status_code == 403
    assert bob_client.post(_withdraw(af_consent), {"scope": "hela"}).status_code == 403
    assert Consent.objects.get().withdrawn_at is None


def test_viewing_the_details_is_logged_with_the_consent(frida_client, af_consent):
    frida_client.get(_detail(af_consent))
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.basis, entry.consent_id) == ("consent.viewed", "consent", af_consent.pk)
    assert entry.detail == {"consent": str(af_consent.pk)}


def test_the_documenting_unit_may_withdraw_all_or_one_recipient(alice_client, af_consent, af_unit, fk_unit):
    ConsentRecipient.objects.create(consent=af_consent, unit=fk_unit)
    page = alice_client.get(_withdraw(af_consent)).content.decode()
    assert "Återkallelsen gäller direkt." in page
    assert 'value="hela"' in page
    assert f'value="{af_unit.pk}"' in page
    assert f'value="{fk_unit.pk}"' in page
    assert "<legend>Vad ska återkallas?</legend>" in page


def test_withdrawing_the_whole_consent_closes_every_recipient(alice, alice_client, alices_person, af_consent):
    response = alice_client.post(_withdraw(af_consent), {"scope": "hela", "note": "Sa nej på mötet"})
    assert response.status_code == 302
    assert response.url == reverse("consent:person_consents", args=[alices_person.pk])
    consent = Consent.objects.get()
    assert consent.withdrawn_by == alice
    assert consent.withdrawal_note == "Sa nej på mötet"
    assert not consent.recipients.filter(withdrawn_at__isnull=True).exists()
    assert "consent.withdrawn" in set(AccessLogEntry.objects.values_list("action", flat=True))
    assert "Det gäller från och med nu." in alice_client.get(response.url).content.decode()


def test_withdrawing_for_one_recipient_leaves_the_other(
    alice_client, frida, gustav, alices_person, af_consent, af_unit, fk_unit
):
    ConsentRecipient.objects.create(consent=af_consent, unit=fk_unit)
    alice_client.post(_withdraw(af_consent), {"scope": str(af_unit.pk)})
    assert Consent.objects.get().withdrawn_at is None
    assert person_access(viewer=frida, person=alices_person) is None
    assert person_access(viewer=gustav, person=alices_person) is not None


def test_a_choice_is_required(alice_client, af_consent):
    page = alice_client.post(_withdraw(af_consent), {"note": "x"}).content.decode()
    assert "Välj vad som ska återkallas." in page
    assert Consent.objects.get().withdrawn_at is None


def test_the_partner_may_withdraw_only_for_her_own_unit(frida_client, af_consent, af_unit, fk_unit):
    ConsentRecipient.objects.create(consent=af_consent, unit=fk_unit)
    page = frida_client.get(_withdraw(af_consent)).content.decode()
    assert 'value="hela"' not in page
    assert f'value="{fk_unit.pk}"' not in page
    assert f'value="{af_unit.pk}"' in page
    for forged in ("hela", str(fk_unit.pk)):
        page = frida_client.post(_withdraw(af_consent), {"scope": forged}).content.decode()
        assert "Välj ett av alternativen." in page
    assert not ConsentRecipient.objects.filter(withdrawn_at__isnull=False).exists()


def test_withdrawal_by_the_partner_takes_effect_on_her_next_request(frida, alices_person, af_consent, af_unit):
    frida_client = client_for(frida)
    person_page = reverse("people:detail", args=[alices_person.pk])
    assert frida_client.get(person_page).status_code == 200
    response = frida_client.post(_withdraw(af_consent), {"scope": str(af_unit.pk)})
    assert response.status_code == 302
    assert response.url == reverse("people:caseload")
    assert frida_client.get(person_page).status_code == 404
    assert frida_client.get(_detail(af_consent)).status_code == 404
    assert Consent.objects.get().withdrawn_at is None


def test_withdrawal_by_the_coach_closes_the_partners_page_at_once(alice_client, frida, alices_person, af_consent):
    frida_client = client_for(frida)
    person_page = reverse("people:detail", args=[alices_person.pk])
    consents_page = reverse("consent:person_consents", args=[alices_person.pk])
    assert frida_client.get(person_page).status_code == 200
    assert frida_client.get(consents_page).status_code == 200
    alice_client.post(_withdraw(af_consent), {"scope": "hela"})
    assert frida_client.get(person_page).status_code == 404
    assert frida_client.get(consents_page).status_code == 404


def test_a_partner_with_an_expired_consent_gets_404(frida_client, alice, alices_person, af_unit):
    today = timezone.localdate()
    consent = share(
        alices_person,
        documented_by=alice,
        to_unit=af_unit,
        valid_from=today - dt.timedelta(days=30),
        valid_to=today - dt.timedelta(days=1),
    )
    assert frida_client.get(_detail(consent)).status_code == 404
    assert frida_client.get(_withdraw(consent)).status_code == 404


def test_a_withdrawn_consent_has_nothing_left_to_withdraw(alice_client, af_consent):
    alice_client.post(_withdraw(af_consent), {"scope": "hela"})
    page = alice_client.get(_withdraw(af_consent)).content.decode()
    assert "Det finns inget kvar att återkalla här." in page
    assert alice_client.post(_withdraw(af_consent), {"scope": "hela"}).status_code == 200
    assert AccessLogEntry.objects.filter(action="consent.withdrawn").count() == 1


def test_the_partner_of_another_consent_cannot_see_this_one(gustav_client, alice, alices_person, af_consent, fk_unit):
    share(alices_person, documented_by=alice, to_unit=fk_unit)
    assert gustav_client.get(_detail(af_consent)).status_code == 404
