"""Preparing is the evaluator's act, releasing the project leader's; both are logged per person."""

import pytest
from django.urls import reverse

from conftest import client_for, ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.common.errors import NotFound, PermissionDenied
from vagval.evaluation import services
from vagval.evaluation.dataset import read_csv_zip
from vagval.evaluation.models import ExportFormat, ExportStatus
from vagval.evaluation.tests.helpers import enrol, make_evaluator, prepared


@pytest.fixture
def world(project, ludvika_unit, erik, pia):
    make_evaluator(erik, project)
    persons = [enrol(project, ludvika_unit, serial=60 + i) for i in range(3)]
    return persons


def _logged(action):
    return AccessLogEntry.objects.filter(action=action)


def test_preparing_builds_the_file_and_logs_each_person_as_the_evaluator(world, project, erik):
    export = prepared(erik, project)
    assert export.status == ExportStatus.AWAITING_APPROVAL
    assert export.rows_total == export.rows_done == 3
    entries = _logged("evaluation.dataset_prepared")
    assert {e.person_id for e in entries} == {p.pk for p in world}
    assert {e.username for e in entries} == {"erik"}
    assert _logged("evaluation.dataset_requested").get().person_id is None


def test_the_evaluator_cannot_download_before_the_project_leader_approves(world, project, erik):
    export = prepared(erik, project)
    with pytest.raises(PermissionDenied):
        services.export_download(ctx=ctx_for(erik), export_id=export.pk)
    response = client_for(erik).get(reverse("evaluation:export_download", args=[export.pk]))
    assert response.status_code == 403
    assert not _logged("evaluation.dataset_downloaded").exists()


def test_approving_releases_the_file_and_logs_each_person_as_the_project_leader(world, project, erik, pia):
    export = prepared(erik, project)
    response = client_for(pia).post(reverse("evaluation:export_decide", args=[export.pk]), {"decision": "approve"})
    assert response.status_code == 302
    assert {e.person_id for e in _logged("evaluation.dataset_approved").filter(username="pia")} == {p.pk for p in world}
    response = client_for(erik).get(reverse("evaluation:export_download", args=[export.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="utvarderingsdata-')
    assert len(read_csv_zip(response.content)) == 3
    assert {e.person_id for e in _logged("evaluation.dataset_downloaded").filter(username="erik")} == {
        p.pk for p in world
    }


def test_a_rejected_export_is_never_released_and_its_file_is_gone(world, project, erik, pia):
    export = prepared(erik, project)
    services.export_decide(ctx=ctx_for(pia), export_id=export.pk, approve=False)
    export.refresh_from_db()
    assert export.status == ExportStatus.REJECTED
    assert not export.file
    assert client_for(erik).get(reverse("evaluation:export_download", args=[export.pk])).status_code == 403
    assert not _logged("evaluation.dataset_approved").exists()


def test_the_evaluator_cannot_approve_their_own_export(world, project, erik):
    export = prepared(erik, project)
    with pytest.raises(PermissionDenied):
        services.export_decide(ctx=ctx_for(erik), export_id=export.pk, approve=True)
    assert (
        client_for(erik)
        .post(reverse("evaluation:export_decide", args=[export.pk]), {"decision": "approve"})
        .status_code
        == 403
    )


def test_a_project_leader_of_another_project_cannot_see_or_approve_it(world, project, erik, charlie):
    from vagval.accounts.models import ProjectRole, Role
    from vagval.organisations.tests.factories import ProjectFactory

    ProjectRole.objects.create(user=charlie, project=ProjectFactory(name="Annat"), role=Role.PROJECT_LEADER)
    export = prepared(erik, project)
    with pytest.raises(NotFound):
        services.export_decide(ctx=ctx_for(charlie), export_id=export.pk, approve=True)
    assert client_for(charlie).get(reverse("evaluation:export", args=[export.pk])).status_code == 404


def test_an_xlsx_export_has_the_data_and_the_dictionary(world, project, erik):
    from io import BytesIO

    from openpyxl import load_workbook

    export = prepared(erik, project, ExportFormat.XLSX)
    workbook = load_workbook(BytesIO(export.file.read()))
    assert workbook.sheetnames == ["data", "dataordlista"]
    assert workbook["data"].max_row == 4


def test_a_crashed_build_marks_the_export_failed_and_logs_no_person(world, project, erik, monkeypatch):
    from vagval.evaluation import dataset

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(dataset, "dataset_build", broken)
    prepared(erik, project)  # the task fails (the worker records the traceback)
    from vagval.evaluation.models import DatasetExport

    export = DatasetExport.objects.get()
    assert export.status == ExportStatus.FAILED
    assert not _logged("evaluation.dataset_prepared").exists()


def test_the_export_page_shows_progress_and_polls_until_finished(world, project, erik):
    from vagval.evaluation.models import DatasetExport

    export = DatasetExport.objects.create(
        project=project, file_format="csv", prepared_by=erik, rows_total=10, rows_done=4
    )
    response = client_for(erik).get(reverse("evaluation:export", args=[export.pk]))
    assert response.status_code == 200
    assert b'hx-trigger="every 1s"' in response.content
    assert b"40 %" in response.content
    partial = client_for(erik).get(reverse("evaluation:export_progress", args=[export.pk]))
    assert b"<h1>" not in partial.content
    assert b"4 av 10 rader" in partial.content
