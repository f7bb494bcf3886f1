"""The matching profile page: recorded with the person, under the access check, with edit versions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.permissions.conftest import consent_for
from vagval.audit.models import AccessLogEntry
from vagval.consent.models import ConsentCategory
from vagval.matching.models import MatchingProfile
from vagval.matching.services import profile_version

pytestmark = pytest.mark.django_db


def _url(person):
    return reverse("matching:profile", args=[person.pk])


def _form(version="ny", **changes):
    data = {
        "ssyk_areas": ["7"],
        "offer_kinds": ["praktik"],
        "wishes": "Vill jobba med händerna",
        "max_travel_minutes": "45",
        "hours_per_week": "20",
        "has_driving_licence": "on",
        "languages": "svenska",
        "version": version,
    }
    data.update(changes)
    return data


def test_the_coach_records_the_profile_and_the_change_is_logged(alice_client, alices_person):
    response = alice_client.post(_url(alices_person), _form())
    assert response.status_code == 302
    profile = MatchingProfile.objects.get(person=alices_person)
    assert profile.ssyk_areas == ["7"]
    assert profile.max_travel_minutes == 45
    assert profile.has_driving_licence
    assert AccessLogEntry.objects.filter(action="matching.profile_changed", person_id=alices_person.pk).count() == 1


def test_showing_the_profile_is_logged_with_the_basis(alice_client, alices_person):
    assert alice_client.get(_url(alices_person)).status_code == 200
    entry = AccessLogEntry.objects.get(action="matching.profile_viewed", person_id=alices_person.pk)
    assert entry.basis == "own_unit"


def test_a_stale_save_is_refused_with_the_conflict_page(alice_client, alices_person):
    alice_client.post(_url(alices_person), _form())
    response = alice_client.post(_url(alices_person), _form(version="ny", wishes="Något annat"))
    assert response.status_code == 409
    assert MatchingProfile.objects.get(person=alices_person).wishes == "Vill jobba med händerna"


def test_a_save_with_the_current_version_replaces_the_profile(alice_client, alices_person):
    alice_client.post(_url(alices_person), _form())
    version = profile_version(MatchingProfile.objects.get(person=alices_person))
    assert alice_client.post(_url(alices_person), _form(version=version, wishes="Ny")).status_code == 302
    assert MatchingProfile.objects.get(person=alices_person).wishes == "Ny"


def test_an_unknown_area_is_a_field_error(alice_client, alices_person):
    response = alice_client.post(_url(alices_person), _form(ssyk_areas=["77"]))
    assert response.status_code == 400
    assert not MatchingProfile.objects.exists()


def test_another_unit_gets_404_and_learns_nothing(charlie_client, alices_person):
    assert charlie_client.get(_url(alices_person)).status_code == 404
    assert charlie_client.post(_url(alices_person), _form()).status_code == 404
    assert not MatchingProfile.objects.exists()


def test_the_read_only_colleague_sees_but_cannot_save(bob_client, alices_person):
    assert bob_client.get(_url(alices_person)).status_code == 200
    assert bob_client.post(_url(alices_person), _form()).status_code == 403
    assert not MatchingProfile.objects.exists()


def test_a_partner_sees_the_profile_only_under_a_consent_covering_plans(
    alice, alice_client, frida, frida_client, alices_person
):
    alice_client.post(_url(alices_person), _form())
    assert frida_client.get(_url(alices_person)).status_code == 404
    consent_for(alices_person, documented_by=alice, recipients=[frida.unit], categories={ConsentCategory.NOTES})
    assert frida_client.get(_url(alices_person)).status_code == 404
    consent_for(alices_person, documented_by=alice, recipients=[frida.unit], categories={ConsentCategory.PLAN})
    response = frida_client.get(_url(alices_person))
    assert response.status_code == 200
    assert "Vill jobba med händerna" in response.content.decode()
    assert frida_client.post(_url(alices_person), _form()).status_code == 403
    assert AccessLogEntry.objects.filter(
        action="matching.profile_viewed", person_id=alices_person.pk, basis="consent"
    ).exists()


def test_the_person_page_links_to_matching(alice_client, alices_person):
    content = alice_client.get(reverse("people:detail", args=[alices_person.pk])).content.decode()
    assert reverse("matching:suggestions", args=[alices_person.pk]) in content
    assert reverse("matching:profile", args=[alices_person.pk]) in content


def test_anonymous_is_sent_to_log_in(client, alices_person):
    assert client.get(_url(alices_person)).status_code == 302


def test_the_young_persons_own_ranking_is_kept_in_order_and_can_be_changed(alice_client, alices_person):
    from vagval.catalogue.tests.factories import OfferFactory

    first, second = OfferFactory(title="Först"), OfferFactory(title="Sedan")
    url = reverse("matching:rank", args=[alices_person.pk])
    assert alice_client.post(url, {"offer": first.pk}).status_code == 302
    assert alice_client.post(url, {"offer": second.pk}).status_code == 302
    assert MatchingProfile.objects.get(person=alices_person).ranking == [str(first.pk), str(second.pk)]
    page = alice_client.get(_url(alices_person)).content.decode()
    assert page.index("Först") < page.index("Sedan")
    assert alice_client.post(url, {"offer": first.pk, "remove": "1"}).status_code == 302
    assert MatchingProfile.objects.get(person=alices_person).ranking == [str(second.pk)]


def test_only_the_own_unit_with_write_access_ranks(bob_client, charlie_client, alices_person):
    from vagval.catalogue.tests.factories import OfferFactory

    offer = OfferFactory()
    url = reverse("matching:rank", args=[alices_person.pk])
    assert bob_client.post(url, {"offer": offer.pk}).status_code == 403
    assert charlie_client.post(url, {"offer": offer.pk}).status_code == 404
    assert not MatchingProfile.objects.exists()
