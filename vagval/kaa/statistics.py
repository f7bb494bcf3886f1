"""The half-year KAA statistics for SCB: one row per young person in KAA during the half-year.

Rules (where Skolverket's and SCB's texts leave room, the choices are written in ARCHITECTURE.md):
- in KAA during the half-year: a KAA episode at the unit(s) that was open on some day of it;
- registration reason: the open code of the person's latest such episode;
- measures: those of the unit(s) that ran on some day of the half-year (kinds; count);
- declined the first measure: J/N for the person's earliest measure at the unit(s), empty without one;
- occupation after the measure: the first recorded (not planned) occupation on or after the first
  measure's end, up to the half-year's end; "okänd" when none; empty while it has not ended;
- de-registration reason: the close code when the latest episode closed within the half-year.
Codes the lists do not know are reported as "okand" and counted.
Protected persons are included (a statutory report); the file holds no address or contact details.

Who is read is decided by the access check, as for every other export: a KAA-ansvarig gets the
persons of their own unit's register that access.checks (visible_persons, list_access) gives
them; the command line acts as the system actor "kommandorad" for the municipality's register
units and gets their register's persons from access.checks.register_persons. Either way the
scope says which persons, with which basis, and the service logs exactly those.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from vagval.access.checks import list_access, own_unit_id, register_persons, visible_persons
from vagval.accounts.models import User
from vagval.audit.models import AccessBasis
from vagval.common.errors import InvalidInput
from vagval.common.spreadsheet import csv_writer, xlsx_cells
from vagval.kaa.codes import Code, CodeList, CodeLists, load_code_lists
from vagval.kaa.models import Measure
from vagval.outreach.models import Occupation, OccupationCategory
from vagval.targetgroup.models import Episode, TargetList

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
COLUMNS = [
    "personnummer",
    "registreringsorsak",
    "registreringsorsak_text",
    "insatser",
    "antal_insatser",
    "avbojt_forsta_insatsen",
    "sysselsattning_efter_insats",
    "sysselsattning_efter_insats_text",
    "avregistreringsorsak",
    "avregistreringsorsak_text",
]
# Occupation categories (outreach) -> code in the list "occupation_after".
OCCUPATION_AFTER: dict[str, str] = {
    OccupationCategory.STUDIES_NATIONAL: "nationellt_program",
    OccupationCategory.STUDIES_IM: "im",
    OccupationCategory.STUDIES_KOMVUX: "komvux",
    OccupationCategory.STUDIES_FOLK_HIGH_SCHOOL: "annan",
    OccupationCategory.STUDIES_OTHER: "annan",
    OccupationCategory.WORK: "arbete",
    OccupationCategory.PLACEMENT: "annan",
    OccupationCategory.OTHER_OCCUPATION: "annan",
    OccupationCategory.NONE: "ingen",
    OccupationCategory.UNKNOWN: "okand",
}
_HALF_YEAR = re.compile(r"^(\d{4})[Hh]([12])$")
# list_access asks about this many persons at a time (two IN lists of this length per query).
ACCESS_CHUNK = 500


@dataclass(frozen=True)
class HalfYear:
    year: int
    half: int

    @classmethod
    def parse(cls, text: str) -> HalfYear:
        match = _HALF_YEAR.match(text.strip())
        if not match or not 2000 <= int(match.group(1)) <= 2100:
            raise InvalidInput(
                _("Ange halvåret som år och H1 eller H2, till exempel 2026H1."),
                field_errors={"half_year": [_("Ange halvåret som år och H1 eller H2, till exempel 2026H1.")]},
            )
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def ends_on(self) -> dt.date:
        return dt.date(self.year, 6, 30) if self.half == 1 else dt.date(self.year, 12, 31)

    def __str__(self) -> str:
        return f"{self.year}H{self.half}"


@dataclass(frozen=True)
class StatisticsRow:
    person_id: uuid.UUID
    personnummer: str
    registration: Code
    measure_kinds: list[Code]
    declined_first: str  # "J", "N" or "" without a measure
    occupation_after: Code | None
    deregistration: Code | None

    def values(self) -> list[str | int]:
        def code(value: Code | None) -> tuple[str, str]:
            return (value.reported, value.label) if value else ("", "")

        kinds = ",".join(sorted({k.reported for k in self.measure_kinds}))
        return [
            self.personnummer,
            *code(self.registration),
            kinds,
            len(self.measure_kinds),
            self.declined_first,
            *code(self.occupation_after),
            *code(self.deregistration),
        ]


@dataclass
class StatisticsResult:
    rows: list[StatisticsRow]
    # Codes in the data that the code lists do not know, per list: reported as "okand".
    unknown: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class StatisticsFile:
    filename: str
    content: bytes
    content_type: str
    person_ids: list[uuid.UUID]
    unknown: dict[str, int]


def _lookup(codes: CodeList, value: str, unknown: Counter[str]) -> Code:
    if not codes.knows(value):
        unknown[codes.name] += 1
    return codes.get(value)


@dataclass(frozen=True)
class StatisticsScope:
    """Whose statistics: the units whose KAA register counts, and the persons in it that the access
    check gave the actor, each with the basis (and consent) the access log records."""

    unit_ids: frozenset[uuid.UUID]
    grants: Mapping[uuid.UUID, tuple[str, uuid.UUID | None]]


def _in_kaa_during(unit_ids: Iterable[uuid.UUID], half_year: HalfYear) -> QuerySet[Episode]:
    """KAA episodes at the units that were open on some day of the half-year."""
    return Episode.objects.filter(
        unit_id__in=list(unit_ids), target_list=TargetList.KAA, opened_on__lte=half_year.ends_on
    ).exclude(closed_on__lt=half_year.starts_on)


def statistics_scope_for_viewer(*, viewer: User, half_year: HalfYear) -> StatisticsScope:
    """The viewer's own unit: the persons in its KAA register whom the access check gives the
    viewer on the basis own unit (the caller has checked that the viewer is a KAA-ansvarig)."""
    unit_id = own_unit_id(viewer)
    in_kaa = _in_kaa_during([unit_id], half_year).order_by().values("person_id")
    candidates = list(visible_persons(viewer=viewer).filter(pk__in=in_kaa))
    grants: dict[uuid.UUID, tuple[str, uuid.UUID | None]] = {}
    for start in range(0, len(candidates), ACCESS_CHUNK):
        for person_id, access in list_access(viewer=viewer, persons=candidates[start : start + ACCESS_CHUNK]).items():
            if access.basis == AccessBasis.OWN_UNIT:  # the unit's own register; nothing shared by consent
                grants[person_id] = (access.basis, None)
    return StatisticsScope(unit_ids=frozenset({unit_id}), grants=grants)


def statistics_scope_for_units(*, unit_ids: Iterable[uuid.UUID], half_year: HalfYear) -> StatisticsScope:
    """For a system actor acting for these units (the command line): the persons in their KAA
    registers, as access.checks.register_persons gives them, on the basis own unit."""
    units = frozenset(unit_ids)
    in_kaa = _in_kaa_during(units, half_year).order_by().values("person_id")
    person_ids = register_persons(unit_ids=units).filter(pk__in=in_kaa).values_list("pk", flat=True)
    return StatisticsScope(unit_ids=units, grants={pk: (AccessBasis.OWN_UNIT, None) for pk in person_ids})


def kaa_register_unit_ids(*, municipality_code: str) -> list[uuid.UUID]:
    """The units holding the municipality's KAA register (usually its one KAA unit)."""
    rows = Episode.objects.filter(municipality_id=municipality_code, target_list=TargetList.KAA)
    return sorted(set(rows.order_by().values_list("unit_id", flat=True)))


