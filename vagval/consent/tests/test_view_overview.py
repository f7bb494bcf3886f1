"""'Vem kan se vad om mig?': the young person's own printable page, in plain Swedish."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.consent import services
from vagval.consent.models import ConsentCategory, ConsentRecipient
from vagval.consent.tests.factories import share


def _url(person):
    return reverse("consent:overview", args=[person.pk])


def test_anonymous_users_are_sent_to_the_login_page(client, alices_person):
    response = client.get(_url(alices_person))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_charlie_gets_404(charlie_client, alices_person):
    assert charlie_client.get(_url(alices_person)).status_code == 404


def test_partners_get_404_with_or_without_consent(frida_client, alices_person, af_consent, gustav_client):
    # A partner sees only part of the picture, so cannot show the young person the whole of it.
    assert frida_client.get(_url(alices_person)).status_code == 404
    assert gustav_client.get(_url(alices_person)).status_code == 404


def test_it_names_the_own_unit_the_coach_and_each_recipient_in_plain_words(alice_client, alices_person, af_consent):
    page = alice_client.get(_url(alices_person)).content.decode()
    assert "<h1>Vem kan se vad om mig?</h1>" in page
    assert "Ludvika kommun – Arbetsmarknadsenheten arbetar med dig." in page
    assert "Din coach är Alice" in page
    assert "Arbetsförmedlingen – Ludvika" in page
    assert "Din plan. Vad du vill och vad ni ska göra." in page
    assert "Ditt namn, ditt personnummer och hur man når dig." in page
    assert "hälsa" not in page
    valid_to = af_consent.valid_to
    assert f"Det gäller till och med {valid_to.day} " in page
    assert "Du kan när som helst ta tillbaka ditt samtycke. Säg det till din coach." in page


def test_it_never_shows_the_identity_number_or_address(alice_client, alices_person, af_consent):
    page = alice_client.get(_url(alices_person)).content.decode()
    number = alices_person.id_number
    assert number not in page
    assert f"{number[2:8]}-{number[8:]}" not in page
    assert alices_person.address not in page


def test_withdrawn_expired_and_withdrawn_recipients_are_left_out(alice, alice_client, alices_person, af_unit, fk_unit):
    today = timezone.localdate()
    withdrawn = share(alices_person, documented_by=alice, to_unit=af_unit)
    services.consent_withdraw(ctx=ctx_for(alice), consent=withdrawn)
    share(
        alices_person,
        documented_by=alice,
        to_unit=af_unit,
        valid_from=today - dt.timedelta(days=40),
        valid_to=today - dt.timedelta(days=1),
    )
    partly = share(alices_person, documented_by=alice, to_unit=fk_unit, categories=[ConsentCategory.OUTCOMES])
    ConsentRecipient.objects.create(consent=partly, unit=af_unit)
    services.consent_withdraw(ctx=ctx_for(alice), consent=partly, recipient_unit_id=af_unit.pk)
    page = alice_client.get(_url(alices_person)).content.decode()
    assert "Försäkringskassan – Borlänge" in page
    assert "Arbetsförmedlingen" not in page


def test_without_consent_it_says_nobody_else_sees_anything(alice_client, alices_person):
    page = alice_client.get(_url(alices_person)).content.decode()
    assert "Ingen annan får se uppgifter om dig." in page


def test_it_is_printable_without_inline_script_or_style(alice_client, alices_person, af_consent):
    page = alice_client.get(_url(alices_person)).content.decode()
    assert "consent/print.css" in page
    assert '<script src="/static/consent/print.js" defer></script>' in page
    assert "data-print" in page
    assert "Ctrl+P" in page
    assert "style=" not in page
    assert "onclick" not in page


def test_bob_may_show_it_and_it_is_logged(bob_client, alices_person, af_consent):
    assert bob_client.get(_url(alices_person)).status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.person_id, entry.basis) == ("consent.overview_viewed", alices_person.pk, "own_unit")


def test_a_consent_documented_by_another_unit_is_for_that_unit_to_explain(
    alice, alice_client, charlie, alices_person, af_unit, project
):
    from vagval.people.tests.factories import EnrolmentFactory

    EnrolmentFactory(person=alices_person, project=project, unit=charlie.unit, coach=charlie)
    # Smedjebacken documented a consent naming Ludvika and Arbetsförmedlingen.
    consent = share(alices_person, documented_by=charlie, to_unit=alice.unit)
    ConsentRecipient.objects.create(consent=consent, unit=af_unit)
    page = alice_client.get(_url(alices_person)).content.decode()
    assert "Arbetsförmedlingen" not in page
    assert "Smedjebacken" not in page
