"""One person's suggestions: ranked, blocked ones with reasons, no crowding, overrides logged."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from conftest import ctx_for
from tests.permissions.conftest import consent_for
from vagval.audit.models import AccessLogEntry
from vagval.catalogue.models import OfferKind, OfferStatus, PlacementEndReason, PlacementStatus
from vagval.catalogue.tests.factories import OfferFactory, PlacementFactory
from vagval.common.errors import InvalidInput
from vagval.consent.models import ConsentCategory
from vagval.matching import selectors, services
from vagval.matching.models import MatchingRun, MatchingSuggestion, MatchingWeights, SuggestionStatus
from vagval.organisations.models import Municipality
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ludvika():
    return Municipality.objects.get(code="2085")


def _ids(view):
    return [s.offer.facts.id for s in view.suggestions]


def test_the_list_ranks_fitting_offers_and_says_what_blocks_the_others(alice, alices_person, ludvika):
    services.profile_save(
        ctx=ctx_for(alice),
        person_id=alices_person.pk,
        data=services.ProfileData(ssyk_areas=["7"], offer_kinds=["praktik"]),
        expected_version=None,
    )
    best = OfferFactory(title="Verkstad", ssyk_area="7", municipality=ludvika)
    other = OfferFactory(title="Butik", ssyk_area="5", kind=OfferKind.INTERNSHIP)
    licence = OfferFactory(title="Chaufför", requires_driving_licence=True)
    OfferFactory(title="Utkast", status=OfferStatus.DRAFT)
    view = selectors.suggestions_for_person(ctx=ctx_for(alice), person_id=alices_person.pk)
    assert _ids(view) == [best.pk, other.pk]
    assert view.suggestions[0].explanation.score > view.suggestions[1].explanation.score
    assert [(row.offer.facts.id, row.reasons) for row in view.left_out] == [(licence.pk, ("kräver körkort",))]
    assert view.offers_considered == 3


def test_each_run_logs_the_person_considered_with_the_basis(alice, alices_person):
    OfferFactory()
    selectors.suggestions_for_person(ctx=ctx_for(alice), person_id=alices_person.pk)
    entry = AccessLogEntry.objects.get(action="matching.considered", person_id=alices_person.pk)
    assert entry.basis == "own_unit"
    assert MatchingRun.objects.get().persons == 1


def test_the_projects_weights_apply(alice, alices_person, project):
    offer = OfferFactory(ssyk_area="7")
    services.profile_save(
        ctx=ctx_for(alice),
        person_id=alices_person.pk,
        data=services.ProfileData(ssyk_areas=["7"], offer_kinds=[]),
        expected_version=None,
    )
    MatchingWeights.objects.create(
        project=project, interest=100, travel=0, requirements=0, ranking=0, provider=0, continuity=0
    )
    view = selectors.suggestions_for_person(ctx=ctx_for(alice), person_id=alices_person.pk)
    (suggestion,) = view.suggestions
    assert suggestion.offer.facts.id == offer.pk
    assert suggestion.explanation.score == 700  # the area (0.7); the kind is not among the interests


@override_settings(MATCHING_CROWDING_FACTOR=2)
def test_an_offer_is_not_suggested_to_more_than_the_factor_times_its_free_places(alice, alices_person, project):
    offer = OfferFactory(capacity=2)
    PlacementFactory(offer=offer, status=PlacementStatus.OFFERED)  # one place taken: one free, limit 2
    others = [EnrolmentFactory(project=project, unit=alice.unit, coach=alice).person for _ in range(2)]
    services.suggestion_propose(ctx=ctx_for(alice), person_id=others[0].pk, offer_id=offer.pk)
    view = selectors.suggestions_for_person(ctx=ctx_for(alice), person_id=alices_person.pk)
    assert _ids(view) == [offer.pk]  # one open suggestion of two allowed
    services.suggestion_propose(ctx=ctx_for(alice), person_id=others[1].pk, offer_id=offer.pk)
    view = selectors.suggestions_for_person(ctx=ctx_for(alice), person_id=alices_person.pk)
    assert _ids(view) == []
    assert view.left_out[0].reasons == ("redan föreslagen till 2 andra (högst 2)",)


def test_placements_in_status_foreslagen_count_as_open_suggestions(alice, alices_person):
    offer = OfferFactory(capacity=1)
    for _ in range(3):
        PlacementFactory(offer=offer, status=PlacementStatus.SUGGESTED)
    view = selectors.suggestions_for_person(ctx=ctx_for(alice), person_id=alices_person.pk)
    assert _ids(view) == []


def test_a_suggestion_followed_by_a_placement_no_longer_counts(alice, project):
    offer = OfferFactory(capacity=1)
    enrolment = EnrolmentFactory(project=project, unit=alice.unit, coach=alice)
    services.suggestion_propose(ctx=ctx_for(alice), person_id=enrolment.person.pk, offer_id=offer.pk)
    assert selectors.open_suggestion_counts() == {offer.pk: 1}
    PlacementFactory(enrolment=enrolment, offer=offer, status=PlacementStatus.ACCEPTED)
    assert selectors.open_suggestion_counts() == {}


def test_a_full_offer_is_left_out(alice, alices_person):
    offer = OfferFactory(capacity=1)
    PlacementFactory(offer=offer, status=PlacementStatus.STARTED)
    view = selectors.suggestions_for_person(ctx=ctx_for(alice), person_id=alices_person.pk)
    assert view.left_out[0].reasons == ("inga lediga platser",)


def test_continuity_counts_an_earlier_placement_at_the_provider_that_went_well(alice, alices_person):
    earlier = OfferFactory(status=OfferStatus.CLOSED)
    enrolment = alices_person.enrolments.get()
    PlacementFactory(
        enrolment=enrolment, offer=earlier, status=PlacementStatus.ENDED, end_reason=PlacementEndReason.COMPLETED
    )
    same_provider = OfferFactory(provider=earlier.provider)
    view = selectors.suggestions_for_person(ctx=ctx_for(alice), person_id=alices_person.pk)
    (suggestion,) = view.suggestions
    assert suggestion.offer.facts.id == same_provider.pk
    assert any("gick bra" in part.reason for part in suggestion.explanation.parts)


def test_proposing_an_offer_outside_the_list_is_an_override_that_needs_a_reason(alice, alices_person):
    blocked = OfferFactory(requires_driving_licence=True)
    with pytest.raises(InvalidInput):
        services.suggestion_propose(ctx=ctx_for(alice), person_id=alices_person.pk, offer_id=blocked.pk)
    assert not MatchingSuggestion.objects.exists()
    services.suggestion_propose(
        ctx=ctx_for(alice), person_id=alices_person.pk, offer_id=blocked.pk, reason="Tar körkort i vår"
    )
    suggestion = MatchingSuggestion.objects.get()
    assert suggestion.override
    assert suggestion.status == SuggestionStatus.OPEN
    entry = AccessLogEntry.objects.get(action="matching.overridden")
    assert entry.person_id == alices_person.pk
    assert entry.detail["kind"] == "utanför listan"


def test_proposing_from_the_list_is_not_an_override(alice, alices_person):
    offer = OfferFactory()
    services.suggestion_propose(ctx=ctx_for(alice), person_id=alices_person.pk, offer_id=offer.pk)
    assert not MatchingSuggestion.objects.get().override
    assert AccessLogEntry.objects.filter(action="matching.suggested").count() == 1
    assert not AccessLogEntry.objects.filter(action="matching.overridden").exists()


def test_rejecting_an_offer_is_logged_and_takes_it_out_of_the_list(alice, alice_client, alices_person):
    offer = OfferFactory()
    url = reverse("matching:reject", args=[alices_person.pk])
    assert alice_client.post(url, {"offer": offer.pk, "reason": ""}).status_code == 400
    assert alice_client.post(url, {"offer": offer.pk, "reason": "Vill inte jobba helger"}).status_code == 302
    assert AccessLogEntry.objects.get(action="matching.overridden").detail["kind"] == "avvisad"
    view = selectors.suggestions_for_person(ctx=ctx_for(alice), person_id=alices_person.pk)
    assert _ids(view) == []
    assert view.left_out[0].reasons == ("avvisad av coachen: Vill inte jobba helger",)


def test_the_suggestions_page_shows_score_reasons_and_the_text_for_the_young_person(alice_client, alices_person):
    OfferFactory(title="Verkstadspraktik")
    response = alice_client.get(reverse("matching:suggestions", args=[alices_person.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Verkstadspraktik" in content
    assert "poäng" in content
    assert "Vi tror att Verkstadspraktik kan passa dig." in content


def test_another_unit_gets_404_on_every_matching_page(charlie_client, alices_person):
    offer = OfferFactory()
    assert charlie_client.get(reverse("matching:suggestions", args=[alices_person.pk])).status_code == 404
    for name in ("matching:propose", "matching:reject"):
        url = reverse(name, args=[alices_person.pk])
        assert charlie_client.post(url, {"offer": offer.pk, "reason": "x"}).status_code == 404
    assert not MatchingSuggestion.objects.exists()


def test_the_read_only_colleague_sees_the_list_but_cannot_decide(bob_client, alices_person):
    offer = OfferFactory()
    assert bob_client.get(reverse("matching:suggestions", args=[alices_person.pk])).status_code == 200
    url = reverse("matching:propose", args=[alices_person.pk])
    assert bob_client.post(url, {"offer": offer.pk}).status_code == 403
    assert not MatchingSuggestion.objects.exists()


def test_a_partner_sees_suggestions_only_under_a_consent_covering_plans(alice, frida, frida_client, alices_person):
    OfferFactory()
    url = reverse("matching:suggestions", args=[alices_person.pk])
    assert frida_client.get(url).status_code == 404
    consent_for(alices_person, documented_by=alice, recipients=[frida.unit], categories={ConsentCategory.PLAN})
    assert frida_client.get(url).status_code == 200
    assert AccessLogEntry.objects.get(action="matching.considered").basis == "consent"


def test_a_person_of_another_unit_is_never_counted_into_the_list(charlie, charlies_person, alice, alices_person):
    # Charlie's own person is reachable for him; alice's is not, even by id.
    with pytest.raises(Exception, match="saknar du behörighet"):
        selectors.suggestions_for_person(ctx=ctx_for(charlie), person_id=alices_person.pk)
    PersonFactory()  # a person nobody enrolled
    assert (
        selectors.suggestions_for_person(ctx=ctx_for(charlie), person_id=charlies_person.pk).person == charlies_person
    )
