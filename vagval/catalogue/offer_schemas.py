"""Shapes of the offers API: strict input (unknown fields refused), the offer as every member of staff sees it."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any

from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from vagval.api.versions import etag
from vagval.catalogue.models import Offer, OfferKind, OfferStatus, StudyKind
from vagval.catalogue.offer_services import OfferData, offer_data_of, record_version
from vagval.people.schemas import IsoDate, MunicipalityCode

# One line: no control characters. Longer texts may hold line breaks and tabs, nothing else.
_LINE = r"^[^\x00-\x1F\x7F]*$"
_TEXT = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F]*$"


def _line(max_length: int, *, min_length: int = 0) -> Any:
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length, pattern=_LINE)]


def _text(max_length: int) -> Any:
    return Annotated[str, StringConstraints(max_length=max_length, pattern=_TEXT)]


Title = _line(200, min_length=1)
SsykArea = Annotated[
    str,
    StringConstraints(max_length=1, pattern=r"^[0-9]?$"),
    Field(
        description=(
            "SSYK 2012 yrkesområde (en siffra), eller tom sträng. "
            "Krävs för praktik, social träningsplats och anställning."
        )
    ),
]
Hours = Annotated[float, Field(ge=0, le=80, description="Timmar per vecka (en decimal).")]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
Age = Annotated[int, Field(ge=1, le=99)]
Capacity = Annotated[int, Field(ge=0, le=10000, description="Antal platser.")]


def _decimal(value: float | None, places: int) -> Decimal | None:
    return None if value is None else round(Decimal(str(value)), places)


class OfferIn(BaseModel):
    """Ett erbjudande. PUT ersätter alla fält: ett utelämnat valfritt fält töms."""

    model_config = ConfigDict(extra="forbid")

    kind: OfferKind
    study_kind: StudyKind | None = Field(None, description="Bara för studieplatser, och krävs då.")
    title: Title  # type: ignore[valid-type]
    description: _text(4000) = ""  # type: ignore[valid-type]
    provider_id: uuid.UUID
    ssyk_area: SsykArea = ""
    municipality: MunicipalityCode | None = None
    address: _line(200) = ""  # type: ignore[valid-type]
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    travel: _line(500) = ""  # type: ignore[valid-type]
    starts_on: IsoDate | None = None
    ends_on: IsoDate | None = None
    hours_per_week: Hours | None = None
    capacity: Capacity = 1
    min_age: Age | None = None
    max_age: Age | None = None
    language: _line(200) = ""  # type: ignore[valid-type]
    requires_driving_licence: bool = False
    adaptations: _text(2000) = ""  # type: ignore[valid-type]
    supervisor_id: uuid.UUID | None = Field(None, description="En kontaktperson hos anordnaren.")
    status: OfferStatus = OfferStatus.DRAFT
    owner_id: uuid.UUID | None = Field(
        None,
        description="Organisationen som förvaltar erbjudandet. Bara administratörer väljer (och måste då ange den); "
        "andras erbjudanden tillhör deras egen organisation.",
    )

    def offer_data(self) -> OfferData:
        return _data(self.model_dump())


class OfferPatchIn(BaseModel):
    """Ändra några fält; de som inte skickas behåller sitt sparade värde."""

    model_config = ConfigDict(extra="forbid")

    kind: OfferKind | None = None
    study_kind: StudyKind | None = None
    title: Title | None = None  # type: ignore[valid-type]
    description: _text(4000) | None = None  # type: ignore[valid-type]
    provider_id: uuid.UUID | None = None
    ssyk_area: SsykArea | None = None
    municipality: MunicipalityCode | None = None
    address: _line(200) | None = None  # type: ignore[valid-type]
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    travel: _line(500) | None = None  # type: ignore[valid-type]
    starts_on: IsoDate | None = None
    ends_on: IsoDate | None = None
    hours_per_week: Hours | None = None
    capacity: Capacity | None = None
    min_age: Age | None = None
    max_age: Age | None = None
    language: _line(200) | None = None  # type: ignore[valid-type]
    requires_driving_licence: bool | None = None
    adaptations: _text(2000) | None = None  # type: ignore[valid-type]
    supervisor_id: uuid.UUID | None = None
    status: OfferStatus | None = None
    owner_id: uuid.UUID | None = None

    def offer_data(self, offer: Offer) -> OfferData:
        """The stored offer with the fields sent; null clears an optional field."""
        stored = offer_data_of(offer)
        values: dict[str, Any] = {
            **{name: getattr(stored, name) for name in OfferIn.model_fields if name != "municipality"},
            "municipality": stored.municipality_code or None,
        }
        for name in ("latitude", "longitude", "hours_per_week"):
            values[name] = None if values[name] is None else float(values[name])
        sent = self.model_dump(exclude_unset=True)
        for required in ("kind", "title", "provider_id", "capacity", "status", "requires_driving_licence"):
            if sent.get(required, "") is None:
                sent.pop(required)  # a required field cannot be cleared: null keeps it
        for name in ("description", "ssyk_area", "address", "travel", "language", "adaptations"):
            if name in sent and sent[name] is None:
                sent[name] = ""
        return _data({**values, **sent})


def _data(values: dict[str, Any]) -> OfferData:
    return OfferData(
        kind=values["kind"],
        study_kind=values["study_kind"] or "",
        title=values["title"],
        description=values["description"],
        provider_id=values["provider_id"],
        ssyk_area=values["ssyk_area"],
        municipality_code=values["municipality"] or "",
        address=values["address"],
        latitude=_decimal(values["latitude"], 6),
        longitude=_decimal(values["longitude"], 6),
        travel=values["travel"],
        starts_on=values["starts_on"],
        ends_on=values["ends_on"],
        hours_per_week=_decimal(values["hours_per_week"], 1),
        capacity=values["capacity"],
        min_age=values["min_age"],
        max_age=values["max_age"],
        language=values["language"],
        requires_driving_licence=values["requires_driving_licence"],
        adaptations=values["adaptations"],
        supervisor_id=values["supervisor_id"],
        status=values["status"],
        owner_id=values["owner_id"],
    )


class OfferListQuery(BaseModel):
    limit: int = Field(50, ge=1, le=settings.API_PAGE_LIMIT_MAX, description="Antal per sida.")
    offset: int = Field(0, ge=0, le=2**31 - 1, description="Hur många som hoppas över.")
    kind: OfferKind | None = None
    municipality: MunicipalityCode | None = Field(None, description="Bara erbjudanden i denna kommun.")
    ssyk_area: SsykArea | None = None
    status: OfferStatus | None = None
    period_from: IsoDate | None = Field(None, description="Bara erbjudanden som pågår denna dag eller senare.")
    period_to: IsoDate | None = Field(None, description="Bara erbjudanden som har börjat senast denna dag.")
    free_only: bool = Field(False, description="Bara erbjudanden med lediga platser.")


class OfferOut(BaseModel):
    id: uuid.UUID
    kind: OfferKind
    study_kind: StudyKind | None
    title: str
    description: str
    provider_id: uuid.UUID
    provider_name: str
    ssyk_area: str
    municipality: str | None = Field(description="Kommunkod (SCB), eller null.")
    address: str
    latitude: float | None
    longitude: float | None
    travel: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    hours_per_week: float | None
    capacity: int
    taken_places: int = Field(description="Platser som är erbjudna, accepterade eller påbörjade.")
    free_places: int = Field(description="Lediga platser (aldrig under noll).")
    min_age: int | None
    max_age: int | None
    language: str
    requires_driving_licence: bool
    adaptations: str
    supervisor_id: uuid.UUID | None
    status: OfferStatus
    owner_id: uuid.UUID
    owner_name: str
    etag: str = Field(description="Erbjudandets ETag: skicka den i If-Match vid PUT eller PATCH.")


class OfferListOut(BaseModel):
    count: int = Field(description="Antal träffar totalt.")
    limit: int
    offset: int
    items: list[OfferOut]


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def offer_out(offer: Offer) -> OfferOut:
    """An offer annotated with its places (catalogue.capacity.with_places)."""
    return OfferOut(
        id=offer.pk,
        kind=OfferKind(offer.kind),
        study_kind=StudyKind(offer.study_kind) if offer.study_kind else None,
        title=offer.title,
        description=offer.description,
        provider_id=offer.provider_id,
        provider_name=offer.provider.name,
        ssyk_area=offer.ssyk_area,
        municipality=offer.municipality_id,
        address=offer.address,
        latitude=_float(offer.latitude),
        longitude=_float(offer.longitude),
        travel=offer.travel,
        starts_on=offer.starts_on,
        ends_on=offer.ends_on,
        hours_per_week=_float(offer.hours_per_week),
        capacity=offer.capacity,
        taken_places=offer.taken_places,  # type: ignore[attr-defined]
        free_places=offer.free_places,  # type: ignore[attr-defined]
        min_age=offer.min_age,
        max_age=offer.max_age,
        language=offer.language,
        requires_driving_licence=offer.requires_driving_licence,
        adaptations=offer.adaptations,
        supervisor_id=offer.supervisor_id,
        status=OfferStatus(offer.status),
        owner_id=offer.owner_id,
        owner_name=offer.owner.name,
        etag=etag(record_version(offer)),
    )
