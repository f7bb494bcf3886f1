"""Recording a consent: only writers at the person's own unit; errors in Swedish; the upload."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import client_for, ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.common.errors import InvalidInput
from vagval.consent import services
from vagval.consent.forms import one_year_ahead
from vagval.consent.models import Consent, ConsentCategory, ConsentForm
from vagval.consent.tests.uploads import PDF_BYTES, PNG_BYTES, pdf_upload
from vagval.organisations.tests.factories import UnitFactory
from vagval.people.models import Protection


def _url(person):
    return reverse("consent:record", args=[person.pk])


def _post_data(unit, **overrides):
    today = timezone.localdate()
    data = {
        "recipient_unit_ids": [str(unit.pk)],
        "categories": [ConsentCategory.IDENTITY, ConsentCategory.PLAN],
        "purpose": "Planera praktik tillsammans",
        "form": ConsentForm.WRITTEN,
        "valid_from": today.isoformat(),
        "valid_to": (today + dt.timedelta(days=365)).isoformat(),
    }
    data.update(overrides)
    return data


def test_anonymous_users_are_sent_to_the_login_page(client, alices_person):
    response = client.get(_url(alices_person))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_charlie_gets_404(charlie_client, alices_person, af_unit):
    assert charlie_client.get(_url(alices_person)).status_code == 404
    assert charlie_client.post(_url(alices_person), _post_data(af_unit)).status_code == 404
    assert not Consent.objects.exists()


def test_bob_gets_403(bob_client, alices_person, af_unit):
    assert bob_client.get(_url(alices_person)).status_code == 403
    assert bob_client.post(_url(alices_person), _post_data(af_unit)).status_code == 403
    assert not Consent.objects.exists()


def test_a_partner_cannot_record_even_with_consent(frida_client, alices_person, af_unit, af_consent):
    assert frida_client.get(_url(alices_person)).status_code == 404
    assert frida_client.post(_url(alices_person), _post_data(af_unit)).status_code == 404
    assert Consent.objects.count() == 1


def test_a_partner_without_consent_gets_404(frida_client, alices_person):
    assert frida_client.get(_url(alices_person)).status_code == 404


def test_the_form_lists_other_units_grouped_by_organisation_but_not_the_own_unit(
    alice, alice_client, alices_person, af_unit, fk_unit
):
    colleague_unit = UnitFactory(organisation=alice.unit.organisation, name="Socialtjänsten IFO")
    UnitFactory(organisation=af_unit.organisation, name="Nedlagd", active=False)
    page = alice_client.get(_url(alices_person)).content.decode()
    assert "<legend>Arbetsförmedlingen</legend>" in page
    assert "<legend>Försäkringskassan</legend>" in page
    assert "<legend>Ludvika kommun</legend>" in page
    assert f'value="{colleague_unit.pk}"' in page
    assert f'value="{af_unit.pk}"' in page
    assert f'value="{alice.unit.pk}"' not in page
    assert "Nedlagd" not in page
    assert 'enctype="multipart/form-data"' in page


def test_the_form_explains_each_category_and_defaults_to_one_year(alice_client, alices_person):
    page = alice_client.get(_url(alices_person)).content.decode()
    today = timezone.localdate()
    assert "Namn, personnummer, adress, telefon och e-post." in page
    assert 'aria-describedby="id_categories_0_help"' in page
    assert f'value="{today.isoformat()}"' in page
    assert f'value="{one_year_ahead(today).isoformat()}"' in page


def test_opening_the_form_is_logged(alice_client, alices_person):
    alice_client.get(_url(alices_person))
    assert AccessLogEntry.objects.get().action == "consent.form_viewed"


def test_alice_records_a_consent_with_an_uploaded_form(alice, alice_client, alices_person, af_unit):
    response = alice_client.post(_url(alices_person), _post_data(af_unit, document=pdf_upload("Moa 200503141234.pdf")))
    assert response.status_code == 302
    assert response.url == reverse("consent:person_consents", args=[alices_person.pk])
    consent = Consent.objects.get()
    assert (consent.recorded_by, consent.unit) == (alice, alice.unit)
    assert consent.categories == sorted([ConsentCategory.IDENTITY, ConsentCategory.PLAN])
    assert [r.unit for r in consent.recipients.all()] == [af_unit]
    # The stored name is opaque: the uploaded file name may hold a name or a number.
    assert consent.document.name == f"samtycken/{consent.pk}.pdf"
    with consent.document.open("rb") as f:
        assert f.read() == PDF_BYTES
    assert "consent.recorded" in set(AccessLogEntry.objects.values_list("action", flat=True))
    page = alice_client.get(response.url).content.decode()
    assert "Samtycket är sparat." in page
    assert reverse("consent:document", args=[consent.pk]) in page


def test_recording_without_a_document_works(alice_client, alices_person, af_unit):
    assert alice_client.post(_url(alices_person), _post_data(af_unit)).status_code == 302
    assert not Consent.objects.get().document


def test_missing_choices_give_swedish_errors_tied_to_the_fields(alice_client, alices_person, af_unit):
    data = _post_data(af_unit, purpose="  ")
    for name in ("recipient_unit_ids", "categories", "form"):
        data.pop(name)
    response = alice_client.post(_url(alices_person), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Välj minst en mottagare." in page
    assert "Välj vilka uppgifter som får lämnas." in page
    assert "Beskriv syftet med samtycket." in page
    assert "Välj skriftligt eller muntligt." in page
    assert 'aria-describedby="recipients_error"' in page
    assert 'id="recipients_error"' in page
    assert not Consent.objects.exists()


def test_an_end_before_the_start_is_refused_by_the_service(alice_client, alices_person, af_unit):
    today = timezone.localdate()
    data = _post_data(af_unit, valid_to=(today - dt.timedelta(days=1)).isoformat())
    page = alice_client.post(_url(alices_person), data).content.decode()
    assert "Slutdatum kan inte vara före startdatum." in page
    assert not Consent.objects.exists()


def test_choices_are_kept_after_an_error(alice_client, alices_person, af_unit):
    page = alice_client.post(_url(alices_person), _post_data(af_unit, purpose="")).content.decode()
    assert f'value="{af_unit.pk}" id="id_recipient_0" checked' in page
    assert 'value="plan" id="id_categories_1" aria-describedby="id_categories_1_help" checked' in page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("blankett.docx", b"PK\x03\x04"), "måste vara en PDF- eller bildfil"),
        (pdf_upload(content=b"<html>inte en pdf</html>"), "inte en riktig PDF- eller bildfil"),
        (pdf_upload(content=b"%PDF-" + b"0" * (10 * 1024 * 1024)), "för stor (högst 10 MB)"),
        (SimpleUploadedFile("tom.pdf", b""), "Filen är tom."),
    ],
    ids=["wrong-type", "not-really-a-pdf", "too-large", "empty"],
)
def test_a_bad_upload_is_refused_in_swedish(alice_client, alices_person, af_unit, upload, message):
    page = alice_client.post(_url(alices_person), _post_data(af_unit, document=upload)).content.decode()
    assert message in page
    assert 'id="id_document_error"' in page
    assert not Consent.objects.exists()


def test_a_png_scan_is_accepted(alice_client, alices_person, af_unit):
    upload = SimpleUploadedFile("skanning.PNG", PNG_BYTES, content_type="image/png")
    assert alice_client.post(_url(alices_person), _post_data(af_unit, document=upload)).status_code == 302
    assert Consent.objects.get().document.name.endswith(".png")


def test_the_own_unit_is_refused_as_recipient(alice, alice_client, alices_person):
    page = alice_client.post(_url(alices_person), _post_data(alice.unit)).content.decode()
    # The own unit is not offered, so a forged post fails on the choice.
    assert "Okänd eller inaktiv mottagare." in page
    assert not Consent.objects.exists()


def test_a_protected_person_gets_the_non_field_error(alice_client, alices_person, af_unit):
    alices_person.protection = Protection.CONFIDENTIALITY_MARK
    alices_person.save()
    page = alice_client.post(_url(alices_person), _post_data(af_unit)).content.decode()
    assert "Personen har skyddade personuppgifter." in page
    assert 'role="alert"' in page
    assert not Consent.objects.exists()


def test_a_new_consent_opens_the_partners_access_on_the_next_request(alice_client, frida, alices_person, af_unit):
    frida_client = client_for(frida)
    consents_url = reverse("consent:person_consents", args=[alices_person.pk])
    assert frida_client.get(consents_url).status_code == 404
    alice_client.post(_url(alices_person), _post_data(af_unit))
    assert frida_client.get(consents_url).status_code == 200


def test_the_service_refuses_a_file_that_only_pretends_to_be_an_image(alice, alices_person, af_unit):
    today = timezone.localdate()
    data = services.ConsentData(
        recipient_unit_ids=[af_unit.pk],
        categories=[ConsentCategory.PLAN],
        purpose="Planera",
        form=ConsentForm.ORAL,
        valid_from=today,
        valid_to=today,
        document=SimpleUploadedFile("bild.jpg", b"GIF89a"),
    )
    with pytest.raises(InvalidInput) as err:
        services.consent_record(ctx=ctx_for(alice), person=alices_person, data=data)
    assert set(err.value.field_errors) == {"document"}