def statistics_rows(*, scope: StatisticsScope, half_year: HalfYear) -> StatisticsResult:
    """One row per person of `scope` in KAA during the half-year (the scope decided who may be read)."""
    codes: CodeLists = load_code_lists()
    start, end = half_year.starts_on, half_year.ends_on
    episodes = [
        episode
        for episode in _in_kaa_during(scope.unit_ids, half_year)
        .filter(person__merged_into__isnull=True)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "person_id", "opened_on")
        if episode.person_id in scope.grants
    ]
    latest: dict[uuid.UUID, Episode] = {}
    for episode in episodes:  # ordered by opened_on: the last one wins
        latest[episode.person_id] = episode
    unit_ids = {e.unit_id for e in episodes}
    measures = _measures_by_person(unit_ids, list(latest), end)
    occupations = _occupations_by_person(unit_ids, list(latest), end)
    result = StatisticsResult(rows=[])
    for person_id, episode in latest.items():
        own = measures.get(person_id, [])
        first = own[0] if own else None
        in_half = [m for m in own if m.ends_on is None or m.ends_on >= start]
        closed = episode.closed_on is not None and start <= episode.closed_on <= end
        result.rows.append(
            StatisticsRow(
                person_id=person_id,
                personnummer=episode.person.id_number or "",
                registration=_lookup(codes.registration, episode.open_code, result.unknown),
                measure_kinds=[_lookup(codes.measure_kind, m.kind, result.unknown) for m in in_half],
                declined_first="" if first is None else ("J" if first.declined else "N"),
                occupation_after=_occupation_after(first, occupations.get(person_id, []), codes, result.unknown),
                deregistration=_lookup(codes.deregistration, episode.close_code, result.unknown) if closed else None,
            )
        )
    return result


