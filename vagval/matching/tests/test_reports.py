"""The overview (override shares per project), the weights page and the demand and interest view."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from conftest import ctx_for
from vagval.accounts.models import ProjectRole, Role
from vagval.catalogue.models import EmployerNeed, PlacementStatus
from vagval.catalogue.offer_selectors import employer_demand_by_ssyk
from vagval.catalogue.tests.factories import OfferFactory, PlacementFactory, ProviderFactory
from vagval.matching import reports, services
from vagval.matching.models import MatchingWeights
from vagval.organisations.tests.factories import ProjectFactory
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


def _interested(coach, project, area: str, n: int) -> None:
    """n young people of the coach's unit, each with a profile naming the area."""
    for _ in range(n):
        person = EnrolmentFactory(project=project, unit=coach.unit, coach=coach).person
        services.profile_save(
            ctx=ctx_for(coach),
            person_id=person.pk,
            data=services.ProfileData(ssyk_areas=[area], offer_kinds=[]),
            expected_version=None,
        )


def _need(area: str, headcount: int) -> EmployerNeed:
    provider = ProviderFactory()
    return EmployerNeed.objects.create(
        provider=provider, ssyk_area=area, headcount=headcount, stated_on=dt.date(2026, 5, 4), owner=provider.owner
    )


def test_demand_and_interest_shows_stated_demand_and_small_counts_as_under_five(alice, alice_client, project):
    _interested(alice, project, "7", 6)
    _need("7", 3)
    _need("7", 9)
    _need("5", 2)
    PlacementFactory(
        enrolment=EnrolmentFactory(project=project, unit=alice.unit, coach=alice),
        offer=OfferFactory(ssyk_area="7"),
        status=PlacementStatus.STARTED,
    )
    rows = {row.code: row for row in reports.demand_and_interest(viewer=alice)}
    # Employers' headcounts are shown as they are; counts of young people 0–4 as "<5".
    assert rows["7"].cells()[2:] == ["12", "6", "<5"]
    assert rows["5"].cells()[2:] == ["2", "<5", "<5"]
    assert rows["1"].cells()[2:] == ["0", "<5", "<5"]
    response = alice_client.get(reverse("matching:demand_export"), {"format": "csv"})
    text = response.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0][2:] == ["Efterfrågan (arbetsgivare)", "Intresserade unga", "Placerade nu"]
    assert ["7", "Yrken inom byggverksamhet och tillverkning", "12", "6", "<5"] in table
    xlsx = alice_client.get(reverse("matching:demand_export"), {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    page = alice_client.get(reverse("matching:demand")).content.decode()
    assert "unga på din enhet" in page


def test_the_demand_files_hold_the_same_rows_as_csv_and_as_xlsx(alice, alice_client, project):
    from openpyxl import load_workbook

    _interested(alice, project, "7", 6)
    _need("7", 12)
    csv_response = alice_client.get(reverse("matching:demand_export"), {"format": "csv"})
    xlsx_response = alice_client.get(reverse("matching:demand_export"), {"format": "xlsx"})

    assert csv_response["Content-Disposition"] == 'attachment; filename="efterfragan-och-intresse.csv"'
    assert xlsx_response["Content-Disposition"] == 'attachment; filename="efterfragan-och-intresse.xlsx"'
    table = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")), delimiter=";"))
    sheet = load_workbook(io.BytesIO(xlsx_response.content))["Efterfrågan och intresse"]
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == table
    assert all(cell.font.b for cell in next(sheet.iter_rows()))


def test_the_demand_file_is_refused_to_a_partner(frida_client):
    assert frida_client.get(reverse("matching:demand_export"), {"format": "csv"}).status_code == 403


def test_stated_demand_is_the_catalogues_rule():
    _need("2", 4)
    assert reports.stated_demand() == employer_demand_by_ssyk() == {"2": 4}


def test_a_coach_counts_only_the_young_people_of_their_own_unit(alice, charlie, project):
    """Another unit's young people are not counted for a coach, not even as a number: the counts
    could otherwise tell that another unit knows someone."""
    _interested(alice, project, "7", 5)
    _interested(charlie, project, "7", 5)
    _interested(charlie, project, "3", 6)
    PlacementFactory(
        enrolment=EnrolmentFactory(project=project, unit=charlie.unit, coach=charlie),
        offer=OfferFactory(ssyk_area="7"),
        status=PlacementStatus.ACCEPTED,
    )
    alices = {row.code: row for row in reports.demand_and_interest(viewer=alice)}
    charlies = {row.code: row for row in reports.demand_and_interest(viewer=charlie)}
    assert (alices["7"].interested, alices["3"].interested, alices["7"].placed) == (5, 0, 0)
    assert (charlies["7"].interested, charlies["3"].interested, charlies["7"].placed) == (5, 6, 1)


def test_a_project_leader_counts_the_projects_they_lead_over_all_their_units(alice, charlie, pia, project):
    _interested(alice, project, "7", 3)
    _interested(charlie, project, "7", 4)
    _interested(charlie, ProjectFactory(name="Ett annat projekt"), "7", 5)
    (row,) = [row for row in reports.demand_and_interest(viewer=pia) if row.code == "7"]
    assert row.interested == 7
    assert row.cells()[3] == "7"


def test_an_evaluator_counts_only_the_projects_they_evaluate(alice, erik, project):
    _interested(alice, project, "7", 6)
    (row,) = [row for row in reports.demand_and_interest(viewer=erik) if row.code == "7"]
    assert row.interested == 0
    ProjectRole.objects.create(user=erik, project=project, role=Role.EVALUATOR)
    (row,) = [row for row in reports.demand_and_interest(viewer=erik) if row.code == "7"]
    assert row.interested == 6


def test_the_partner_does_not_get_the_demand_view(frida_client):
    assert frida_client.get(reverse("matching:demand")).status_code == 403
