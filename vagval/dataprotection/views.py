"""Retention pages (administrators), the deletion log (administrators and the data-protection
officer), legal holds and the register extract (the data-protection officer only)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from vagval.access.scope import scope_for
from vagval.accounts.decorators import admin_required, data_protection_required
from vagval.common.errors import InvalidInput
from vagval.common.forms import add_service_errors
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest
from vagval.common.views import domain_page
from vagval.dataprotection import extract_services, retention_services, selectors
from vagval.dataprotection.forms import ExtractForm, HoldForm, RuleForm
from vagval.dataprotection.models import RetentionReview, RetentionRule

PURPOSE = "dataskydd"


@domain_page("GET")
@admin_required
def rules(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "dataprotection/rules.html", {"nav": "retention", "rules": selectors.rule_list()})


@domain_page("GET", "POST")
@admin_required
def rule_edit(request: AuthenticatedRequest, rule_id: uuid.UUID | None = None) -> HttpResponse:
    rule = get_object_or_404(RetentionRule, pk=rule_id) if rule_id else None
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            saved = retention_services.rule_save(ctx=access_context(request), data=form.to_data(), rule=rule)
        except InvalidInput as exc:
            add_service_errors(form, exc)  # type: ignore[arg-type]  # a ModelForm is a form too
        else:
            messages.success(request, _("Gallringsregeln är sparad."))
            return redirect("dataprotection:rule", saved.pk)
    return render(request, "dataprotection/rule_form.html", {"nav": "retention", "form": form, "rule": rule})


@domain_page("GET")
@admin_required
def rule(request: AuthenticatedRequest, rule_id: uuid.UUID) -> HttpResponse:
    found = get_object_or_404(RetentionRule.objects.select_related("organisation"), pk=rule_id)
    return render(
        request,
        "dataprotection/rule.html",
        {"nav": "retention", "rule": found, "reviews": found.reviews.select_related("made_by")[:20]},
    )


@domain_page("POST")
@admin_required
def dry_run(request: AuthenticatedRequest, rule_id: uuid.UUID) -> HttpResponse:
    found = get_object_or_404(RetentionRule, pk=rule_id)
    review = retention_services.review_create(ctx=access_context(request), rule=found)
    return redirect("dataprotection:review", review.pk)


@domain_page("GET")
@admin_required
def review(request: AuthenticatedRequest, review_id: uuid.UUID) -> HttpResponse:
    found = get_object_or_404(RetentionReview.objects.select_related("rule__organisation"), pk=review_id)
    return render(
        request, "dataprotection/review.html", {"nav": "retention", "review": found, **selectors.review_view(found)}
    )


@domain_page("POST")
@admin_required
def review_approve(request: AuthenticatedRequest, review_id: uuid.UUID) -> HttpResponse:
    found = get_object_or_404(RetentionReview, pk=review_id)
    try:
        retention_services.review_approve(ctx=access_context(request), review=found)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Gallringen är godkänd. Bakgrundsjobbet genomför den i natt."))
    return redirect("dataprotection:review", found.pk)


@domain_page("GET")
def deletion_log(request: AuthenticatedRequest) -> HttpResponse:
    if not retention_services.deletion_log_admin_check(request.user):
        raise HttpPermissionDenied
    return render(
        request, "dataprotection/deletion_log.html", {"nav": "deletion_log", "entries": selectors.deletion_log()}
    )


@domain_page("GET", "POST")
@data_protection_required
def holds(request: AuthenticatedRequest) -> HttpResponse:
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        scope = scope_for(access_context(request), PURPOSE)
        try:
            placed = retention_services.hold_place(
                scope=scope, id_number=form.cleaned_data["id_number"], reason=form.cleaned_data["reason"]
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Gallringsstopp satt för %(count)s personposter.") % {"count": len(placed)})
            return redirect("dataprotection:holds")
    return render(request, "dataprotection/holds.html", {"nav": "holds", "form": form, "holds": selectors.hold_list()})


@domain_page("POST")
@data_protection_required
def hold_lift(request: AuthenticatedRequest, hold_id: uuid.UUID) -> HttpResponse:
    retention_services.hold_lift(scope=scope_for(access_context(request), PURPOSE), hold_id=hold_id)
    messages.success(request, _("Gallringsstoppet är hävt."))
    return redirect("dataprotection:holds")


@domain_page("GET", "POST")
@data_protection_required
def extract(request: AuthenticatedRequest) -> HttpResponse:
    """The number comes by POST only; the answer is the PDF itself, named without the number."""
    form = ExtractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = extract_services.register_extract_make(
                scope=scope_for(access_context(request), PURPOSE),
                id_number=form.cleaned_data["id_number"],
                reason=form.cleaned_data["reason"],
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            response = HttpResponse(made.pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{made.name}"'
            return response
    return render(
        request, "dataprotection/extract.html", {"nav": "extract", "form": form, "recent": selectors.extract_list()}
    )
