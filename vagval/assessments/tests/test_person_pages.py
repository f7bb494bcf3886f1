"""The staff pages for a person's mappings: who may open them, filling in, response details,
and what a partner sees under consent."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from conftest import client_for
from vagval.assessments.models import Response
from vagval.assessments.tests.helpers import make_link, record, vf_answers, work_answers
from vagval.audit.models import AccessLogEntry
from vagval.consent.models import ConsentCategory
from vagval.consent.tests.factories import share


@pytest.fixture
def world(alice, alices_person):
    response = record(alices_person, alice)
    link, _token = make_link(alices_person, alice)
    return {"person": alices_person, "response": response, "link": link}


def url(name, world):
    person, response, link = world["person"], world["response"], world["link"]
    return {
        "person": reverse("assessments:person", args=[person.pk]),
        "response_create": reverse("assessments:response_create", args=[person.pk, "vagen-framat"]),
        "link_create": reverse("assessments:link_create", args=[person.pk]),
        "response_detail": reverse("assessments:response_detail", args=[response.pk]),
        "link_detail": reverse("assessments:link_detail", args=[link.pk]),
        "link_revoke": reverse("assessments:link_revoke", args=[link.pk]),
        "cohort": reverse("assessments:cohort"),
    }[name]


READ_PAGES = ["person", "response_detail", "link_detail"]
WRITE_GET = ["response_create"]
WRITE_POST = ["response_create", "link_create", "link_revoke"]
ALL = ["person", "response_create", "link_create", "response_detail", "link_detail", "link_revoke", "cohort"]


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_log_in(world, name, method):
    response = getattr(Client(), method)(url(name, world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", [n for n in ALL if n != "cohort"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_charlie_gets_404_on_ludvikas_person(world, charlie_client, name, method):
    response = getattr(charlie_client, method)(url(name, world))
    assert response.status_code in {404, 405}
    assert world["person"].last_name not in response.content.decode()


@pytest.mark.parametrize("name", READ_PAGES)
def test_bob_may_read(world, bob_client, name):
    assert bob_client.get(url(name, world)).status_code == 200


@pytest.mark.parametrize("name", WRITE_GET)
def test_bob_gets_403_on_the_form(world, bob_client, name):
    assert bob_client.get(url(name, world)).status_code == 403


@pytest.mark.parametrize("name", WRITE_POST)
def test_bob_cannot_write(world, bob_client, name):
    before = (Response.objects.count(), world["link"].revoked_at)
    response = bob_client.post(url(name, world), {**vf_answers(4), "target": "vagen-framat:den_unga"})
    assert response.status_code == 403
    world["link"].refresh_from_db()
    assert (Response.objects.count(), world["link"].revoked_at) == before


def test_bob_sees_no_fill_in_links_or_link_form(world, bob_client):
    page = bob_client.get(url("person", world)).content.decode()
    assert "Fyll i tillsammans med" not in page
    assert "Skapa länk" not in page
    assert "Återkalla" not in page


def test_the_person_page_lists_instruments_responses_progress_and_links(world, alice_client):
    response = alice_client.get(url("person", world))
    page = response.content.decode()
    assert response.status_code == 200
    for title in ("Vägen framåt", "Hälsokartläggning", "Behovskartläggning", "Arbetsplatsbedömning"):
        assert title in page
    assert reverse("assessments:response_detail", args=[world["response"].pk]) in page
    assert 'role="img"' in page
    assert "Förändring sedan första" in page
    assert "Personliga länkar" in page
    assert world["person"].id_number not in page
    entry = AccessLogEntry.objects.filter(action="assessment.viewed").get()
    assert entry.person_id == world["person"].pk
    assert entry.detail == {"responses": 1}


def test_alice_fills_in_vagen_framat_with_the_young_person(alice, alices_person, alice_client):
    form_url = reverse("assessments:response_create", args=[alices_person.pk, "vagen-framat"])
    page = alice_client.get(form_url).content.decode()
    assert "<fieldset" in page
    assert "<legend>Motivation och mål: vilket steg passar bäst just nu?</legend>" in page
    assert "Jag har fastnat" in page
    response = alice_client.post(
        form_url,
        {
            "answered_on": "2026-03-01",
            "context": "uppfoljning",
            "respondent": "coach_med_den_unga",
            **vf_answers([1, 2, 3, 4, 5, 1, 2, 3]),
            "motivation__kommentar": "Vill bli snickare",
        },
    )
    saved = Response.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:response_detail", args=[saved.pk])
    assert saved.filled_by == alice
    assert saved.unit == alice.unit
    assert saved.answered_on == dt.date(2026, 3, 1)
    assert saved.answers["motivation"] == {"steg": 1, "kommentar": "Vill bli snickare"}
    assert saved.scores["boende_ekonomi"] == 3.0
    assert AccessLogEntry.objects.filter(action="assessment.response_created", person_id=alices_person.pk).exists()


def test_missing_answers_give_swedish_errors_linked_to_their_questions(alices_person, alice_client):
    form_url = reverse("assessments:response_create", args=[alices_person.pk, "vagen-framat"])
    answers = vf_answers(3)
    del answers["soka__steg"]
    response = alice_client.post(
        form_url,
        {"answered_on": "2099-01-01", "context": "start", "respondent": "coach_med_den_unga", **answers},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Något behöver rättas" in page
    assert "Välj ett av alternativen." in page
    assert 'href="#id_soka__steg_0"' in page
    assert "Datumet kan inte vara i framtiden." in page
    assert 'href="#id_answered_on"' in page
    assert 'aria-describedby="id_soka__steg_error"' in page
    assert not Response.objects.exists()


def test_an_unknown_instrument_is_404(alices_person, alice_client):
    assert alice_client.get(reverse("assessments:response_create", args=[alices_person.pk, "okant"])).status_code == 404


def test_the_supervisor_form_can_be_filled_in_by_the_coach_for_a_supervisor(alices_person, alice_client):
    form_url = reverse("assessments:response_create", args=[alices_person.pk, "arbetsplatsbedomning"])
    response = alice_client.post(
        form_url, {"answered_on": "2026-03-01", "context": "praktik", "respondent": "handledare", **work_answers(4)}
    )
    assert response.status_code == 302
    assert Response.objects.get().respondent == "handledare"


def test_the_response_page_shows_answers_in_words_and_logs(world, alice_client):
    page = alice_client.get(url("response_detail", world)).content.decode()
    assert "3 – Jag har börjat ta steg" in page
    assert AccessLogEntry.objects.filter(action="assessment.response_viewed").exists()


def test_a_response_recorded_at_another_unit_stays_in_that_units_secrecy_domain(
    alices_person, alice_client, charlie, project
):
    # The person is enrolled at Smedjebacken too; Charlie records there. Alice does not see it.
    from vagval.people.tests.factories import EnrolmentFactory

    EnrolmentFactory(person=alices_person, project=project, unit=charlie.unit, coach=charlie)
    theirs = record(alices_person, charlie)
    detail = reverse("assessments:response_detail", args=[theirs.pk])
    assert alice_client.get(detail).status_code == 404
    assert detail not in alice_client.get(reverse("assessments:person", args=[alices_person.pk])).content.decode()


# --- Partners under consent -------------------------------------------------------------------


@pytest.fixture
def sensitive_response(alice, alices_person):
    return record(
        alices_person,
        alice,
        slug="halsokartlaggning",
        answers={"delaktighet__bestamma": "3"},
        respondent="coach_med_den_unga",
    )


def test_a_partner_without_a_mapping_category_gets_404(world, alice, petra, sensitive_response):
    share(world["person"], documented_by=alice, to_unit=petra.unit, categories=[ConsentCategory.IDENTITY])
    client = client_for(petra)
    assert client.get(url("person", world)).status_code == 404
    assert client.get(url("response_detail", world)).status_code == 404


def test_a_partner_with_mappings_sees_ordinary_but_not_sensitive_instruments(world, alice, petra, sensitive_response):
    consent = share(world["person"], documented_by=alice, to_unit=petra.unit, categories=[ConsentCategory.MAPPINGS])
    client = client_for(petra)
    page = client.get(url("person", world)).content.decode()
    assert reverse("assessments:response_detail", args=[world["response"].pk]) in page
    assert reverse("assessments:response_detail", args=[sensitive_response.pk]) not in page
    assert "Personliga länkar" not in page
    assert "Fyll i tillsammans med" not in page
    assert client.get(url("response_detail", world)).status_code == 200
    assert client.get(reverse("assessments:response_detail", args=[sensitive_response.pk])).status_code == 404
    entries = AccessLogEntry.objects.filter(user=petra, action__startswith="assessment.")
    assert {e.consent_id for e in entries} == {consent.pk}
    assert {e.basis for e in entries} == {"consent"}


def test_a_partner_with_sensitive_mappings_sees_only_sensitive_instruments(world, alice, petra, sensitive_response):
    share(world["person"], documented_by=alice, to_unit=petra.unit, categories=[ConsentCategory.SENSITIVE_MAPPINGS])
    client = client_for(petra)
    page = client.get(url("person", world)).content.decode()
    assert reverse("assessments:response_detail", args=[sensitive_response.pk]) in page
    assert reverse("assessments:response_detail", args=[world["response"].pk]) not in page
    assert client.get(reverse("assessments:response_detail", args=[sensitive_response.pk])).status_code == 200


@pytest.mark.parametrize("name", ["response_create", "link_create"])
def test_a_partner_with_consent_cannot_write(world, alice, petra, name):
    share(world["person"], documented_by=alice, to_unit=petra.unit)
    response = client_for(petra).post(url(name, world), {**vf_answers(3), "target": "vagen-framat:den_unga"})
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["link_detail", "link_revoke"])
def test_a_partner_never_reaches_links(world, alice, petra, name):
    share(world["person"], documented_by=alice, to_unit=petra.unit)
    assert getattr(client_for(petra), "get" if name == "link_detail" else "post")(url(name, world)).status_code == 404


def test_a_partner_never_sees_a_protected_persons_mappings(world, alice, petra):
    from vagval.people.models import Protection

    person = world["person"]
    person.protection = Protection.PROTECTED_REGISTRATION
    person.save()
    share(person, documented_by=alice, to_unit=petra.unit)
    assert client_for(petra).get(url("person", world)).status_code == 404
