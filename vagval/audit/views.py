"""The access-log review pages (administrators only). The log is read-only: no edit, no delete."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from vagval.accounts.decorators import admin_required
from vagval.audit import actions, selectors
from vagval.audit.forms import LogFilterForm, PersonLookupForm, filters_query
from vagval.audit.models import AccessLogEntry
from vagval.audit.selectors import LogFilters
from vagval.common.db_routing import reporting_iterator, reporting_reads
from vagval.common.errors import InvalidInput, PermissionDenied
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest
from vagval.common.spreadsheet import csv_writer


def _log_url(query: str) -> str:
    return f"{reverse('audit:log')}?{query}" if query else reverse("audit:log")


def _suggestions(request: AuthenticatedRequest) -> dict[str, Any]:
    return {
        "known_usernames": selectors.known_usernames(viewer=request.user),
        "known_actions": actions.suggestions(),
    }


@admin_required
@require_GET
def log(request: AuthenticatedRequest) -> HttpResponse:
    form = LogFilterForm(request.GET)
    context: dict[str, Any] = {"nav": "log", "form": form, "result": None}
    if form.is_valid():
        filters = form.to_filters()
        try:
            result = selectors.access_log_search(
                viewer=request.user,
                ctx=access_context(request),
                filters=filters,
                page_number=request.GET.get("sida") or 1,
            )
        except PermissionDenied as exc:
            raise HttpPermissionDenied(exc.message) from exc
        context.update(
            result=result,
            filters=filters,
            query=filters_query(filters),
            query_without_person=filters_query(filters, with_person=False),
        )
    context["lookup_form"] = PersonLookupForm(initial={"filters": context.get("query_without_person", "")})
    context.update(_suggestions(request))
    return render(request, "audit/log.html", context)


def _filters_from_query(query: str) -> LogFilters:
    """Re-validate the filters carried through the lookup form; drop them if they are invalid."""
    form = LogFilterForm(QueryDict(query))
    return form.to_filters() if form.is_valid() else LogFilters()


@admin_required
@require_POST
def person_lookup(request: AuthenticatedRequest) -> HttpResponse:
    """Resolve an identity number or name to persons, then show the log for one of them.

    The number arrives by POST and the redirect carries only the person's UUID.
    """
    form = PersonLookupForm(request.POST)
    candidates: list[selectors.PersonCandidate] | None = None
    base_query = ""
    if form.is_valid():
        filters = _filters_from_query(form.cleaned_data["filters"] or "")
        base_query = filters_query(filters, with_person=False)
        try:
            candidates = selectors.persons_for_log_review(
                viewer=request.user, ctx=access_context(request), query=form.cleaned_data["query"]
            )
        except PermissionDenied as exc:
            raise HttpPermissionDenied(exc.message) from exc
        except InvalidInput as exc:
            for error in exc.field_errors.get("query", [exc.message]):
                form.add_error("query", error)
        else:
            if len(candidates) == 1:
                person_query = f"{base_query}&" if base_query else ""
                return redirect(_log_url(f"{person_query}person={candidates[0].person_id}"))
            if not candidates:
                form.add_error("query", _("Ingen person hittades."))
    return render(
        request,
        "audit/person_lookup.html",
        {
            "nav": "log",
            "lookup_form": PersonLookupForm(initial={"filters": base_query}) if candidates else form,
            "candidates": candidates or [],
            "base_query": base_query,
            "back_url": _log_url(base_query),
        },
    )


class _Echo:
    """A write-only file object for csv.writer that hands each line back."""

    def write(self, value: str) -> str:
        return value


CSV_HEADER = (
    gettext_lazy("Tidpunkt"),
    gettext_lazy("Användare"),
    gettext_lazy("Enhet"),
    gettext_lazy("Roll"),
    gettext_lazy("Händelse"),
    gettext_lazy("Händelse (text)"),
    gettext_lazy("Person (id)"),
    gettext_lazy("Grund för åtkomst"),
    gettext_lazy("Samtycke (id)"),
    gettext_lazy("Klientadress"),
    gettext_lazy("Ovanlig tid"),
    gettext_lazy("Detaljer"),
)


def _csv_lines(entries: Iterable[AccessLogEntry]) -> Iterator[str]:
    writer = csv_writer(_Echo())  # defuses every cell (vagval.common.spreadsheet)
    yield "\ufeff" + writer.writerow([str(h) for h in CSV_HEADER])  # BOM: spreadsheet programs then read UTF-8
    zone = timezone.get_current_timezone()
    for entry in entries:
        row = (
            entry.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
            entry.username,
            entry.unit_name,
            selectors.role_label(entry.role),
            entry.action,
            actions.action_label(entry.action),
            entry.person_id or "",
            entry.get_basis_display(),
            entry.consent_id or "",
            entry.client_address,
            _("ja") if selectors.is_unusual(entry.at) else "",
            json.dumps(entry.detail, ensure_ascii=False, sort_keys=True) if entry.detail else "",
        )
        yield writer.writerow(row)


@admin_required
@require_GET
def log_export(request: AuthenticatedRequest) -> HttpResponse:
    """The current selection as a CSV file (persons by UUID only); writes audit.log_exported."""
    form = LogFilterForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Rätta sökfälten innan du exporterar."))
        return redirect("audit:log")
    filters = form.to_filters()
    try:
        with reporting_reads():  # a read replica, when there is one (common/db_routing.py)
            entries = selectors.access_log_export(viewer=request.user, ctx=access_context(request), filters=filters)
    except PermissionDenied as exc:
        raise HttpPermissionDenied(exc.message) from exc
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return redirect(_log_url(filters_query(filters)))
    response = StreamingHttpResponse(reporting_iterator(_csv_lines(entries)), content_type="text/csv; charset=utf-8")
    filename = f"atkomstlogg-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    # admin_required is typed for HttpResponse; a streaming response works the same at run time.
    return response  # type: ignore[return-value]
