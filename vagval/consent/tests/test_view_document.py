"""The uploaded consent form: for the documenting unit and current recipients, logged, neutrally named."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.consent import services
from vagval.consent.models import ConsentRecipient
from vagval.consent.tests.uploads import PDF_BYTES, PNG_BYTES


@pytest.fixture
def with_document(af_consent):
    af_consent.document.save("Moa Provsson 200503141234.pdf", SimpleUploadedFile("x.pdf", PDF_BYTES))
    return af_consent


def _url(consent):
    return reverse("consent:document", args=[consent.pk])


def _body(response):
    return b"".join(response.streaming_content)


def test_the_documenting_unit_downloads_it_under_a_neutral_name(alice_client, alices_person, with_document):
    response = alice_client.get(_url(with_document))
    assert response.status_code == 200
    assert _body(response) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="samtyckesblankett-{with_document.valid_from:%Y%m%d}.pdf"' in disposition
    assert "Moa" not in disposition
    assert alices_person.id_number not in disposition
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_downloading_is_logged(alice_client, alices_person, with_document):
    alice_client.get(_url(with_document))
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.person_id) == ("consent.document_viewed", alices_person.pk)


def test_bob_may_read_it(bob_client, with_document):
    assert bob_client.get(_url(with_document)).status_code == 200


def test_a_current_recipient_may_read_it_and_it_is_logged_with_the_consent(frida_client, with_document):
    assert frida_client.get(_url(with_document)).status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.basis, entry.consent_id) == ("consent", with_document.pk)


def test_a_withdrawn_recipient_may_not(alice, frida_client, with_document, af_unit):
    services.consent_withdraw(ctx=ctx_for(alice), consent=with_document, recipient_unit_id=af_unit.pk)
    assert frida_client.get(_url(with_document)).status_code == 404


def test_a_recipient_withdrawn_while_another_consent_still_holds_may_not(
    alice, frida_client, alices_person, with_document, af_unit
):
    from vagval.consent.tests.factories import share

    share(alices_person, documented_by=alice, to_unit=af_unit)
    ConsentRecipient.objects.filter(consent=with_document).update(withdrawn_at=with_document.created_at)
    assert frida_client.get(reverse("consent:person_consents", args=[alices_person.pk])).status_code == 200
    assert frida_client.get(_url(with_document)).status_code == 404


def test_charlie_and_other_partners_get_404(charlie_client, gustav_client, with_document):
    assert charlie_client.get(_url(with_document)).status_code == 404
    assert gustav_client.get(_url(with_document)).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_no_document_gives_404(alice_client, af_consent):
    assert alice_client.get(_url(af_consent)).status_code == 404


def test_an_image_is_served_as_an_image(alice_client, af_consent):
    af_consent.document.save("scan.png", SimpleUploadedFile("scan.png", PNG_BYTES))
    response = alice_client.get(_url(af_consent))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].endswith('.png"')