def _measures_by_person(
    unit_ids: set[uuid.UUID], person_ids: list[uuid.UUID], end: dt.date
) -> dict[uuid.UUID, list[Measure]]:
    by_person: dict[uuid.UUID, list[Measure]] = {}
    rows = Measure.objects.filter(unit_id__in=unit_ids, person_id__in=person_ids, starts_on__lte=end).order_by(
        "starts_on", "created_at"
    )
    for measure in rows:
        by_person.setdefault(measure.person_id, []).append(measure)
    return by_person


def _occupations_by_person(
    unit_ids: set[uuid.UUID], person_ids: list[uuid.UUID], end: dt.date
) -> dict[uuid.UUID, list[Occupation]]:
    by_person: dict[uuid.UUID, list[Occupation]] = {}
    rows = Occupation.objects.filter(
        unit_id__in=unit_ids, person_id__in=person_ids, planned=False, from_date__lte=end
    ).order_by("from_date", "created_at")
    for occupation in rows:
        by_person.setdefault(occupation.person_id, []).append(occupation)
    return by_person


def _occupation_after(
    first: Measure | None, occupations: list[Occupation], codes: CodeLists, unknown: Counter[str]
) -> Code | None:
    if first is None or first.ends_on is None:
        return None
    ended = first.ends_on
    after = next((o for o in occupations if o.from_date >= ended), None)
    if after is None:
        return codes.occupation_after.get("okand")
    return _lookup(codes.occupation_after, OCCUPATION_AFTER.get(after.category, after.category), unknown)


def write_csv(rows: list[StatisticsRow]) -> bytes:
    """UTF-8 with BOM (so Excel reads å, ä, ö), semicolons, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)  # defuses cells a spreadsheet would run as formulas
    writer.writerow(COLUMNS)
    writer.writerows(row.values() for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(rows: list[StatisticsRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "KAA"
    sheet.append(xlsx_cells(sheet, COLUMNS))
    for row in rows:
        sheet.append(xlsx_cells(sheet, row.values()))
    # Identity numbers as text: Excel would otherwise show them as numbers in exponent form.
    for cell in sheet["A"][1:]:
        cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def statistics_build(
    *, scope: StatisticsScope, half_year: HalfYear, file_format: str, municipality_code: str
) -> StatisticsFile:
    if file_format not in FORMATS:
        raise InvalidInput(
            _("Välj formatet csv eller xlsx."), field_errors={"file_format": [_("Välj formatet csv eller xlsx.")]}
        )
    result = statistics_rows(scope=scope, half_year=half_year)
    content = write_csv(result.rows) if file_format == "csv" else write_xlsx(result.rows)
    return StatisticsFile(
        filename=f"kaa-statistik-{municipality_code}-{half_year}.{file_format}",
        content=content,
        content_type=CONTENT_TYPES[file_format],
        person_ids=[row.person_id for row in result.rows],
        unknown=dict(result.unknown),
    )
