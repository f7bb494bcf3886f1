"""The person's consent page: who may see it, what it shows, and the one log entry it writes."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.consent import services
from vagval.consent.models import ConsentRecipient
from vagval.consent.tests.factories import share
from vagval.people.models import Protection


def _url(person):
    return reverse("consent:person_consents", args=[person.pk])


def test_anonymous_users_are_sent_to_the_login_page(client, alices_person):
    response = client.get(_url(alices_person))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_charlie_gets_404_on_ludvikas_person(charlie_client, alices_person, af_consent):
    assert charlie_client.get(_url(alices_person)).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_a_partner_without_consent_gets_404(frida_client, alices_person):
    assert frida_client.get(_url(alices_person)).status_code == 404


def test_the_owner_sees_every_fact_of_the_consent(alice_client, alices_person, af_consent):
    page = alice_client.get(_url(alices_person)).content.decode()
    assert "<h1>Samtycken" in page
    assert "Arbetsförmedlingen – Ludvika" in page
    assert "Identitet och kontaktuppgifter" in page
    assert "Plan och insatser" in page
    assert "Anteckningar" not in page
    assert "Planera praktik tillsammans med Arbetsförmedlingen" in page
    assert "Skriftligt" in page
    assert "Gäller" in page
    assert "Ingen blankett uppladdad." in page
    assert reverse("consent:record", args=[alices_person.pk]) in page
    assert reverse("consent:withdraw", args=[af_consent.pk]) in page
    assert alices_person.id_number not in page


def test_bob_sees_the_list_without_record_or_withdraw_links(bob_client, alices_person, af_consent):
    page = bob_client.get(_url(alices_person)).content.decode()
    assert "Arbetsförmedlingen – Ludvika" in page
    assert reverse("consent:record", args=[alices_person.pk]) not in page
    assert reverse("consent:withdraw", args=[af_consent.pk]) not in page


def test_viewing_writes_one_consent_listed_entry(alice, alice_client, alices_person, af_consent):
    alice_client.get(_url(alices_person))
    entries = list(AccessLogEntry.objects.all())
    assert [(e.action, e.person_id, e.basis) for e in entries] == [("consent.listed", alices_person.pk, "own_unit")]


def test_a_partner_sees_the_consent_naming_her_unit_and_it_is_logged_with_it(
    frida_client, alices_person, af_consent, fk_unit
):
    ConsentRecipient.objects.create(consent=af_consent, unit=fk_unit)
    page = frida_client.get(_url(alices_person)).content.decode()
    assert "Arbetsförmedlingen – Ludvika" in page
    # The other recipients of the consent are not her business.
    assert "Försäkringskassan" not in page
    assert reverse("consent:withdraw", args=[af_consent.pk]) in page
    assert reverse("consent:record", args=[alices_person.pk]) not in page
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.basis, entry.consent_id) == ("consent.listed", "consent", af_consent.pk)


def test_status_shows_withdrawal_with_date_and_name(alice, alice_client, alices_person, af_consent):
    services.consent_withdraw(ctx=ctx_for(alice), consent=af_consent, note="Sa nej i telefon")
    page = alice_client.get(_url(alices_person)).content.decode()
    today = timezone.localdate().isoformat()
    assert f"Återkallat {today} av {alice}" in page
    assert "Sa nej i telefon" in page
    assert reverse("consent:withdraw", args=[af_consent.pk]) not in page


def test_an_expired_consent_is_shown_as_ended(alice, alice_client, alices_person, af_unit):
    today = timezone.localdate()
    share(
        alices_person,
        documented_by=alice,
        to_unit=af_unit,
        valid_from=today - dt.timedelta(days=60),
        valid_to=today - dt.timedelta(days=1),
    )
    page = alice_client.get(_url(alices_person)).content.decode()
    assert "Har upphört" in page


def test_charlie_does_not_see_ludvikas_consents_on_his_own_enrolment(
    charlie_client, charlie, alices_person, af_consent, project
):
    from vagval.people.tests.factories import EnrolmentFactory

    EnrolmentFactory(person=alices_person, project=project, unit=charlie.unit, coach=charlie)
    page = charlie_client.get(_url(alices_person)).content.decode()
    assert "Inga samtycken är dokumenterade." in page
    assert "Arbetsförmedlingen" not in page


@pytest.mark.parametrize("protection", [Protection.CONFIDENTIALITY_MARK, Protection.PROTECTED_REGISTRATION])
def test_a_protected_person_gets_a_warning_and_no_record_link(alice_client, alices_person, protection):
    alices_person.protection = protection
    alices_person.save()
    page = alice_client.get(_url(alices_person)).content.decode()
    assert "delas inte med andra organisationer" in page
    assert reverse("consent:record", args=[alices_person.pk]) not in page


def test_a_partner_gets_404_once_the_person_is_protected(frida_client, alices_person, af_consent):
    alices_person.protection = Protection.PROTECTED_REGISTRATION
    alices_person.save()
    assert frida_client.get(_url(alices_person)).status_code == 404


def test_post_is_not_allowed(alice_client, alices_person):
    assert alice_client.post(_url(alices_person)).status_code == 405
