"""The budget pages: summary, budget and month forms with the version check, the import page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import client_for
from vagval.accounts.models import Role
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.budget.models import BudgetLine, Cost
from vagval.budget.selectors import budget_version

FILE = "månad;kostnadstyp;belopp\n2025-01;personal;1000\n2025-01;resor;xx\n".encode()


def _upload(client, project, content=FILE):
    return client.post(
        reverse("budget:import", args=[project.pk]), {"file": SimpleUploadedFile("ekonomi.csv", content)}
    )


def test_the_summary_page_shows_budget_and_costs(pia_client, project):
    BudgetLine.objects.create(project=project, cost_type="personal", amount=Decimal("1000"))
    Cost.objects.create(project=project, cost_type="personal", month=dt.date(2024, 2, 1), amount=Decimal("250"))
    response = pia_client.get(
        reverse("budget:project", args=[project.pk]), {"start": "2024-01-01", "end": "2024-12-31"}
    )
    assert response.status_code == 200
    assert "25.0 %" in response.content.decode() or "25,0 %" in response.content.decode()


def test_a_reversed_period_is_explained(pia_client, project):
    response = pia_client.get(
        reverse("budget:project", args=[project.pk]), {"start": "2024-02-01", "end": "2024-01-01"}
    )
    assert response.status_code == 400
    assert "Slutdatumet kan inte vara före startdatumet." in response.content.decode()


def test_the_budget_form_saves_and_refuses_a_stale_version(pia_client, project):
    url = reverse("budget:lines", args=[project.pk])
    seen = budget_version(project=project)
    assert pia_client.post(url, {"personal": "1000", "version": seen}).status_code == 302
    assert pia_client.post(url, {"personal": "2000", "version": seen}).status_code == 409
    assert BudgetLine.objects.get(project=project).amount == 1000


def test_a_negative_amount_is_a_swedish_field_error(pia_client, project):
    url = reverse("budget:lines", args=[project.pk])
    response = pia_client.post(url, {"personal": "-5", "version": budget_version(project=project)})
    assert response.status_code == 400
    assert "Kontrollera att detta värde är större än eller lika med 0." in response.content.decode()


def test_the_month_form_asks_for_a_month_first(pia_client, project):
    url = reverse("budget:month", args=[project.pk])
    assert pia_client.get(url).status_code == 200
    response = pia_client.get(url, {"manad": "2025-13"})
    assert response.status_code == 400
    assert "Skriv månaden som ÅÅÅÅ-MM" in response.content.decode()
    assert pia_client.get(url, {"manad": "2025-01"}).status_code == 200


def test_the_import_page_lists_rejected_rows_and_asks_before_replacing(pia_client, project):
    response = _upload(pia_client, project)
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 rader inlästa, 1 avvisade" in page
    assert "Beloppet ska vara ett tal" in page
    again = _upload(pia_client, project)
    assert again.status_code == 409
    assert "Ersätt månaderna" in again.content.decode()
    confirmed = pia_client.post(reverse("budget:import", args=[project.pk]), {"confirm": "1"})
    assert confirmed.status_code == 200
    assert Cost.objects.get(project=project).amount == 1000


@pytest.mark.parametrize("who", ["alice", "charlie", "erik", "dana"])
def test_other_roles_get_403(request, project, who):
    user = request.getfixturevalue(who)
    client = verified_admin_client(user) if user.role == Role.ADMIN else client_for(user)
    for name in ("budget:project", "budget:lines", "budget:month", "budget:import"):
        assert client.get(reverse(name, args=[project.pk])).status_code == 403
