"""Forms of the catalogue's offer side: they parse input; offer_services checks the domain rules.

Field names match the services' data classes (`provider_id`, `municipality_code`, …) so that
InvalidInput field errors land on the right field. Choices from the database and the reference
files come from offer_selectors, passed in by the view.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from vagval.catalogue import offer_selectors as rules
from vagval.catalogue.models import (
    FollowUpStatus,
    InterestKind,
    NeedHorizon,
    OfferKind,
    OfferStatus,
    ProviderKind,
    StudyKind,
)
from vagval.catalogue.offer_services import ContactData, InterestData, NeedData, OfferData, ProviderData


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


_DATE_ERRORS = {"invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD.")}
_NUMBER_ERRORS = {
    "invalid": _("Ange ett tal."),
    "min_value": _("Talet är för litet."),
    "max_value": _("Talet är för stort."),
}
_CHOICE_ERRORS = {"invalid_choice": _("Välj ett av alternativen.")}


def _choice(label: Any, *, required: bool = False) -> forms.ChoiceField:
    messages = {**_CHOICE_ERRORS, "required": _("Välj ett alternativ.")}
    return forms.ChoiceField(label=label, required=required, error_messages=messages)


def _uuid(value: str) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


class _Form(forms.Form):
    def _choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        cast(forms.ChoiceField, self.fields[name]).choices = choices

    def _owner_choices(self, owners: list[tuple[str, str]] | None) -> None:
        """Only administrators choose the owner (they get `owners`); for others the field goes."""
        if owners is None:
            del self.fields["owner_id"]
        else:
            self._choices("owner_id", [("", _("Välj organisation")), *owners])


def sni_choices(empty: Any = None) -> list[tuple[str, Any]]:
    return [("", empty or _("Ingen vald")), *((code, f"{code} {label}") for code, label in rules.sni_sections())]


def ssyk_choices(empty: Any = None) -> list[tuple[str, Any]]:
    return [("", empty or _("Inget valt")), *((code, f"{code} {label}") for code, label in rules.ssyk_areas())]


# --- Providers ------------------------------------------------------------------------------


class ProviderForm(_Form):
    name = forms.CharField(label=_("Namn"), max_length=200, error_messages={"required": _("Ange anordnarens namn.")})
    kind = _choice(_("Typ av anordnare"), required=True)
    organisation_number = forms.CharField(
        label=_("Organisationsnummer"), required=False, max_length=20, help_text=_("Tio siffror: NNNNNN-NNNN.")
    )
    sni_section = _choice(_("Bransch (SNI 2007)"))
    municipality_code = _choice(_("Kommun"))
    address = forms.CharField(label=_("Adress"), required=False, max_length=200)
    owner_id = _choice(_("Förvaltas av"), required=True)

    def __init__(
        self,
        *args: Any,
        municipalities: list[tuple[str, str]],
        owners: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._choices("kind", [("", _("Välj typ")), *ProviderKind.choices])
        self._choices("sni_section", sni_choices())
        self._choices("municipality_code", [("", _("Ingen vald")), *municipalities])
        self._owner_choices(owners)

    def to_data(self) -> ProviderData:
        data = self.cleaned_data
        return ProviderData(
            name=data["name"],
            kind=data["kind"],
            organisation_number=data["organisation_number"],
            sni_section=data["sni_section"],
            municipality_code=data["municipality_code"],
            address=data["address"],
            owner_id=_uuid(data.get("owner_id", "")),
        )


class ProviderFilterForm(_Form):
    q = forms.CharField(label=_("Namn"), required=False, max_length=100)
    kind = _choice(_("Typ"))
    municipality_code = _choice(_("Kommun"))

    def __init__(self, *args: Any, municipalities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("kind", [("", _("Alla typer")), *ProviderKind.choices])
        self._choices("municipality_code", [("", _("Alla kommuner")), *municipalities])

    def filters(self) -> rules.ProviderFilters:
        if not (self.is_bound and self.is_valid()):
            return rules.ProviderFilters()
        data = self.cleaned_data
        return rules.ProviderFilters(kind=data["kind"], municipality_code=data["municipality_code"], query=data["q"])


class ContactForm(_Form):
    name = forms.CharField(
        label=_("Namn"), max_length=200, error_messages={"required": _("Ange kontaktpersonens namn.")}
    )
    role = forms.CharField(
        label=_("Roll"),
        required=False,
        max_length=100,
        help_text=_("Till exempel handledare, mentor eller kontaktperson."),
    )
    phone = forms.CharField(label=_("Telefon"), required=False, max_length=40)
    email = forms.EmailField(
        label=_("E-post"), required=False, max_length=254, error_messages={"invalid": _("Ange en giltig e-postadress.")}
    )

    def to_data(self) -> ContactData:
        data = self.cleaned_data
        return ContactData(name=data["name"], role=data["role"], phone=data["phone"], email=data["email"])


# --- Offers ---------------------------------------------------------------------------------


class OfferForm(_Form):
    kind = _choice(_("Typ av erbjudande"), required=True)
    study_kind = _choice(_("Typ av utbildning"))
    title = forms.CharField(label=_("Rubrik"), max_length=200, error_messages={"required": _("Ange en rubrik.")})
    description = forms.CharField(
        label=_("Beskrivning"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Skriv enkelt och tydligt: den unga ska förstå vad det är."),
    )
    provider_id = _choice(_("Anordnare"), required=True)
    ssyk_area = _choice(_("Yrkesområde (SSYK 2012)"))
    municipality_code = _choice(_("Kommun"))
    address = forms.CharField(label=_("Adress"), required=False, max_length=200)
    latitude = forms.DecimalField(
        label=_("Latitud"), required=False, max_digits=9, decimal_places=6, error_messages=_NUMBER_ERRORS
    )
    longitude = forms.DecimalField(
        label=_("Longitud"), required=False, max_digits=9, decimal_places=6, error_messages=_NUMBER_ERRORS
    )
    travel = forms.CharField(label=_("Hur man tar sig dit"), required=False, max_length=500)
    starts_on = forms.DateField(
        label=_("Startdatum"),
        required=False,
        widget=DateInput(),
        error_messages=_DATE_ERRORS,
        help_text=_("Lämna start och slut tomma om erbjudandet pågår hela tiden."),
    )
    ends_on = forms.DateField(label=_("Slutdatum"), required=False, widget=DateInput(), error_messages=_DATE_ERRORS)
    hours_per_week = forms.DecimalField(
        label=_("Timmar per vecka"),
        required=False,
        max_digits=4,
        decimal_places=1,
        min_value=0,
        max_value=80,
        error_messages=_NUMBER_ERRORS,
    )
    capacity = forms.IntegerField(
        label=_("Antal platser"),
        min_value=0,
        max_value=10000,
        initial=1,
        error_messages={**_NUMBER_ERRORS, "required": _("Ange antal platser.")},
    )
    min_age = forms.IntegerField(
        label=_("Lägsta ålder"), required=False, min_value=1, max_value=99, error_messages=_NUMBER_ERRORS
    )
    max_age = forms.IntegerField(
        label=_("Högsta ålder"), required=False, min_value=1, max_value=99, error_messages=_NUMBER_ERRORS
    )
    language = forms.CharField(label=_("Språkkrav"), required=False, max_length=200)
    requires_driving_licence = forms.BooleanField(label=_("Kräver körkort"), required=False)
    adaptations = forms.CharField(
        label=_("Anpassningar och tillgänglighet"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    supervisor_id = _choice(_("Handledare eller gruppledare"))
    status = _choice(_("Status"), required=True)
    owner_id = _choice(_("Förvaltas av"), required=True)

    def __init__(
        self,
        *args: Any,
        providers: list[tuple[str, str]],
        contacts: list[tuple[str, str]],
        municipalities: list[tuple[str, str]],
        owners: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._choices("kind", [("", _("Välj typ")), *OfferKind.choices])
        self._choices("study_kind", [("", _("Ingen (inte en studieplats)")), *StudyKind.choices])
        self._choices("provider_id", [("", _("Välj anordnare")), *providers])
        self._choices("ssyk_area", ssyk_choices())
        self._choices("municipality_code", [("", _("Ingen vald")), *municipalities])
        self._choices("supervisor_id", [("", _("Ingen vald")), *contacts])
        self._choices("status", OfferStatus.choices)
        self._owner_choices(owners)

    def to_data(self) -> OfferData:
        data = self.cleaned_data
        return OfferData(
            kind=data["kind"],
            study_kind=data["study_kind"],
            title=data["title"],
            description=data["description"],
            provider_id=cast(uuid.UUID, _uuid(data["provider_id"])),
            ssyk_area=data["ssyk_area"],
            municipality_code=data["municipality_code"],
            address=data["address"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            travel=data["travel"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            hours_per_week=data["hours_per_week"],
            capacity=data["capacity"],
            min_age=data["min_age"],
            max_age=data["max_age"],
            language=data["language"],
            requires_driving_licence=data["requires_driving_licence"],
            adaptations=data["adaptations"],
            supervisor_id=_uuid(data["supervisor_id"]),
            status=data["status"],
            owner_id=_uuid(data.get("owner_id", "")),
        )


def offer_initial(offer: Any) -> dict[str, Any]:
    """An edit form's values from the stored offer."""
    return {
        "kind": offer.kind,
        "study_kind": offer.study_kind,
        "title": offer.title,
        "description": offer.description,
        "provider_id": str(offer.provider_id),
        "ssyk_area": offer.ssyk_area,
        "municipality_code": offer.municipality_id or "",
        "address": offer.address,
        "latitude": offer.latitude,
        "longitude": offer.longitude,
        "travel": offer.travel,
        "starts_on": offer.starts_on,
        "ends_on": offer.ends_on,
        "hours_per_week": offer.hours_per_week,
        "capacity": offer.capacity,
        "min_age": offer.min_age,
        "max_age": offer.max_age,
        "language": offer.language,
        "requires_driving_licence": offer.requires_driving_licence,
        "adaptations": offer.adaptations,
        "supervisor_id": str(offer.supervisor_id or ""),
        "status": offer.status,
        "owner_id": str(offer.owner_id),
    }


