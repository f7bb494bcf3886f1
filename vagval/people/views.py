"""Person pages: search, export, person and enrolment forms, merge. The start page (caseload)
and the person page show sections of other apps: they live in vagval.pages.

Views parse input with forms, call a selector or service and render. Visibility is decided
in vagval.access.checks (through the selectors); every page that shows a person logs it.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from vagval.common.db_routing import reporting_reads
from vagval.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from vagval.common.forms import add_version_field, form_status, show_conflict, submitted_version
from vagval.common.http import access_context
from vagval.common.identity import IdentityNumber
from vagval.common.request import AuthenticatedRequest
from vagval.common.spreadsheet import csv_writer
from vagval.common.views import domain_page
from vagval.people import selectors, services
from vagval.people.forms import (
    CaseloadFilterForm,
    EnrolmentForm,
    MergeChoiceForm,
    PersonCreateForm,
    PersonForm,
    ProtectionLowerForm,
    SearchForm,
    add_service_errors,
)
from vagval.people.models import IdentityType, Person

SEARCH_MIN_LENGTH = 2


def masked_number(person: Person) -> str:
    if not person.id_number:
        return _("Saknar nummer")
    return IdentityNumber(digits=person.id_number, kind=person.id_type).masked()


def full_number(person: Person) -> str:
    if not person.id_number:
        return _("Saknar nummer")
    return IdentityNumber(digits=person.id_number, kind=person.id_type).formatted()


@domain_page("GET")
def export(request: AuthenticatedRequest) -> HttpResponse:
    """The caseload list with the same filters as a CSV file (semicolon, UTF-8 with BOM for Excel).

    Names, birth date, gender, project, status and coach only: never the identity number or
    contact details, and never persons with protected personal data. 403 for users without
    a unit and for roles that never see individuals (evaluator, administrator).
    """
    projects = selectors.caseload_project_choices(viewer=request.user)
    form = CaseloadFilterForm(request.GET or None, projects=projects)
    if form.is_bound and "name" in form.errors:
        # Digits in the name filter may be an identity number: take it out of the address at once.
        messages.error(request, " ".join(str(error) for error in form.errors["name"]))
        query = request.GET.copy()
        query.pop("name", None)
        caseload_url = reverse("people:caseload")
        return redirect(f"{caseload_url}?{query.urlencode()}" if query else caseload_url)
    with reporting_reads():  # a read replica, when there is one (common/db_routing.py)
        rows = selectors.person_export(viewer=request.user, ctx=access_context(request), filters=form.filters())

    buffer = io.StringIO()
    writer = csv_writer(buffer)  # defuses cells a spreadsheet would run as formulas
    writer.writerow([_("Förnamn"), _("Efternamn"), _("Födelsedatum"), _("Kön"), _("Projekt"), _("Status"), _("Coach")])
    for person, enrolment in rows:
        writer.writerow(
            [
                person.first_name,
                person.last_name,
                person.birth_date.isoformat() if person.birth_date else "",
                str(person.get_gender_display()),
                enrolment.project.name if enrolment else "",
                str(enrolment.get_status_display()) if enrolment else "",
                str(enrolment.coach) if enrolment and enrolment.coach else "",
            ]
        )
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    # A neutral file name: never a person's name or number.
    response["Content-Disposition"] = f'attachment; filename="deltagare-{dt.date.today():%Y-%m-%d}.csv"'
    return response


# --- Search -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    person: Person
    number: str  # masked: birth date and ****


@dataclass(frozen=True)
class SearchOutcome:
    query: str
    too_short: bool
    hits: list[SearchHit]

    @property
    def limited(self) -> bool:
        return len(self.hits) >= selectors.SEARCH_LIMIT


def _search(request: AuthenticatedRequest, query: str) -> SearchOutcome:
    if len(query) < SEARCH_MIN_LENGTH:
        return SearchOutcome(query=query, too_short=True, hits=[])
    try:
        rows = selectors.person_search(viewer=request.user, ctx=access_context(request), query=query)
    except PermissionDenied:
        rows = []
    return SearchOutcome(
        query=query, too_short=False, hits=[SearchHit(person=p, number=masked_number(p)) for p, _access in rows]
    )


@domain_page("GET", "POST")
def search(request: AuthenticatedRequest) -> HttpResponse:
    """The search page. Without JavaScript the form posts here; a number never goes in the URL."""
    form = SearchForm(request.POST if request.method == "POST" else None)
    outcome = _search(request, form.query()) if request.method == "POST" else None
    return render(request, "people/search.html", {"nav": "search", "form": form, "outcome": outcome})


@domain_page("POST")
def search_results(request: AuthenticatedRequest) -> HttpResponse:
    """The hit list alone, for the as-you-type search (htmx posts here)."""
    query = SearchForm(request.POST).query()
    # An emptied search field clears the hit list instead of asking for more characters.
    outcome = _search(request, query) if query else None
    return render(request, "people/_search_results.html", {"outcome": outcome})


# --- Create and edit a person -----------------------------------------------------------------


@domain_page("GET", "POST")
def create(request: AuthenticatedRequest) -> HttpResponse:
    """Register a person. Before saving, the unit's own records that the new one may duplicate
    are shown (never another unit's), and the coach picks one of them or confirms a new record."""
    if not services.may_register_persons(viewer=request.user):
        raise PermissionDenied(_("Du har endast läsbehörighet."))
    ctx = access_context(request)
    form = PersonCreateForm(request.POST if request.method == "POST" else None, viewer=request.user)
    duplicates: list = []
    if form.is_bound and form.is_valid():
        existing_id = _posted_uuid(request, "use_existing")
        if existing_id is not None:
            return _enrol_existing(request, form, existing_id)
        if "confirm_new" not in request.POST:
            duplicates = selectors.own_duplicates(viewer=request.user, ctx=ctx, data=form.duplicate_query())
        if not duplicates:
            try:
                person, created = services.person_create(
                    ctx=ctx, data=form.person_data(), enrolment=form.enrolment_data()
                )
            except InvalidInput as exc:
                add_service_errors(form, exc)
            else:
                if created:
                    messages.success(request, _("Personen är registrerad och inskriven på din enhet."))
                else:
                    messages.success(
                        request,
                        _("Personen fanns redan på din enhet och har nu skrivits in. Inget dubbelregistrerades."),
                    )
                return redirect("people:detail", person_id=person.pk)
    return render(
        request,
        "people/person_form.html",
        {
            "nav": "caseload",
            "form": form,
            "creating": True,
            "duplicates": duplicates,
            "number_match": bool(duplicates) and form.duplicate_query().id_number is not None,
        },
    )


def _posted_uuid(request: AuthenticatedRequest, name: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(name, ""))
    except ValueError:
        return None


def _enrol_existing(request: AuthenticatedRequest, form: PersonCreateForm, person_id: uuid.UUID) -> HttpResponse:
    """The coach chose one of the unit's own records instead of registering a new one."""
    ctx = access_context(request)
    view = selectors.person_get_for_change(viewer=request.user, person_id=person_id)
    try:
        services.enrolment_create(ctx=ctx, person=view.person, data=form.enrolment_data())
    except InvalidInput as exc:
        add_service_errors(form, exc)
        return render(request, "people/person_form.html", {"nav": "caseload", "form": form, "creating": True})
    messages.success(request, _("Den befintliga personen är inskriven. Ingen ny person registrerades."))
    return redirect("people:detail", person_id=view.person.pk)


@domain_page("GET", "POST")
def edit(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    view = selectors.person_get_for_change(viewer=request.user, person_id=person_id)
    show_contact = view.access.sees_contact_details
    version = services.person_version(person=view.person, access=view.access)
    if request.method == "POST":
        form = add_version_field(PersonForm(request.POST, show_contact=show_contact), version)
        if form.is_valid():
            try:
                services.person_update(
                    ctx=ctx, person=view.person, data=form.person_data(), expected_version=submitted_version(form)
                )
            except Conflict as exc:
                view = selectors.person_get_for_change(viewer=request.user, person_id=person_id)
                saved = PersonForm(initial=PersonForm.person_initial(view.person), show_contact=show_contact)
                show_conflict(
                    form,
                    saved=saved,
                    version=services.person_version(person=view.person, access=view.access),
                    error=exc,
                )
            except InvalidInput as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Uppgifterna är sparade."))
                return redirect("people:detail", person_id=view.person.pk)
    else:
        form = add_version_field(
            PersonForm(initial=PersonForm.person_initial(view.person), show_contact=show_contact), version
        )
    selectors.person_view_record(ctx=ctx, view=view)
    return render(
        request,
        "people/person_form.html",
        {"nav": "caseload", "form": form, "person": view.person, "creating": False},
        status=form_status(form),
    )


# --- Enrolments -------------------------------------------------------------------------------


@domain_page("GET", "POST")
def enrolment_create(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    view = selectors.person_get_for_change(viewer=request.user, person_id=person_id)
    form = EnrolmentForm(request.POST if request.method == "POST" else None, viewer=request.user)
    if form.is_bound and form.is_valid():
        try:
            services.enrolment_create(ctx=ctx, person=view.person, data=form.enrolment_data())
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Deltagandet är sparat."))
            return redirect("people:detail", person_id=view.person.pk)
    selectors.person_view_record(ctx=ctx, view=view)
    return render(request, "people/enrolment_form.html", {"nav": "caseload", "form": form, "person": view.person})


@domain_page("GET", "POST")
def enrolment_edit(request: AuthenticatedRequest, enrolment_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    enrolment = selectors.enrolment_get(viewer=request.user, enrolment_id=enrolment_id)
    view = selectors.person_get_for_change(viewer=request.user, person_id=enrolment.person_id)
    form = EnrolmentForm(
        request.POST if request.method == "POST" else None,
        viewer=request.user,
        enrolment=enrolment,
        initial=EnrolmentForm.enrolment_initial(enrolment),
    )
    add_version_field(form, services.enrolment_version(enrolment=enrolment))
    if form.is_bound and form.is_valid():
        try:
            services.enrolment_update(
                ctx=ctx, enrolment=enrolment, data=form.enrolment_data(), expected_version=submitted_version(form)
            )
        except Conflict as exc:
            enrolment = selectors.enrolment_get(viewer=request.user, enrolment_id=enrolment_id)
            saved = EnrolmentForm(
                viewer=request.user, enrolment=enrolment, initial=EnrolmentForm.enrolment_initial(enrolment)
            )
            show_conflict(form, saved=saved, version=services.enrolment_version(enrolment=enrolment), error=exc)
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Deltagandet är sparat."))
            return redirect("people:detail", person_id=view.person.pk)
    selectors.person_view_record(ctx=ctx, view=view)
    return render(
        request,
        "people/enrolment_form.html",
        {"nav": "caseload", "form": form, "person": view.person, "enrolment": enrolment},
        status=form_status(form),
    )


# --- Merge ------------------------------------------------------------------------------------


def _merge_label(person: Person) -> str:
    return _("Behåll %(name)s, %(type)s %(number)s") % {
        "name": person.full_name,
        "type": person.get_id_type_display().lower(),
        "number": full_number(person) if person.id_number else "",
    }


@domain_page("GET", "POST")
def merge(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    """Step 1: find the other registration; step 2: confirm and choose which is kept; step 3: merge."""
    ctx = access_context(request)
    view = selectors.person_get_for_change(viewer=request.user, person_id=person_id)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    if step in {"confirm", "merge"}:
        return _merge_confirm(request, view=view, step=step)
    form = SearchForm(request.POST if step == "search" else None)
    outcome = None
    if step == "search":
        outcome = _search(request, form.query())
        outcome = SearchOutcome(
            query=outcome.query,
            too_short=outcome.too_short,
            hits=[hit for hit in outcome.hits if hit.person.pk != view.person.pk],
        )
    selectors.person_view_record(ctx=ctx, view=view)
    return render(
        request,
        "people/merge.html",
        {
            "nav": "caseload",
            "person": view.person,
            "number": full_number(view.person),
            "form": form,
            "outcome": outcome,
        },
    )


def _merge_confirm(request: AuthenticatedRequest, *, view: selectors.PersonView, step: str) -> HttpResponse:
    ctx = access_context(request)
    try:
        other_id = uuid.UUID(request.POST.get("other", ""))
    except ValueError:
        raise NotFound(_("Personen finns inte eller så saknar du behörighet.")) from None
    if other_id == view.person.pk:
        messages.error(request, _("Välj en annan person än den du slår ihop från."))
        return redirect("people:merge", person_id=view.person.pk)
    other = selectors.person_get_for_change(viewer=request.user, person_id=other_id)
    labels = {MergeChoiceForm.THIS: _merge_label(view.person), MergeChoiceForm.OTHER: _merge_label(other.person)}
    if step == "merge":
        form = MergeChoiceForm(request.POST, labels=labels)
        if form.is_valid():
            keep_this = form.cleaned_data["keep"] == MergeChoiceForm.THIS
            target, source = (view, other) if keep_this else (other, view)
            try:
                kept = services.person_merge(ctx=ctx, source=source.person, target=target.person)
            except InvalidInput as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Registreringarna är ihopslagna. Alla deltaganden och all historik finns nu på den här sidan."),
                )
                return redirect("people:detail", person_id=kept.pk)
    else:
        prefer_other = (
            other.person.id_type == IdentityType.PERSONNUMMER and view.person.id_type != IdentityType.PERSONNUMMER
        )
        form = MergeChoiceForm(
            initial={"other": other.person.pk, "keep": MergeChoiceForm.OTHER if prefer_other else MergeChoiceForm.THIS},
            labels=labels,
        )
    # Shown side by side with their enrolments: each one logged as viewed.
    persons = [
        selectors.person_get(viewer=request.user, ctx=ctx, person_id=pid) for pid in (view.person.pk, other.person.pk)
    ]
    return render(
        request,
        "people/merge_confirm.html",
        {
            "nav": "caseload",
            "person": view.person,
            "form": form,
            "persons": [(pv, full_number(pv.person)) for pv in persons],
        },
    )


@domain_page("GET", "POST")
def protection_lower(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    """The administrator lowers a person's protection, with a reason (the only way down by hand)."""
    ctx = access_context(request)
    person = selectors.person_for_administration(viewer=request.user, ctx=ctx, person_id=person_id)
    form: ProtectionLowerForm | None = ProtectionLowerForm(
        request.POST if request.method == "POST" else None, person=person
    )
    if form is None or not person.is_protected:
        form = None
    elif form.is_bound and form.is_valid():
        try:
            services.person_protection_lower(
                ctx=ctx, person=person, protection=form.cleaned_data["protection"], reason=form.cleaned_data["reason"]
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Skyddet är sänkt. Ändringen och skälet finns i åtkomstloggen."))
            return redirect("people:protection_lower", person_id=person.pk)
    return render(request, "people/protection_lower.html", {"nav": "audit", "person": person, "form": form})
