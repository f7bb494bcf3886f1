"""The placement pages and who may use them: alice (coach), bob (read-only), charlie (another
unit: 404), frida (partner: only under a consent covering plan), anonymous (login)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import ctx_for
from vagval.assessments.models import AssessmentLink
from vagval.audit.models import AccessLogEntry
from vagval.catalogue import group_activities
from vagval.catalogue import placement_services as services
from vagval.catalogue.models import OfferKind, Placement, PlacementAssessment, PlacementStatus
from vagval.catalogue.placement_selectors import attended_hours
from vagval.catalogue.tests.factories import OfferFactory
from vagval.consent.models import ConsentCategory
from vagval.consent.tests.factories import share
from vagval.people.models import Protection

pytestmark = pytest.mark.django_db

S = PlacementStatus


@pytest.fixture
def placement(alice, alices_enrolment, offer):
    return services.placement_create(ctx=ctx_for(alice), enrolment=alices_enrolment, offer=offer, status=S.OFFERED)


def detail(placement):
    return reverse("catalogue:placement_detail", args=[placement.pk])


def test_the_person_page_lists_the_placement_with_a_link_to_create_one(alice_client, alices_person, placement):
    page = alice_client.get(reverse("people:detail", args=[alices_person.pk])).content.decode()
    assert "Placeringar" in page
    assert "Praktik på verkstaden" in page
    assert reverse("catalogue:placement_create", args=[alices_person.pk]) in page


def test_alice_creates_a_placement_from_an_offer(alice_client, alices_person, alices_enrolment, offer):
    url = reverse("catalogue:placement_create", args=[alices_person.pk])
    assert alice_client.get(url).status_code == 200
    response = alice_client.post(
        url, {"offer": offer.pk, "enrolment": alices_enrolment.pk, "status": S.OFFERED, "hours_per_week": "20"}
    )
    placement = Placement.objects.get(person=alices_person)
    assert response.status_code == 302
    assert response["Location"] == detail(placement)
    assert placement.status == S.OFFERED


def test_a_full_offer_shows_a_swedish_error_at_the_status_field(
    alice_client, alices_person, alices_enrolment, offer, enrol_at_alice, alice
):
    offer.capacity = 1
    offer.save()
    services.placement_create(ctx=ctx_for(alice), enrolment=enrol_at_alice(), offer=offer, status=S.OFFERED)
    response = alice_client.post(
        reverse("catalogue:placement_create", args=[alices_person.pk]),
        {"offer": offer.pk, "enrolment": alices_enrolment.pk, "status": S.OFFERED},
    )
    assert response.status_code == 400
    assert "Erbjudandet är fullt" in response.content.decode()
    assert not Placement.objects.filter(person=alices_person).exists()


def test_alice_changes_the_status_with_the_version_she_saw(alice_client, placement):
    response = alice_client.post(
        reverse("catalogue:placement_status", args=[placement.pk]),
        {"status": S.ACCEPTED, "version": services.placement_version(placement=placement)},
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.status == S.ACCEPTED
    page = alice_client.get(detail(placement)).content.decode()
    assert "Historik" in page
    assert "Accepterad" in page


def test_a_stale_status_change_is_refused_with_the_conflict_message(alice_client, placement):
    response = alice_client.post(
        reverse("catalogue:placement_status", args=[placement.pk]), {"status": S.ACCEPTED, "version": "0"}
    )
    assert response.status_code == 400
    assert "Någon annan har sparat" in response.content.decode()
    placement.refresh_from_db()
    assert placement.status == S.OFFERED


def test_bob_sees_the_placement_but_cannot_change_it(bob_client, placement):
    page = bob_client.get(detail(placement))
    assert page.status_code == 200
    assert "Ändra status" not in page.content.decode()
    for name, data in [
        ("catalogue:placement_status", {"status": S.ACCEPTED, "version": "1"}),
        ("catalogue:placement_assessment_schedule", {"interval_weeks": 4}),
        ("catalogue:placement_assessment_send", {"send_via": "epost"}),
    ]:
        assert bob_client.post(reverse(name, args=[placement.pk]), data).status_code == 403
    assert bob_client.get(reverse("catalogue:placement_create", args=[placement.person_id])).status_code == 403


def test_charlie_of_another_unit_gets_404_everywhere(charlie_client, placement):
    assert charlie_client.get(detail(placement)).status_code == 404
    assert (
        charlie_client.post(
            reverse("catalogue:placement_status", args=[placement.pk]), {"status": S.ACCEPTED, "version": "1"}
        ).status_code
        == 404
    )
    assert charlie_client.get(reverse("catalogue:placement_create", args=[placement.person_id])).status_code == 404
    page = charlie_client.get(reverse("catalogue:placement_offer_list", args=[placement.offer_id])).content.decode()
    assert placement.person.full_name not in page


def test_frida_sees_the_placement_only_under_a_consent_covering_plan(frida_client, alice, af_unit, placement):
    assert frida_client.get(detail(placement)).status_code == 404
    share(placement.person, documented_by=alice, to_unit=af_unit, categories=[ConsentCategory.IDENTITY])
    assert frida_client.get(detail(placement)).status_code == 404
    consent = share(
        placement.person, documented_by=alice, to_unit=af_unit, categories=[ConsentCategory.IDENTITY, "plan"]
    )
    assert frida_client.get(detail(placement)).status_code == 200
    entry = AccessLogEntry.objects.filter(action="placement.viewed").latest("at")
    assert entry.consent_id == consent.pk
    offer_page = frida_client.get(reverse("catalogue:placement_offer_list", args=[placement.offer_id]))
    assert placement.person.full_name in offer_page.content.decode()
    status = frida_client.post(
        reverse("catalogue:placement_status", args=[placement.pk]), {"status": S.ACCEPTED, "version": "1"}
    )
    assert status.status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, placement):
    response = client.get(detail(placement))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "logga-in" in response["Location"]


def test_a_protected_persons_placement_hides_offer_provider_and_address_from_all_but_the_coach(
    alice_client, bob_client, pia_client, alices_person, placement
):
    alices_person.protection = Protection.PROTECTED_REGISTRATION
    alices_person.save()
    for client in (bob_client, pia_client):
        for url in (detail(placement), reverse("people:detail", args=[alices_person.pk])):
            page = client.get(url).content.decode()
            for secret in ("Ludvika Mekaniska", "Verkstadsgatan", "Praktik på verkstaden"):
                assert secret not in page, (url, secret)
        offer_page = client.get(reverse("catalogue:placement_offer_list", args=[placement.offer_id])).content.decode()
        assert alices_person.full_name not in offer_page
    page = alice_client.get(detail(placement)).content.decode()
    assert "Ludvika Mekaniska" in page
    assert "Verkstadsgatan" in page


def test_the_supervisor_assessment_link_is_tied_to_the_placement(alice, alice_client, placement):
    placement = services.placement_change_status(ctx=ctx_for(alice), placement=placement, status=S.ACCEPTED)
    placement = services.placement_change_status(
        ctx=ctx_for(alice), placement=placement, status=S.STARTED, on=dt.date(2026, 11, 2)
    )
    response = alice_client.post(
        reverse("catalogue:placement_assessment_send", args=[placement.pk]), {"send_via": "epost"}
    )
    assert response.status_code == 302
    sent = PlacementAssessment.objects.get(placement=placement)
    assert sent.due_on == dt.date(2026, 11, 30)
    assert sent.link.respondent == "handledare"
    assert sent.link.person_id == placement.person_id
    assert sent.link.instrument_version.instrument.slug == "arbetsplatsbedomning"
    assert sent.link.sent_to == placement.supervisor.email
    placement.refresh_from_db()
    assert placement.assessment_next_due_on > dt.date(2026, 11, 30)
    assert AssessmentLink.objects.filter(pk=sent.link_id).exists()
    assert "Skickade bedömningar" in alice_client.get(detail(placement)).content.decode()


def test_the_schedule_can_be_changed(alice_client, placement):
    response = alice_client.post(
        reverse("catalogue:placement_assessment_schedule", args=[placement.pk]),
        {"interval_weeks": 2, "next_due_on": "2026-12-20"},
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.assessment_interval_weeks, placement.assessment_next_due_on) == (2, dt.date(2026, 12, 20))


def test_attended_sessions_count_in_the_participants_hours(alice, alice_client, bob_client, alices_enrolment):
    offer = OfferFactory(kind=OfferKind.GROUP_ACTIVITY, owner=alice.unit.organisation, capacity=8)
    placement = services.placement_create(ctx=ctx_for(alice), enrolment=alices_enrolment, offer=offer, status=S.OFFERED)
    list_url = reverse("catalogue:placement_offer_list", args=[offer.pk])
    assert alice_client.post(list_url, {"held_on": "2026-11-03", "hours": "3"}).status_code == 302
    assert bob_client.post(list_url, {"held_on": "2026-11-04", "hours": "3"}).status_code == 403
    session = offer.sessions.get()
    group_activities.group_session_create(ctx=ctx_for(alice), offer=offer, held_on=dt.date(2026, 11, 10), hours=2)
    url = reverse("catalogue:placement_attendance", args=[session.pk])
    assert alice_client.get(url).status_code == 200
    assert bob_client.post(url, {f"p_{placement.pk}": "on"}).status_code == 403
    assert alice_client.post(url, {f"p_{placement.pk}": "on"}).status_code == 302
    assert attended_hours(placement=placement) == Decimal(3)
    assert "Närvarotimmar" in alice_client.get(detail(placement)).content.decode()
