"""Register import pages: the unit's imports, uploading an extract, an import's progress and its rejected rows.

Views parse input, call a selector or service and render. Who may see an import is decided by
vagval.registers.selectors; the import itself runs in the background (vagval.registers.tasks).
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render

from vagval.common.errors import InvalidInput
from vagval.common.forms import add_service_errors
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest
from vagval.common.views import domain_page
from vagval.registers import selectors, services
from vagval.registers.forms import RegisterImportForm
from vagval.registers.models import ImportStatus, RefreshStatus, RegisterImport
from vagval.registers.tasks import register_import_enqueue

_CONTENT_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".txt": "text/csv",
}


@domain_page("GET")
def import_list(request: AuthenticatedRequest) -> HttpResponse:
    imports = list(selectors.register_import_list(viewer=request.user)[:100])
    services.register_imports_fail_abandoned(imports)
    return render(
        request,
        "registers/list.html",
        {
            "nav": "registers",
            "imports": imports,
            "may_upload": selectors.register_import_may_upload(viewer=request.user),
        },
    )


@domain_page("GET", "POST")
def import_upload(request: AuthenticatedRequest) -> HttpResponse:
    selectors.register_import_check_upload(viewer=request.user)
    form = RegisterImportForm(request.POST, request.FILES) if request.method == "POST" else RegisterImportForm()
    if form.is_bound and form.is_valid():
        try:
            imp = services.register_import_create(
                ctx=access_context(request),
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
                original_name=form.cleaned_data["file"].name or "",  # the service keeps the base name
                reference_date=form.cleaned_data["reference_date"],
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            register_import_enqueue(import_id=imp.pk)
            return redirect("registers:detail", import_id=imp.pk)
    return render(
        request,
        "registers/upload.html",
        {"nav": "registers", "form": form},
        status=400 if request.method == "POST" else 200,
    )


@domain_page("GET")
def import_detail(request: AuthenticatedRequest, import_id: uuid.UUID) -> HttpResponse:
    imp = selectors.register_import_get(viewer=request.user, import_id=import_id)
    return render(request, "registers/detail.html", _detail_context(request, imp))


@domain_page("GET")
def import_progress(request: AuthenticatedRequest, import_id: uuid.UUID) -> HttpResponse:
    """The progress part of the status page alone; htmx asks for it every second while the import runs."""
    imp = selectors.register_import_get(viewer=request.user, import_id=import_id)
    return render(request, "registers/detail.html#progress", _detail_context(request, imp))


def _detail_context(request: AuthenticatedRequest, imp: RegisterImport) -> dict[str, Any]:
    services.register_imports_fail_abandoned([imp])
    return {
        "nav": "registers",
        "imp": imp,
        "finished": imp.status in (ImportStatus.DONE, ImportStatus.FAILED),
        "failed": imp.status == ImportStatus.FAILED,
        "queued": imp.status == ImportStatus.QUEUED,
        "refresh_failed": imp.refresh_status == RefreshStatus.FAILED,
        "refresh_waiting": imp.refresh_status == RefreshStatus.WAITING_FOR_STUDIES,
        "may_download": selectors.may_download_rejected(viewer=request.user, imp=imp),
        "may_upload": selectors.register_import_may_upload(viewer=request.user),
    }


@domain_page("GET")
def import_rejected(request: AuthenticatedRequest, import_id: uuid.UUID) -> FileResponse:
    """The rejected rows as a file in the uploaded format with a column `fel`, to correct and re-import."""
    imp = selectors.register_import_rejected_get(viewer=request.user, ctx=access_context(request), import_id=import_id)
    suffix = PurePath(imp.rejected_file.name or "").suffix.lower() or ".csv"
    # Never the uploaded file's name: it is the user's own and may carry anything, even a number.
    filename = f"avvisade-rader-{imp.kind}-{imp.created_at:%Y-%m-%d-%H%M}{suffix}"
    return FileResponse(
        imp.rejected_file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=_CONTENT_TYPES.get(suffix, "application/octet-stream"),
    )
