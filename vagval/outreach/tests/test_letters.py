"""Letters to the young person: a PDF with the unit's contact details; protected persons need the responsible coach."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.common.errors import InvalidInput, PermissionDenied
from vagval.outreach import services
from vagval.outreach.models import Channel, ContactAttempt, Outcome
from vagval.outreach.tests.factories import on_list, young_person
from vagval.people.models import Protection


def _laid_out_text(html: str) -> str:
    """The text WeasyPrint lays out on the PDF's pages (the PDF's own text is compressed glyph codes)."""
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import TextBox

    document = HTML(string=html).render()
    return " ".join(
        box.text for page in document.pages for box in page._page_box.descendants() if isinstance(box, TextBox)
    )


@pytest.fixture
def unit(ludvika_kaa_unit):
    ludvika_kaa_unit.address = "Storgatan 9, 771 31 Ludvika"
    ludvika_kaa_unit.phone = "0240-86 000"
    ludvika_kaa_unit.email = "kaa@ludvika.example"
    ludvika_kaa_unit.save()
    return ludvika_kaa_unit


@pytest.fixture
def spy(monkeypatch):
    """Keeps the HTML each PDF was made from, and still makes the real PDF."""
    made: list[str] = []
    real = services.render_pdf

    def render(*, html):
        made.append(html)
        return real(html=html)

    monkeypatch.setattr(services, "render_pdf", render)
    return made


def test_the_letter_is_a_pdf_with_the_units_contact_details_and_the_first_name(karin_client, unit, spy):
    episode = on_list(unit, young_person(first_name="Elsa", address="Bergsgatan 4"), opened_on=dt.date(2026, 3, 2))
    response = karin_client.post(reverse("outreach:letter", args=[episode.person_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert episode.person.id_number not in response["Content-Disposition"]
    text = _laid_out_text(spy[0])
    for expected in [
        "Hej Elsa!",
        "KAA/Gymnasieskolan",
        "Storgatan 9, 771 31 Ludvika",
        "0240-86 000",
        "kaa@ludvika.example",
        "Bergsgatan 4",
    ]:
        assert expected in text
    assert episode.person.id_number not in spy[0]


def test_printing_records_a_letter_attempt_not_yet_reached_and_a_log_entry(karin, unit):
    episode = on_list(unit, opened_on=dt.date(2026, 3, 2))
    printed = services.letter_print(ctx=ctx_for(karin), person_id=episode.person_id)

    attempt = ContactAttempt.objects.get()
    assert printed.attempt == attempt
    assert (attempt.channel, attempt.outcome, attempt.episode, attempt.made_by) == (
        Channel.LETTER,
        Outcome.NOT_REACHED,
        episode,
        karin,
    )
    entry = AccessLogEntry.objects.get(action="outreach.letter_printed")
    assert (entry.user_id, entry.person_id) == (karin.pk, episode.person_id)
    assert entry.basis == "own_unit"


# --- Protected persons -------------------------------------------------------------------------


@pytest.fixture
def protected(alices_person):
    alices_person.protection = Protection.PROTECTED_REGISTRATION
    alices_person.address = "Hemligvägen 7"
    alices_person.postal_code = "99999"
    alices_person.city = "Hemligby"
    alices_person.save()
    return alices_person


def test_the_responsible_coach_is_refused_without_confirmation_and_nothing_is_recorded(alice, protected):
    with pytest.raises(InvalidInput) as raised:
        services.letter_print(ctx=ctx_for(alice), person_id=protected.pk)
    assert "confirm_protected" in raised.value.field_errors
    assert not ContactAttempt.objects.exists()
    assert not AccessLogEntry.objects.filter(action="outreach.letter_printed").exists()


def test_the_form_without_confirmation_shows_the_error_and_no_pdf(alice_client, protected):
    response = alice_client.post(reverse("outreach:letter", args=[protected.pk]), {})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Bekräfta att brevet får skickas" in response.content.decode()
    assert not ContactAttempt.objects.exists()


def test_confirmed_letter_to_a_protected_person_never_shows_the_address(alice_client, protected, spy):
    response = alice_client.post(reverse("outreach:letter", args=[protected.pk]), {"confirm_protected": "on"})
    assert response.content.startswith(b"%PDF")
    text = _laid_out_text(spy[0])
    assert "Hej Moa!" in text
    for secret in ["Hemligvägen", "99999", "Hemligby"]:
        assert secret not in spy[0]
    assert AccessLogEntry.objects.get(action="outreach.letter_printed").detail["protected"] is True


def test_the_letter_page_explains_skatteverkets_forwarding(alice_client, protected):
    page = alice_client.get(reverse("outreach:letter", args=[protected.pk])).content.decode()
    assert "Skatteverket" in page
    assert "confirm_protected" in page
    assert "Hemligvägen" not in page


def test_someone_who_is_not_the_responsible_coach_gets_no_letter_for_a_protected_person(
    karin, karin_client, ludvika_kaa_unit
):
    person = young_person(protection=Protection.CONFIDENTIALITY_MARK)
    on_list(ludvika_kaa_unit, person, opened_on=dt.date(2026, 3, 2))
    with pytest.raises(PermissionDenied):
        services.letter_print(ctx=ctx_for(karin), person_id=person.pk, confirmed_protected=True)
    response = karin_client.post(reverse("outreach:letter", args=[person.pk]), {"confirm_protected": "on"})
    assert response.status_code == 403
    assert not response.content.startswith(b"%PDF")
    assert not ContactAttempt.objects.exists()


def test_the_letter_page_tells_someone_who_is_not_the_responsible_coach_why_there_is_no_form(
    karin_client, ludvika_kaa_unit
):
    person = young_person(protection=Protection.CONFIDENTIALITY_MARK)
    on_list(ludvika_kaa_unit, person, opened_on=dt.date(2026, 3, 2))
    response = karin_client.get(reverse("outreach:letter", args=[person.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Brev till personen kan bara skrivas ut av ansvarig coach." in page
    assert "confirm_protected" not in page
    assert "Skriv ut brevet (PDF)" not in page