class OfferFilterForm(_Form):
    q = forms.CharField(label=_("Sök på rubrik eller anordnare"), required=False, max_length=100)
    kind = _choice(_("Typ"))
    municipality_code = _choice(_("Kommun"))
    ssyk_area = _choice(_("Yrkesområde"))
    status = _choice(_("Status"))
    period_from = forms.DateField(
        label=_("Pågår från"), required=False, widget=DateInput(), error_messages=_DATE_ERRORS
    )
    period_to = forms.DateField(label=_("Pågår till"), required=False, widget=DateInput(), error_messages=_DATE_ERRORS)
    free = forms.BooleanField(label=_("Bara med lediga platser"), required=False)

    def __init__(self, *args: Any, municipalities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("kind", [("", _("Alla typer")), *OfferKind.choices])
        self._choices("municipality_code", [("", _("Alla kommuner")), *municipalities])
        self._choices("ssyk_area", ssyk_choices(_("Alla yrkesområden")))
        self._choices("status", [("", _("Alla")), *OfferStatus.choices])

    def filters(self) -> rules.OfferFilters:
        if not (self.is_bound and self.is_valid()):
            return rules.OfferFilters()
        data = self.cleaned_data
        return rules.OfferFilters(
            kind=data["kind"],
            municipality_code=data["municipality_code"],
            ssyk_area=data["ssyk_area"],
            status=data["status"],
            period_from=data["period_from"],
            period_to=data["period_to"],
            free_places_only=data["free"],
            query=data["q"],
        )


class OfferStatusForm(_Form):
    status = _choice(_("Ny status"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("status", OfferStatus.choices)


# --- Employers' needs and interests ---------------------------------------------------------


class _EmployerEntryForm(_Form):
    """What an employer's need and an employer's interest share: the employer, a contact person
    at the employer, a note and (for administrators) the owner. `field_order` puts each form's
    own fields in between."""

    provider_id = _choice(_("Arbetsgivare"), required=True)
    contact_id = _choice(_("Kontaktperson"))
    note = forms.CharField(
        label=_("Anteckning"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner_id = _choice(_("Förvaltas av"), required=True)

    def __init__(
        self,
        *args: Any,
        providers: list[tuple[str, str]],
        contacts: list[tuple[str, str]],
        owners: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._choices("provider_id", [("", _("Välj arbetsgivare")), *providers])
        self._choices("contact_id", [("", _("Ingen vald")), *contacts])
        self._owner_choices(owners)

    def _shared(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "provider_id": cast(uuid.UUID, _uuid(data["provider_id"])),
            "contact_id": _uuid(data["contact_id"]),
            "note": data["note"],
            "owner_id": _uuid(data.get("owner_id", "")),
        }


class NeedForm(_EmployerEntryForm):
    field_order = [
        "provider_id",
        "ssyk_area",
        "sni_section",
        "headcount",
        "horizon",
        "stated_on",
        "contact_id",
        "note",
        "owner_id",
    ]
    ssyk_area = _choice(_("Yrkesområde (SSYK 2012)"), required=True)
    sni_section = _choice(_("Bransch (SNI 2007)"))
    headcount = forms.IntegerField(
        label=_("Antal personer"),
        min_value=1,
        max_value=100000,
        error_messages={**_NUMBER_ERRORS, "required": _("Ange hur många personer.")},
    )
    horizon = _choice(_("När"), required=True)
    stated_on = forms.DateField(
        label=_("Uppgivet den"), widget=DateInput(), error_messages={**_DATE_ERRORS, "required": _("Ange ett datum.")}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("ssyk_area", ssyk_choices(_("Välj yrkesområde")))
        self._choices("sni_section", sni_choices(_("Samma som arbetsgivarens")))
        self._choices("horizon", NeedHorizon.choices)

    def to_data(self) -> NeedData:
        data = self.cleaned_data
        return NeedData(
            ssyk_area=data["ssyk_area"],
            sni_section=data["sni_section"],
            headcount=data["headcount"],
            horizon=data["horizon"],
            stated_on=data["stated_on"],
            **self._shared(),
        )


class InterestForm(_EmployerEntryForm):
    field_order = ["provider_id", "kind", "places", "contact_id", "status", "next_contact_on", "note", "owner_id"]
    kind = _choice(_("Intresserad av"), required=True)
    places = forms.IntegerField(
        label=_("Antal platser"), required=False, min_value=0, max_value=10000, error_messages=_NUMBER_ERRORS
    )
    status = _choice(_("Uppföljning"), required=True)
    next_contact_on = forms.DateField(
        label=_("Nästa kontakt"), required=False, widget=DateInput(), error_messages=_DATE_ERRORS
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("kind", [("", _("Välj")), *InterestKind.choices])
        self._choices("status", FollowUpStatus.choices)

    def to_data(self) -> InterestData:
        data = self.cleaned_data
        return InterestData(
            kind=data["kind"],
            status=data["status"],
            places=data["places"],
            next_contact_on=data["next_contact_on"],
            **self._shared(),
        )


class InterestFilterForm(_Form):
    kind = _choice(_("Intresse"))
    status = _choice(_("Uppföljning"))
    open = forms.BooleanField(label=_("Bara de som ska följas upp"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("kind", [("", _("Alla")), *InterestKind.choices])
        self._choices("status", [("", _("Alla")), *FollowUpStatus.choices])

    def filters(self) -> rules.InterestFilters:
        if not (self.is_bound and self.is_valid()):
            return rules.InterestFilters()
        data = self.cleaned_data
        return rules.InterestFilters(kind=data["kind"], status=data["status"], to_follow_up=data["open"])
