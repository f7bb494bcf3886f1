"""Shapes of the persons API: strict input (unknown fields refused) and the output the viewer may see."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import models
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from vagval.access.checks import PersonAccess
from vagval.api.versions import etag
from vagval.audit.models import AccessBasis
from vagval.people.models import Enrolment, EnrolmentStatus, Gender, IdentityType, Person, Protection
from vagval.people.services import EnrolmentData, PersonData, enrolment_version


def _max_length(model: type[models.Model], name: str) -> int:
    """Length limits come from the model, so the API and the database never disagree."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    assert field.max_length is not None
    return field.max_length


# No control characters (NUL breaks PostgreSQL; tabs and newlines have no place in these fields).
_PRINTABLE = r"^[^\x00-\x1F\x7F]*$"


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("Ange en giltig e-postadress.") from None
    return value


def _no_digits(value: str) -> str:
    # Identity numbers never go in a URL, so a name search in the query string refuses digits.
    if any(char.isdigit() for char in value):
        raise ValueError("Siffror är inte tillåtna här. Sök på nummer med POST /persons/search.")
    return value


def _municipality_code(value: str) -> str:
    if not re.fullmatch(r"[0-9]{4}", value):
        raise ValueError("Ange kommunkoden med fyra siffror.")
    return value


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date_text(value: Any) -> Any:
    # As strict as the forms: a date is written ÅÅÅÅ-MM-DD. Numbers (seconds since 1970) and
    # date-times are refused, not turned into dates.
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("Ange ett datum som ÅÅÅÅ-MM-DD.")
    return value


IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date_text),
    Field(description="Datum som ÅÅÅÅ-MM-DD.", json_schema_extra={"pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
]

Name = Annotated[str, StringConstraints(min_length=1, max_length=_max_length(Person, "first_name"), pattern=_PRINTABLE)]
Address = Annotated[str, StringConstraints(max_length=_max_length(Person, "address"), pattern=_PRINTABLE)]
PostalCode = Annotated[str, StringConstraints(max_length=_max_length(Person, "postal_code"), pattern=_PRINTABLE)]
City = Annotated[str, StringConstraints(max_length=_max_length(Person, "city"), pattern=_PRINTABLE)]
Phone = Annotated[str, StringConstraints(max_length=_max_length(Person, "phone"), pattern=_PRINTABLE)]
Email = Annotated[
    str,
    StringConstraints(max_length=_max_length(Person, "email"), pattern=_PRINTABLE),
    AfterValidator(_email),
    Field(description="E-postadress, eller tom sträng."),
]
IdNumber = Annotated[
    str,
    # The service parses and checks it; 13 characters allows the written form YYYYMMDD-NNNN.
    StringConstraints(max_length=_max_length(Person, "id_number") + 1, pattern=_PRINTABLE),
    Field(
        description=(
            "Personnummer eller samordningsnummer: ÅÅÅÅMMDDNNNN, ÅÅÅÅMMDD-NNNN, ÅÅMMDD-NNNN eller ÅÅMMDD+NNNN. "
            "Krävs om id_type inte är none."
        )
    ),
]
MunicipalityCode = Annotated[
    str,
    StringConstraints(max_length=4),
    AfterValidator(_municipality_code),
    Field(description="SCB:s kommunkod.", json_schema_extra={"pattern": "^[0-9]{4}$"}),
]
UserId = Annotated[int, Field(ge=1, le=2**63 - 1, description="Id för en användare på din enhet.")]
NameQuery = Annotated[
    str,
    StringConstraints(max_length=100, pattern=_PRINTABLE),
    AfterValidator(_no_digits),
    Field(
        description="Början av för- eller efternamn. Siffror tillåts inte: sök på nummer med POST /persons/search.",
        json_schema_extra={"pattern": r"^[^\x00-\x1F\x7F0-9]*$"},
    ),
]
SearchText = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=_PRINTABLE)]


