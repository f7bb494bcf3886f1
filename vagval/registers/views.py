"""Register import pages: the unit's imports, uploading an extract, an import's progress and its
rejected rows, confirming or cancelling an import that waits, and undoing the latest import.

Views parse input, call a selector or service and render. Who may see an import is decided by
vagval.registers.selectors; the import itself runs in the background (vagval.registers.tasks).
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

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
    may_manage = selectors.register_import_may_manage(viewer=request.user)
    return {
        "nav": "registers",
        "imp": imp,
        "finished": imp.status
        in (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.AWAITING_CONFIRMATION, ImportStatus.CANCELLED),
        "failed": imp.status == ImportStatus.FAILED,
        "awaiting": imp.status == ImportStatus.AWAITING_CONFIRMATION,
        "cancelled": imp.status == ImportStatus.CANCELLED,
        "queued": imp.status == ImportStatus.QUEUED,
        "refresh_failed": imp.refresh_status == RefreshStatus.FAILED,
        "refresh_waiting": imp.refresh_status == RefreshStatus.WAITING_FOR_STUDIES,
        "may_download": selectors.may_download_rejected(viewer=request.user, imp=imp),
        "may_upload": selectors.register_import_may_upload(viewer=request.user),
        "may_manage": may_manage,
        "may_undo": may_manage and selectors.register_import_undo_refusal(imp=imp) is None,
    }


@domain_page("GET", "POST")
def import_confirm(request: AuthenticatedRequest, import_id: uuid.UUID) -> HttpResponse:
    """What a waiting import would do (counts and a few names), and the confirmation (POST)."""
    imp = selectors.register_import_get(viewer=request.user, import_id=import_id)
    if request.method == "POST":
        try:
            services.register_import_confirm(ctx=access_context(request), import_id=imp.pk)
        except InvalidInput as exc:
            messages.error(request, exc.message)
        else:
            register_import_enqueue(import_id=imp.pk)
            messages.success(request, _("Importen är bekräftad och körs nu."))
        return redirect("registers:detail", import_id=imp.pk)
    if imp.status != ImportStatus.AWAITING_CONFIRMATION:
        return redirect("registers:detail", import_id=imp.pk)
    examples = selectors.register_import_leaving_examples(viewer=request.user, ctx=access_context(request), imp=imp)
    percent = round(100 * imp.persons_left / imp.persons_present_before) if imp.persons_present_before else 0
    return render(
        request,
        "registers/confirm.html",
        {
            "nav": "registers",
            "imp": imp,
            "examples": examples,
            "percent": percent,
            "may_manage": selectors.register_import_may_manage(viewer=request.user),
        },
    )


@domain_page("POST")
def import_cancel(request: AuthenticatedRequest, import_id: uuid.UUID) -> HttpResponse:
    try:
        services.register_import_cancel(ctx=access_context(request), import_id=import_id)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Importen är avbruten. Ingenting i registret har ändrats."))
    return redirect("registers:detail", import_id=import_id)


@domain_page("GET", "POST")
def import_undo(request: AuthenticatedRequest, import_id: uuid.UUID) -> HttpResponse:
    """The undo's confirmation step (GET) and the undo (POST)."""
    imp = selectors.register_import_get(viewer=request.user, import_id=import_id)
    selectors.register_import_check_manage(viewer=request.user)
    if request.method == "POST":
        try:
            services.register_import_undo(ctx=access_context(request), import_id=imp.pk)
        except InvalidInput as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Importen är ångrad."))
        return redirect("registers:detail", import_id=imp.pk)
    refusal = selectors.register_import_undo_refusal(imp=imp)
    if refusal:
        messages.error(request, refusal)
        return redirect("registers:detail", import_id=imp.pk)
    return render(request, "registers/undo.html", {"nav": "registers", "imp": imp})


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
