"""Forms for the person pages: they parse input; the services apply the domain rules."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from vagval.accounts.models import User
from vagval.common import forms as common_forms
from vagval.common.errors import InvalidInput
from vagval.common.identity import InvalidIdentityNumber, parse_identity_number
from vagval.organisations.models import Method, Municipality, Project
from vagval.people.models import PROTECTION_ORDER, Enrolment, EnrolmentStatus, Gender, IdentityType, Person, Protection
from vagval.people.selectors import DuplicateQuery, PersonFilters, enrolment_projects
from vagval.people.services import EnrolmentData, PersonData

CONTACT_FIELDS = ("address", "postal_code", "city", "phone", "email")

# Field names the services use in InvalidInput.field_errors → the form field that shows them.
SERVICE_FIELD_NAMES = {
    "home_municipality_code": "home_municipality",
    "project_id": "project",
    "coach_id": "coach",
    "method_id": "method",
}

_OFF = {"autocomplete": "off"}


def _attr_value(value: Any) -> str:
    """A value as Django's widget templates write it: `value|stringformat:'s'`, autoescaped."""
    text = "%s" % (value,)  # noqa: UP031 - as the stringformat filter
    return text if isinstance(value, SafeData) else escape(text)


def _attrs_html(attrs: dict[str, Any]) -> str:
    """As django/forms/widgets/attrs.html: False leaves an attribute out, True writes its name only."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{_attr_value(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class _RenderedInPython:
    """A widget that writes the HTML of Django's own widget template, in Python.

    For the caseload's filter form, rendered on every visit of the most used page: the widget
    templates include one template per attribute list and per option, which cost more than the
    rest of the form. The attributes (id, aria-describedby, aria-invalid, ...) still come from
    BoundField and the widget's get_context, so only the writing of the markup differs.
    """

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> SafeString:
        return mark_safe(self.html(context["widget"]))  # every value is escaped in html()

    def html(self, widget: dict[str, Any]) -> str:
        raise NotImplementedError


class _Input(_RenderedInPython):
    def html(self, widget: dict[str, Any]) -> str:
        # django/forms/widgets/input.html
        value = "" if widget["value"] is None else f' value="{_attr_value(widget["value"])}"'
        return (
            f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}'
            f"{_attrs_html(widget['attrs'])}>"
        )


class FastTextInput(_Input, forms.TextInput):
    pass


class FastNumberInput(_Input, forms.NumberInput):
    pass


class FastHiddenInput(_Input, forms.HiddenInput):
    pass


class FastSelect(_RenderedInPython, forms.Select):
    def html(self, widget: dict[str, Any]) -> str:
        # django/forms/widgets/select.html and select_option.html
        parts = [f'<select name="{escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'<optgroup label="{escape(group_name)}">')
            parts.extend(
                f'<option value="{_attr_value(option["value"])}"{_attrs_html(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>"
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return "\n".join(parts)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _gender_choices() -> list[tuple[str, Any]]:
    unknown = [(value, label) for value, label in Gender.choices if value == ""]
    return unknown + [(value, label) for value, label in Gender.choices if value != ""]


def add_service_errors(form: forms.Form, error: InvalidInput) -> None:
    """Service field errors on the form, with this app's field names (SERVICE_FIELD_NAMES)."""
    common_forms.add_service_errors(form, error, field_names=SERVICE_FIELD_NAMES)


