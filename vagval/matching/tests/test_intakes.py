"""A whole intake: choose persons and offers, solve, change one pair with a reason, confirm."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.catalogue.models import Placement, PlacementStatus
from vagval.catalogue.tests.factories import OfferFactory, PlacementFactory
from vagval.common.errors import InvalidInput
from vagval.matching import intake_services
from vagval.matching.models import IntakePair, IntakeStatus, MatchingIntake
from vagval.matching.solver import solve_json
from vagval.people.models import Protection
from vagval.people.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_persons(alice, alices_person, project):
    second = EnrolmentFactory(project=project, unit=alice.unit, coach=alice).person
    return [alices_person, second]


def _intake(alice, persons, offers, **options):
    return intake_services.intake_create(
        ctx=ctx_for(alice),
        name="Sommarjobb 2026",
        person_ids=[p.pk for p in persons],
        offer_ids=[o.pk for o in offers],
        **options,
    )


def test_solving_builds_an_instance_from_the_scores_and_stores_the_optimal_assignment(alice, two_persons):
    one, licence = OfferFactory(capacity=1), OfferFactory(capacity=1, requires_driving_licence=True)
    intake = _intake(alice, two_persons, [one, licence])
    data = intake_services.intake_instance(intake=intake, persons=two_persons)
    assert {o["id"]: o["capacity"] for o in data["offers"]} == {str(one.pk): 1, str(licence.pk): 1}
    assert {p["offer"] for p in data["pairs"]} == {str(one.pk)}  # the licence offer is blocked for both
    intake_services.intake_solve(ctx=ctx_for(alice), intake_id=intake.pk)
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.SOLVED
    assert intake.optimal is True
    assert intake.objective_value == solve_json(data)["objective_value"]
    assert IntakePair.objects.filter(intake=intake).count() == 1
    assert AccessLogEntry.objects.filter(action="matching.considered").count() == 2


def test_the_capacities_are_the_offers_free_places(alice, two_persons):
    offer = OfferFactory(capacity=2)
    PlacementFactory(offer=offer, status=PlacementStatus.STARTED)
    intake = _intake(alice, two_persons, [offer])
    intake_services.intake_solve(ctx=ctx_for(alice), intake_id=intake.pk)
    assert IntakePair.objects.filter(intake=intake).count() == 1


def test_a_changed_pair_needs_a_reason_is_logged_and_counts_against_optimality(alice, two_persons):
    first, second = OfferFactory(capacity=1), OfferFactory(capacity=1)
    intake = _intake(alice, two_persons, [first, second])
    intake_services.intake_solve(ctx=ctx_for(alice), intake_id=intake.pk)
    person = two_persons[0]
    with pytest.raises(InvalidInput):
        intake_services.intake_pair_change(
            ctx=ctx_for(alice), intake_id=intake.pk, person_id=person.pk, offer_id=None, reason=""
        )
    intake_services.intake_pair_change(
        ctx=ctx_for(alice), intake_id=intake.pk, person_id=person.pk, offer_id=None, reason="Börjar skolan"
    )
    intake.refresh_from_db()
    assert intake.optimal is False
    assert IntakePair.objects.get(intake=intake, person=person).offer is None
    entry = AccessLogEntry.objects.get(action="matching.intake_changed")
    assert entry.person_id == person.pk


def test_a_pair_change_cannot_exceed_the_free_places(alice, two_persons):
    only = OfferFactory(capacity=1)
    intake = _intake(alice, two_persons, [only])
    intake_services.intake_solve(ctx=ctx_for(alice), intake_id=intake.pk)
    unplaced = next(p for p in two_persons if not IntakePair.objects.filter(intake=intake, person=p).exists())
    with pytest.raises(InvalidInput, match="inga fler lediga platser"):
        intake_services.intake_pair_change(
            ctx=ctx_for(alice), intake_id=intake.pk, person_id=unplaced.pk, offer_id=only.pk, reason="Hellre hen"
        )


def test_confirming_turns_each_pair_into_an_offered_placement(alice, two_persons):
    offer = OfferFactory(capacity=2)
    intake = _intake(alice, two_persons, [offer])
    intake_services.intake_solve(ctx=ctx_for(alice), intake_id=intake.pk)
    assert intake_services.intake_confirm(ctx=ctx_for(alice), intake_id=intake.pk) == 2
    assert Placement.objects.filter(offer=offer, status=PlacementStatus.OFFERED).count() == 2
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.CONFIRMED
    assert AccessLogEntry.objects.filter(action="matching.intake_confirmed").count() == 2


def test_when_an_offer_filled_up_meanwhile_nothing_is_confirmed(alice, two_persons):
    offer = OfferFactory(capacity=2)
    intake = _intake(alice, two_persons, [offer])
    intake_services.intake_solve(ctx=ctx_for(alice), intake_id=intake.pk)
    PlacementFactory(offer=offer, status=PlacementStatus.OFFERED)  # another coach took a place
    with pytest.raises(InvalidInput, match="Inget är bekräftat"):
        intake_services.intake_confirm(ctx=ctx_for(alice), intake_id=intake.pk)
    assert not Placement.objects.filter(person__in=two_persons).exists()
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.SOLVED


def test_the_gender_gap_and_count_first_options_reach_the_instance(alice, two_persons):
    from decimal import Decimal

    intake = _intake(alice, two_persons, [OfferFactory()], place_most_first=True, max_gender_gap=Decimal("0.2"))
    data = intake_services.intake_instance(intake=intake, persons=two_persons)
    assert data["objective"] == "count_then_score"
    assert data["max_gender_gap"] == 0.2
    assert all(p.get("gender") == "kvinna" for p in data["persons"])


def test_the_pages_walk_through_an_intake(alice_client, two_persons):
    offer = OfferFactory(capacity=2, title="Sommarjobb i parken")
    response = alice_client.post(
        reverse("matching:intake_create"),
        {"name": "Sommar", "persons": [str(p.pk) for p in two_persons], "offers": [str(offer.pk)]},
    )
    assert response.status_code == 302
    intake = MatchingIntake.objects.get()
    assert alice_client.post(reverse("matching:intake_solve", args=[intake.pk])).status_code == 302
    page = alice_client.get(reverse("matching:intake", args=[intake.pk])).content.decode()
    assert "Sommarjobb i parken" in page
    change = {"person": str(two_persons[0].pk), "offer": "", "reason": "Vill vänta"}
    assert alice_client.post(reverse("matching:intake_pair", args=[intake.pk]), change).status_code == 302
    assert alice_client.post(reverse("matching:intake_confirm", args=[intake.pk])).status_code == 302
    assert Placement.objects.filter(offer=offer, status=PlacementStatus.OFFERED).count() == 1


def test_another_unit_gets_404_and_the_read_only_colleague_403(alice, bob_client, charlie_client, two_persons):
    intake = _intake(alice, two_persons, [OfferFactory()])
    for name in ("matching:intake_solve", "matching:intake_confirm", "matching:intake_pair"):
        assert charlie_client.post(reverse(name, args=[intake.pk])).status_code == 404
        assert bob_client.post(reverse(name, args=[intake.pk])).status_code == 403
    assert charlie_client.get(reverse("matching:intake", args=[intake.pk])).status_code == 404
    assert bob_client.get(reverse("matching:intake", args=[intake.pk])).status_code == 200
    assert bob_client.get(reverse("matching:intake_create")).status_code == 403


def test_persons_of_another_unit_cannot_be_put_in_an_intake(alice, charlie, charlies_person):
    with pytest.raises(Exception, match="saknar du behörighet"):
        _intake(alice, [charlies_person], [OfferFactory()])


def test_a_protected_persons_pair_is_shown_only_to_the_responsible_coach(
    alice, alice_client, bob_client, pia_client, two_persons
):
    protected = two_persons[0]
    protected.protection = Protection.PROTECTED_REGISTRATION
    protected.save()
    offer = OfferFactory(capacity=2, title="Praktik på hemliga verkstaden")
    intake = _intake(alice, two_persons, [offer])
    intake_services.intake_solve(ctx=ctx_for(alice), intake_id=intake.pk)
    url = reverse("matching:intake", args=[intake.pk])
    assert offer.title in alice_client.get(url).content.decode()
    for client in (bob_client, pia_client):
        page = client.get(url).content.decode()
        assert protected.full_name in page
        assert "Skyddad uppgift" in page
        # The protected person's row does not name the offer.
        row = page.split(protected.full_name, 1)[1].split("</tr>", 1)[0]
        assert offer.title not in row
