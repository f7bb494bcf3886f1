"""Who sees the steering-group report, and what the page and the files hold (personas: conftest)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from conftest import client_for
from vagval.accounts.models import ProjectRole, Role
from vagval.accounts.tests.factories import UserFactory
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.audit.models import AccessLogEntry
from vagval.organisations.tests.factories import ProjectFactory
from vagval.reporting.tests import world as w

PERIOD = {"fran": "2026-01-01", "till": "2026-11-30"}


@pytest.fixture
def world(project, ludvika_unit, smedjebacken_unit, alice):
    return w.build(project=project, ludvika=ludvika_unit, smedjebacken=smedjebacken_unit, recorder=alice)


def _url(name: str, project) -> str:
    return reverse(f"reporting:{name}", args=[project.pk])


def test_the_project_leader_sees_the_report_with_counts_and_no_names(pia_client, world):
    response = pia_client.get(_url("steering", world.project), PERIOD)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Styrgruppsrapport för VBU insatser för ungdomar" in body
    assert "&lt;5" in body
    assert 'role="img"' in body
    assert "Ludviksson" not in body
    assert "Smedsson" not in body


def test_viewing_the_report_is_logged_without_a_person(pia, pia_client, world):
    pia_client.get(_url("steering", world.project), PERIOD)
    entry = AccessLogEntry.objects.get(action="reporting.steering_report_viewed")
    assert entry.person_id is None
    assert entry.user_id == pia.pk
    assert entry.detail["from"] == "2026-01-01"


def test_a_period_that_ends_before_it_starts_is_a_field_error(pia_client, world):
    response = pia_client.get(_url("steering", world.project), {"fran": "2026-05-01", "till": "2026-01-01"})
    assert response.status_code == 400
    assert "Slutdatumet kan inte vara före startdatumet." in response.content.decode()


def test_a_project_leader_gets_404_for_a_project_they_do_not_lead(pia_client, world):
    other = ProjectFactory(name="Ett annat projekt")
    assert pia_client.get(_url("steering", other)).status_code == 404
    assert pia_client.get(_url("steering_pdf", other)).status_code == 404


def test_the_index_lists_only_the_leaders_own_projects(pia_client, world):
    ProjectFactory(name="Ett annat projekt")
    body = pia_client.get(reverse("reporting:index")).content.decode()
    assert "VBU insatser för ungdomar" in body
    assert "Ett annat projekt" not in body


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "frida"])
def test_coaches_and_partners_get_403(persona, request, world):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("reporting:index")).status_code == 403
    assert client.get(_url("steering", world.project)).status_code == 403
    assert client.get(_url("steering_xlsx", world.project)).status_code == 403


def test_the_evaluator_of_the_project_sees_the_report_but_never_an_identity(erik, world):
    ProjectRole.objects.create(user=erik, project=world.project, role=Role.EVALUATOR)
    response = client_for(erik).get(_url("steering", world.project), PERIOD)
    assert response.status_code == 200
    body = response.content.decode()
    for person in world.persons:
        assert person.last_name not in body
        assert person.id_number not in body


def test_an_evaluator_of_another_project_gets_404(erik, world):
    other = ProjectFactory(name="Ett annat projekt")
    ProjectRole.objects.create(user=erik, project=other, role=Role.EVALUATOR)
    assert client_for(erik).get(_url("steering", world.project)).status_code == 404


def test_an_evaluator_without_a_project_gets_403(erik, world):
    assert client_for(erik).get(_url("steering", world.project)).status_code == 403


def test_the_administrator_sees_every_project(dana, world):
    response = verified_admin_client(dana).get(_url("steering", world.project), PERIOD)
    assert response.status_code == 200


def test_the_pdf_is_a_pdf_named_without_persons(pia_client, world):
    response = pia_client.get(_url("steering_pdf", world.project), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == (
        f'attachment; filename="styrgruppsrapport-{world.project.pk}-20260101-20261130.pdf"'
    )
    assert AccessLogEntry.objects.filter(action="reporting.steering_report_exported").count() == 1


def test_the_workbook_has_a_sheet_per_section_with_every_table(pia_client, world):
    from openpyxl import load_workbook

    response = pia_client.get(_url("steering_xlsx", world.project), PERIOD)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "Rapport"
    assert "Deltagare" in book.sheetnames
    assert "Jämförelse av metoder" in book.sheetnames
    values = [cell for row in book["Deltagare"].iter_rows(values_only=True) for cell in row]
    assert "Deltagare per kommun" in values
    assert 12 in values  # a count is a number in the workbook
    assert "<5" in values
    methods = [row for row in book["Jämförelse av metoder"].iter_rows(values_only=True)]
    assert ("ACT – Smedjebacken", "<5", "<5", "–", "–", "<5", "–", "–") in methods


def test_the_workbooks_table_headers_are_bold_and_a_typed_name_like_a_formula_stays_text(pia_client, world):
    from openpyxl import load_workbook

    world.project.name = "=HYPERLINK(1)"
    world.project.save()
    book = load_workbook(io.BytesIO(pia_client.get(_url("steering_xlsx", world.project), PERIOD).content))

    name = book["Rapport"]["B1"]
    assert (name.value, name.data_type, name.quotePrefix) == ("=HYPERLINK(1)", "s", True)
    rows = list(book["Deltagare"].iter_rows())
    caption = next(i for i, row in enumerate(rows) if row[0].value == "Deltagare per kommun")
    assert not rows[caption][0].font.b
    assert all(cell.font.b for cell in rows[caption + 1] if cell.value is not None)


def test_a_read_only_project_leader_also_sees_the_report(world, ludvika_unit):
    leader = UserFactory(username="lena", unit=ludvika_unit, role=Role.PROJECT_LEADER, read_only=True)
    ProjectRole.objects.create(user=leader, project=world.project, role=Role.PROJECT_LEADER)
    assert client_for(leader).get(_url("steering", world.project)).status_code == 200


def test_the_report_reads_as_a_report_so_a_replica_can_serve_it(monkeypatch, pia_client, world):
    from vagval.common import db_routing

    seen: list[tuple[str, bool]] = []

    def db_for_read(self, model, **hints):
        seen.append((model._meta.label, db_routing._reporting.get()))
        return db_routing.PRIMARY

    monkeypatch.setattr(db_routing.ReplicaRouter, "db_for_read", db_for_read)
    assert pia_client.get(_url("steering", world.project), PERIOD).status_code == 200
    assert ("people.Enrolment", True) in seen
    assert ("followup.FollowUp", True) in seen