class StrictIn(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonIn(StrictIn):
    """Personens egna uppgifter. PUT ersätter alla: ett utelämnat valfritt fält töms.

    Skyddsnivån måste alltid anges, så att den aldrig sänks av misstag.
    """

    id_type: IdentityType
    id_number: IdNumber | None = None
    first_name: Name
    last_name: Name
    birth_date: IsoDate | None = Field(None, description="Krävs när id_type är none; annars tas det från numret.")
    gender: Gender = Gender.UNKNOWN
    protection: Protection
    address: Address = ""
    postal_code: PostalCode = ""
    city: City = ""
    phone: Phone = ""
    email: Email = ""
    home_municipality_code: MunicipalityCode | None = None

    def person_data(self) -> PersonData:
        return PersonData(
            first_name=self.first_name,
            last_name=self.last_name,
            id_type=self.id_type,
            id_number=self.id_number or "",
            birth_date=self.birth_date,
            gender=self.gender,
            protection=self.protection,
            address=self.address,
            postal_code=self.postal_code,
            city=self.city,
            phone=self.phone,
            email=self.email,
            home_municipality_code=self.home_municipality_code or "",
        )


class EnrolmentFields(StrictIn):
    starts_on: IsoDate
    status: EnrolmentStatus = EnrolmentStatus.ACTIVE
    ends_on: IsoDate | None = Field(None, description="Krävs när status är avslutad.")
    coach_id: UserId | None = None
    method_id: uuid.UUID | None = None

    def _enrolment_data(self, project_id: uuid.UUID) -> EnrolmentData:
        return EnrolmentData(
            project_id=project_id,
            starts_on=self.starts_on,
            status=self.status,
            ends_on=self.ends_on,
            coach_id=self.coach_id,
            method_id=self.method_id,
        )


class EnrolmentIn(EnrolmentFields):
    """Ett nytt deltagande på din enhet. Ett avslutat deltagande i samma projekt öppnas igen."""

    project_id: uuid.UUID

    def enrolment_data(self) -> EnrolmentData:
        return self._enrolment_data(self.project_id)


class EnrolmentUpdateIn(EnrolmentFields):
    """Ersätter alla uppgifter om deltagandet; projektet kan inte bytas."""

    status: EnrolmentStatus

    def enrolment_data(self, *, project_id: uuid.UUID) -> EnrolmentData:
        return self._enrolment_data(project_id)


class PersonCreateIn(PersonIn, EnrolmentIn):
    """En ny person och uppgifterna om hens första deltagande på din enhet."""

    protection: Protection = Protection.NONE


class PersonSearchIn(StrictIn):
    query: SearchText = Field(description="Namn, eller person-/samordningsnummer (helt eller ÅÅMMDD/ÅÅÅÅMMDD).")


class PersonListQuery(BaseModel):
    limit: int = Field(50, ge=1, le=settings.API_PAGE_LIMIT_MAX, description="Antal per sida.")
    offset: int = Field(0, ge=0, le=2**31 - 1, description="Hur många som hoppas över.")
    q: NameQuery | None = None
    project_id: uuid.UUID | None = Field(None, description="Bara deltagare i detta projekt på din enhet.")
    status: EnrolmentStatus | None = Field(None, description="Bara deltaganden med denna status på din enhet.")
    mine: bool = Field(False, description="Bara personer där du är ansvarig coach.")


class EnrolmentOut(BaseModel):
    id: uuid.UUID
    person_id: uuid.UUID
    project_id: uuid.UUID
    project_name: str
    unit_id: uuid.UUID
    coach_id: int | None
    method_id: uuid.UUID | None
    status: EnrolmentStatus
    starts_on: dt.date
    ends_on: dt.date | None
    etag: str = Field(description="Deltagandets ETag: skicka den i If-Match vid PUT /enrolments/{id}.")


class PersonOut(BaseModel):
    id: uuid.UUID
    access_basis: AccessBasis = Field(
        description="Varför du ser personen: own_unit (deltagande på din enhet) eller consent (samtycke)."
    )
    id_type: IdentityType
    id_number: str | None = Field(
        description="12 siffror ÅÅÅÅMMDDNNNN; null när personen saknar nummer eller ett samtycke inte omfattar det."
    )
    first_name: str
    last_name: str
    birth_date: dt.date | None
    gender: Gender = Field(description="Kön som personen själv anger; tom sträng om det inte är angivet.")
    protection: Protection
    is_protected: bool
    contact_details_hidden: bool = Field(
        description="Sant när du inte får se adress och kontaktuppgifter (skyddade personuppgifter och du är inte "
        "ansvarig coach, eller ett samtycke som inte omfattar dem): fälten är då null."
    )
    address: str | None
    postal_code: str | None
    city: str | None
    phone: str | None
    email: str | None
    home_municipality: str | None = Field(
        description="Hemkommunens kod (SCB), eller null. Döljs tillsammans med kontaktuppgifterna."
    )


class PersonDetailOut(PersonOut):
    enrolments: list[EnrolmentOut] = Field(description="Deltaganden på din enhet.")


class PersonCreatedOut(PersonOut):
    created: bool = Field(
        description="Falskt när numret redan fanns: då skrevs den befintliga personen in i stället (status 200)."
    )


class PersonListOut(BaseModel):
    count: int = Field(description="Antal träffar totalt.")
    limit: int
    offset: int
    items: list[PersonOut]


class PersonSearchOut(BaseModel):
    items: list[PersonOut] = Field(description="Högst 20 träffar. Frågor kortare än två tecken ger inga träffar.")


def person_fields(person: Person, access: PersonAccess) -> dict[str, Any]:
    """What the viewer may see of a person: the number and contact details only when access allows them."""
    shown = access.sees_contact_details
    return {
        "id": person.pk,
        "access_basis": access.basis,
        "id_type": person.id_type,
        "id_number": person.id_number if access.sees_identity_number else None,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_date": person.birth_date,
        "gender": person.gender,
        "protection": person.protection,
        "is_protected": person.is_protected,
        "contact_details_hidden": not shown,
        "address": person.address if shown else None,
        "postal_code": person.postal_code if shown else None,
        "city": person.city if shown else None,
        "phone": person.phone if shown else None,
        "email": person.email if shown else None,
        # Where a protected person lives is hidden together with the address.
        "home_municipality": person.home_municipality_id if shown else None,
    }


def person_out(person: Person, access: PersonAccess) -> PersonOut:
    return PersonOut(**person_fields(person, access))


def enrolment_out(enrolment: Enrolment) -> EnrolmentOut:
    return EnrolmentOut(
        id=enrolment.pk,
        person_id=enrolment.person_id,
        project_id=enrolment.project_id,
        project_name=enrolment.project.name,
        unit_id=enrolment.unit_id,
        coach_id=enrolment.coach_id,
        method_id=enrolment.method_id,
        status=EnrolmentStatus(enrolment.status),
        starts_on=enrolment.starts_on,
        ends_on=enrolment.ends_on,
        etag=etag(enrolment_version(enrolment=enrolment)),
    )