class PersonForm(forms.Form):
    id_type = forms.ChoiceField(label=_("Typ av nummer"), choices=IdentityType.choices)
    id_number = forms.CharField(
        label=_("Person- eller samordningsnummer"),
        required=False,
        max_length=20,
        help_text=_("ÅÅÅÅMMDD-NNNN. Lämna tomt om personen saknar nummer."),
        widget=forms.TextInput(attrs={**_OFF, "inputmode": "numeric", "spellcheck": "false"}),
    )
    first_name = forms.CharField(label=_("Förnamn"), max_length=100, widget=forms.TextInput(attrs=_OFF))
    last_name = forms.CharField(label=_("Efternamn"), max_length=100, widget=forms.TextInput(attrs=_OFF))
    birth_date = forms.DateField(
        label=_("Födelsedatum"),
        required=False,
        help_text=_("Behövs bara när personen saknar nummer."),
        widget=DateInput(attrs=_OFF),
    )
    gender = forms.ChoiceField(label=_("Kön (som personen själv anger)"), choices=_gender_choices, required=False)
    protection = forms.ChoiceField(
        label=_("Skyddade personuppgifter"), choices=Protection.choices, initial=Protection.NONE
    )
    address = forms.CharField(label=_("Adress"), max_length=200, required=False, widget=forms.TextInput(attrs=_OFF))
    postal_code = forms.CharField(
        label=_("Postnummer"), max_length=6, required=False, widget=forms.TextInput(attrs=_OFF)
    )
    city = forms.CharField(label=_("Postort"), max_length=100, required=False, widget=forms.TextInput(attrs=_OFF))
    phone = forms.CharField(
        label=_("Telefon"), max_length=40, required=False, widget=forms.TextInput(attrs={**_OFF, "type": "tel"})
    )
    email = forms.EmailField(label=_("E-post"), required=False, widget=forms.EmailInput(attrs=_OFF))
    home_municipality = forms.ModelChoiceField(
        label=_("Hemkommun"),
        queryset=Municipality.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("Välj kommun"),
    )

    def __init__(self, *args: Any, show_contact: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.show_contact = show_contact
        if not show_contact:
            # Hidden from this viewer: not rendered and not sent; the service keeps the values.
            for name in (*CONTACT_FIELDS, "home_municipality"):
                del self.fields[name]

    @staticmethod
    def person_initial(person: Person) -> dict[str, object]:
        number = person.id_number or ""
        return {
            "id_type": person.id_type,
            "id_number": f"{number[:8]}-{number[8:]}" if len(number) == 12 else number,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "birth_date": person.birth_date,
            "gender": person.gender,
            "protection": person.protection,
            "address": person.address,
            "postal_code": person.postal_code,
            "city": person.city,
            "phone": person.phone,
            "email": person.email,
            "home_municipality": person.home_municipality_id,
        }

    def person_data(self) -> PersonData:
        data = self.cleaned_data
        municipality = data.get("home_municipality")
        # A hidden municipality is sent as "keep" (None) so the service leaves it untouched.
        return PersonData(
            first_name=data["first_name"],
            last_name=data["last_name"],
            id_type=data["id_type"],
            id_number="" if data["id_type"] == IdentityType.NONE else data["id_number"],
            birth_date=data.get("birth_date"),
            gender=data.get("gender") or "",
            protection=data["protection"],
            home_municipality_code=municipality.code if municipality else "",
            **{name: data.get(name) or "" for name in CONTACT_FIELDS},
        )


def _coach_choices(viewer: User) -> QuerySet[User]:
    if viewer.unit_id is None:
        return User.objects.none()
    return User.objects.filter(unit_id=viewer.unit_id, is_active=True).order_by("first_name", "last_name")


class CoachChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class EnrolmentForm(forms.Form):
    project = forms.ModelChoiceField(label=_("Projekt"), queryset=Project.objects.none(), empty_label=_("Välj projekt"))
    starts_on = forms.DateField(label=_("Startdatum"), widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=EnrolmentStatus.choices, initial=EnrolmentStatus.ACTIVE)
    ends_on = forms.DateField(
        label=_("Slutdatum"), required=False, help_text=_("Krävs när deltagandet är avslutat."), widget=DateInput()
    )
    coach = CoachChoiceField(
        label=_("Ansvarig coach"), queryset=User.objects.none(), required=False, empty_label=_("Ingen ansvarig coach")
    )
    method = forms.ModelChoiceField(
        label=_("Metod"), queryset=Method.objects.order_by("name"), required=False, empty_label=_("Ingen metod")
    )

    def __init__(self, *args: Any, viewer: User, enrolment: Enrolment | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrolment = enrolment
        coach = self.fields["coach"]
        assert isinstance(coach, forms.ModelChoiceField)
        coach.queryset = _coach_choices(viewer)
        if enrolment is None:
            project = self.fields["project"]
            assert isinstance(project, forms.ModelChoiceField)
            project.queryset = enrolment_projects(viewer=viewer)
            self.fields["starts_on"].initial = dt.date.today
            coach.initial = viewer.pk
        else:
            # The project of an enrolment cannot change; it is shown, not edited.
            del self.fields["project"]
        if enrolment is None or enrolment.status != EnrolmentStatus.ENDED:
            # Ending is the exit (its own page): the form offers "avslutad" only to an enrolment
            # that has already ended, which may be corrected or reopened here.
            status = self.fields["status"]
            assert isinstance(status, forms.ChoiceField)
            status.choices = [c for c in EnrolmentStatus.choices if c[0] != EnrolmentStatus.ENDED]

    @staticmethod
    def enrolment_initial(enrolment: Enrolment) -> dict[str, object]:
        return {
            "starts_on": enrolment.starts_on,
            "status": enrolment.status,
            "ends_on": enrolment.ends_on,
            "coach": enrolment.coach_id,
            "method": enrolment.method_id,
        }

    def enrolment_data(self) -> EnrolmentData:
        data = self.cleaned_data
        project_id = self.enrolment.project_id if self.enrolment is not None else data["project"].pk
        coach, method = data.get("coach"), data.get("method")
        return EnrolmentData(
            project_id=project_id,
            starts_on=data["starts_on"],
            status=data["status"],
            ends_on=data.get("ends_on"),
            coach_id=coach.pk if coach else None,
            method_id=method.pk if method else None,
        )


class PersonCreateForm(PersonForm, EnrolmentForm):
    """A new person and their first enrolment at the viewer's unit."""

    def duplicate_query(self) -> DuplicateQuery:
        """What to look for among the unit's own records before registering."""
        data = self.person_data()
        number = None
        if data.id_number:
            try:
                number = parse_identity_number(data.id_number).digits
            except InvalidIdentityNumber:
                number = None  # the service reports the number's error
        return DuplicateQuery(
            first_name=data.first_name, last_name=data.last_name, birth_date=data.birth_date, id_number=number
        )


class CaseloadFilterForm(forms.Form):
    """GET filters for the caseload. Never takes an identity number: names only."""

    MINE, ALL = "mina", "alla"

    visa = forms.ChoiceField(
        label=_("Visa"),
        choices=[(MINE, _("Mina deltagare")), (ALL, _("Alla på enheten"))],
        required=False,
        widget=FastHiddenInput,
    )
    name = forms.CharField(
        label=_("Namn"),
        required=False,
        max_length=100,
        help_text=_("Bara namn. Sök på personnummer under Sök person."),
        widget=FastTextInput(
            attrs={"type": "search", "autocomplete": "off", "pattern": r"[^0-9]*", "title": _("Skriv bara namn")}
        ),
    )
    # The unit's projects as plain choices, read once: as a ModelChoiceField the select ran its
    # query twice per page (for the required attribute and for the options), 1 ms of the
    # caseload. A value that is not one of them is an error, as before.
    project = forms.TypedChoiceField(
        label=_("Projekt"), choices=[], coerce=uuid.UUID, empty_value=None, required=False, widget=FastSelect
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Alla")), *EnrolmentStatus.choices], required=False, widget=FastSelect
    )
    gender = forms.ChoiceField(
        label=_("Kön"),
        choices=[("", _("Alla")), *(c for c in Gender.choices if c[0])],
        required=False,
        widget=FastSelect,
    )
    age_min = forms.IntegerField(
        label=_("Ålder från"), required=False, min_value=0, max_value=120, widget=FastNumberInput
    )
    age_max = forms.IntegerField(
        label=_("Ålder till"), required=False, min_value=0, max_value=120, widget=FastNumberInput
    )

    def __init__(self, *args: Any, projects: Iterable[tuple[uuid.UUID, str]], **kwargs: Any) -> None:
        """`projects`: the choices as (id, name), e.g. caseload_project_choices(…)."""
        super().__init__(*args, **kwargs)
        project = self.fields["project"]
        assert isinstance(project, forms.TypedChoiceField)
        project.choices = [("", _("Alla projekt")), *((str(pk), name) for pk, name in projects)]

    def clean_name(self) -> str:
        name = self.cleaned_data.get("name", "").strip()
        if re.search(r"\d", name):
            raise forms.ValidationError(_("Skriv bara namn här. Sök på personnummer under Sök person."))
        return name

    def filters(self) -> PersonFilters:
        """The valid filters; a field with an error is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        project = data.get("project")
        return PersonFilters(
            query=data.get("name") or "",
            project_id=project,
            status=data.get("status") or "",
            mine_only=data.get("visa") != self.ALL,
            gender=data.get("gender") or "",
            age_min=data.get("age_min"),
            age_max=data.get("age_max"),
        )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Namn eller person-/samordningsnummer"),
        max_length=100,
        required=False,
        help_text=_("Skriv minst två tecken. Träffarna visas medan du skriver."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )

    def query(self) -> str:
        return (self.cleaned_data.get("q") or "").strip() if self.is_valid() else ""


class MergeChoiceForm(forms.Form):
    """Step 2 of a merge: which of the two registrations is kept (the other is merged into it)."""

    THIS, OTHER = "this", "other"

    other = forms.UUIDField(widget=forms.HiddenInput)
    keep = forms.ChoiceField(
        label=_("Vilken registrering ska behållas?"),
        widget=forms.RadioSelect,
        choices=[(THIS, THIS), (OTHER, OTHER)],
    )

    def __init__(self, *args: Any, labels: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if labels:
            keep = self.fields["keep"]
            assert isinstance(keep, forms.ChoiceField)
            keep.choices = [(value, labels[value]) for value in (self.THIS, self.OTHER)]


class ProtectionLowerForm(forms.Form):
    """An administrator lowers a person's protection: a lower level and the reason."""

    protection = forms.ChoiceField(label=_("Ny skyddsnivå"))
    reason = forms.CharField(
        label=_("Skäl"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("T.ex. beslut från Skatteverket. Skälet sparas i åtkomstloggen."),
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lower = PROTECTION_ORDER[: person.protection_rank]
        self.fields["protection"].choices = [(level.value, level.label) for level in lower]  # type: ignore[attr-defined]
