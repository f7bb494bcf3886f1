"""The overview (override shares per project), the weights page and the demand and interest view."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from conftest import ctx_for
from vagval.catalogue.models import PlacementStatus
from vagval.catalogue.tests.factories import OfferFactory, PlacementFactory
from vagval.matching import reports, services
from vagval.matching.models import MatchingWeights
from vagval.people.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def test_the_override_share_is_reported_per_project(alice, pia, pia_client, alices_person, project):
    fits, blocked = OfferFactory(), OfferFactory(requires_driving_licence=True)
    services.suggestion_propose(ctx=ctx_for(alice), person_id=alices_person.pk, offer_id=fits.pk)
    services.suggestion_propose(ctx=ctx_for(alice), person_id=alices_person.pk, offer_id=blocked.pk, reason="Ok")
    (share,) = reports.override_shares(viewer=pia)
    assert (share.project, share.decisions, share.overrides, share.share) == (project, 2, 1, "50 %")
    content = pia_client.get(reverse("matching:overview")).content.decode()
    assert "50 %" in content


def test_a_coach_who_leads_no_project_sees_no_share_table(alice, alice_client):
    assert reports.override_shares(viewer=alice) == []
    assert alice_client.get(reverse("matching:overview")).status_code == 200


def test_the_project_leader_changes_the_weights_with_an_edit_version(pia_client, project):
    url = reverse("matching:weights", args=[project.pk])
    assert pia_client.get(url).status_code == 200
    data = {"interest": 50, "travel": 10, "requirements": 10, "ranking": 10, "provider": 10, "continuity": 10}
    assert pia_client.post(url, {**data, "version": "ny"}).status_code == 302
    assert MatchingWeights.objects.get(project=project).interest == 50
    assert pia_client.post(url, {**data, "interest": 20, "version": "ny"}).status_code == 409


def test_only_the_project_leader_or_an_administrator_changes_weights(alice_client, bob_client, project):
    url = reverse("matching:weights", args=[project.pk])
    assert alice_client.get(url).status_code == 403
    assert bob_client.post(url, {"interest": 1}).status_code == 403
    assert not MatchingWeights.objects.exists()


def test_demand_and_interest_shows_small_counts_as_under_five(alice, alice_client, project):
    for _ in range(6):
        person = EnrolmentFactory(project=project, unit=alice.unit, coach=alice).person
        services.profile_save(
            ctx=ctx_for(alice),
            person_id=person.pk,
            data=services.ProfileData(ssyk_areas=["7"], offer_kinds=[]),
            expected_version=None,
        )
    PlacementFactory(offer=OfferFactory(ssyk_area="7"), status=PlacementStatus.STARTED)
    rows = {row.code: row for row in reports.demand_and_interest()}
    assert rows["7"].cells()[2:] == ["–", "6", "<5"]
    assert rows["5"].cells()[2:] == ["–", "0", "0"]
    response = alice_client.get(reverse("matching:demand_export"), {"format": "csv"})
    text = response.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0][3] == "Intresserade unga"
    assert ["7", "Yrken inom byggverksamhet och tillverkning", "–", "6", "<5"] in table
    xlsx = alice_client.get(reverse("matching:demand_export"), {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_partner_does_not_get_the_demand_view(frida_client):
    assert frida_client.get(reverse("matching:demand")).status_code == 403
