"""Writes for ESF+: marking a project as ESF-funded, recording entry data, producing the SCB file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from vagval.access.scope import Need
from vagval.accounts.models import User
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record, access_log_record_many
from vagval.common.errors import InvalidInput, PermissionDenied
from vagval.common.spreadsheet import defuse_cell
from vagval.common.versions import require_version, version_of
from vagval.esf import selectors
from vagval.esf.models import Answer, EsfEntry, EsfProject, LabourStatus, ScbFileExport
from vagval.esf.rules import age_on, is_long_term_unemployed, is_rural
from vagval.organisations.models import Project
from vagval.people.models import Enrolment, EnrolmentStatus, Gender, Person

# --- ESF funding (administrators) -------------------------------------------------------------


def esf_project_set(*, ctx: AccessContext, project: Project, funded: bool, case_number: str = "") -> None:
    """Mark the project as ESF-funded (or not). Entry data already recorded are kept."""
    if not ctx.user.is_administrator:
        raise PermissionDenied(_("Bara administratörer."))
    with transaction.atomic():
        if funded:
            EsfProject.objects.update_or_create(project=project, defaults={"case_number": case_number.strip()})
        else:
            EsfProject.objects.filter(project=project).delete()
        access_log_record(
            ctx=ctx,
            action="esf.project_changed",
            basis=AccessBasis.ADMINISTRATION,
            detail={"project": str(project.pk), "funded": funded},
        )


# --- Entry data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryData:
    labour_status: str = ""
    unemployed_since: dt.date | None = None
    isced: int | None = None
    disability: str = ""
    third_country: str = ""
    foreign_background: str = ""
    minority: str = ""
    homeless: str = ""
    improved_after_6_months: str = ""


ANSWER_FIELDS = ("disability", "third_country", "foreign_background", "minority", "homeless", "improved_after_6_months")


def entry_version(entry: EsfEntry | None) -> str:
    return version_of(entry) if entry is not None else "ny"


def _validate(data: EntryData, enrolment: Enrolment) -> None:
    errors: dict[str, list[str]] = {}
    if data.labour_status and data.labour_status not in LabourStatus.values:
        errors["labour_status"] = [_("Välj ett av alternativen.")]
    if data.labour_status == LabourStatus.UNEMPLOYED and data.unemployed_since is None:
        errors["unemployed_since"] = [_("Ange sedan när personen är arbetslös.")]
    if data.labour_status != LabourStatus.UNEMPLOYED and data.unemployed_since is not None:
        errors["unemployed_since"] = [_("Ange datum bara för den som är arbetslös.")]
    if data.unemployed_since is not None and data.unemployed_since > enrolment.starts_on:
        errors["unemployed_since"] = [_("Datumet kan inte vara efter startdatumet i projektet.")]
    if data.isced is not None and not 0 <= data.isced <= 8:
        errors["isced"] = [_("Välj en nivå mellan 0 och 8.")]
    for name in ANSWER_FIELDS:
        if getattr(data, name) not in Answer.values:
            errors[name] = [_("Välj ett av alternativen.")]
    if errors:
        raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors=errors)


def esf_entry_save(
    *, ctx: AccessContext, enrolment_id: Any, data: EntryData, expected_version: str | None = None
) -> EsfEntry:
    """Record or change the ESF+ data at entry for an enrolment at the viewer's unit.

    Long-term unemployment, age at entry and rural area are derived here from the dates, the
    person's birth date and home municipality. `expected_version`: the version the editor saw
    ("ny" for a new record); Conflict when someone saved in between."""
    with transaction.atomic():
        view = selectors.entry_for_enrolment(
            viewer=ctx.user, ctx=ctx, enrolment_id=enrolment_id, need=Need.CHANGE, log=False
        )
        enrolment = view.enrolment
        if not view.esf_funded:
            raise InvalidInput(_("Projektet är inte ESF-finansierat."))
        _validate(data, enrolment)
        entry = EsfEntry.objects.select_for_update().filter(enrolment=enrolment).first()
        require_version(expected=expected_version, current=entry_version(entry))
        person: Person = enrolment.person
        age = age_on(birth_date=person.birth_date, day=enrolment.starts_on)
        values = {
            "labour_status": data.labour_status,
            "unemployed_since": data.unemployed_since,
            "isced": data.isced,
            **{name: getattr(data, name) for name in ANSWER_FIELDS},
            "age_at_entry": age,
            "long_term_unemployed": data.labour_status == LabourStatus.UNEMPLOYED
            and is_long_term_unemployed(unemployed_since=data.unemployed_since, entry_on=enrolment.starts_on, age=age),
            "rural": is_rural(person.home_municipality_id),
        }
        created = entry is None
        if entry is None:
            entry = EsfEntry(enrolment=enrolment, person=person, unit=enrolment.unit, recorded_by=ctx.user)
        changed = sorted(name for name, value in values.items() if getattr(entry, name) != value)
        for name, value in values.items():
            setattr(entry, name, value)
        if created or changed:
            entry.recorded_by = ctx.user
            entry.save()
            access_log_record(
                ctx=ctx,
                action="esf.entry_recorded" if created else "esf.entry_changed",
                person_id=person.pk,
                # Field names only: the answers themselves never go into the log.
                detail={"enrolment": str(enrolment.pk), "fields": changed},
            )
        return entry


# --- The SCB participant file ----------------------------------------------------------------

DEFAULT_LAYOUT = Path(__file__).resolve().parent / "data" / "scb_layout.json"
FIELDS = ("identity", "start", "end", "protected", "birth_year", "gender", "project_case", "month")
GENDER_CODES = {Gender.WOMAN: "K", Gender.MAN: "M", Gender.NON_BINARY: "X", Gender.OTHER: "X"}


class LayoutError(InvalidInput):
    """The layout file is missing or wrong: no file is produced."""


def scb_layout() -> dict[str, Any]:
    """The column layout (a JSON file an administrator can change: setting VAGVAL_ESF_SCB_LAYOUT)."""
    path = Path(getattr(settings, "VAGVAL_ESF_SCB_LAYOUT", "") or DEFAULT_LAYOUT)
    try:
        layout = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise LayoutError(_("Filen med SCB-filens kolumner saknas eller går inte att läsa.")) from None
    columns = layout.get("columns")
    if not isinstance(columns, list) or not columns:
        raise LayoutError(_("Filen med SCB-filens kolumner anger inga kolumner."))
    for column in columns:
        if not isinstance(column, dict) or column.get("field") not in FIELDS or not column.get("name"):
            raise LayoutError(_("Filen med SCB-filens kolumner har en okänd kolumn."))
    return layout


@dataclass(frozen=True)
class ScbFile:
    filename: str
    content: bytes
    rows: int
    correction: bool


def _participants(project: Project, month: dt.date) -> list[dict[str, Any]]:
    """One row per participant active during the month: first start, end if within the month."""
    month_end = selectors.next_month(month) - dt.timedelta(days=1)
    enrolments = (
        Enrolment.objects.filter(project=project, person__merged_into__isnull=True, starts_on__lte=month_end)
        .exclude(status=EnrolmentStatus.PLANNED)
        .exclude(ends_on__lt=month)
        .select_related("person")
        .order_by("starts_on")
    )
    by_key: dict[str, dict[str, Any]] = {}
    for enrolment in enrolments:
        person = enrolment.person
        key = person.id_number or str(person.pk)
        ended = enrolment.ends_on if enrolment.ends_on is not None and enrolment.ends_on <= month_end else None
        row = by_key.get(key)
        if row is None:
            by_key[key] = {"person": person, "start": enrolment.starts_on, "end": ended, "open": ended is None}
            continue
        # The same participant at another unit: the first start, and an end only when all ended.
        row["start"] = min(row["start"], enrolment.starts_on)
        row["open"] = row["open"] or ended is None
        row["end"] = None if row["open"] else max(d for d in (row["end"], ended) if d is not None)
        if person.is_protected:
            row["person"] = person
    return list(by_key.values())


def scb_file_produce(*, ctx: AccessContext, project: Project, month: dt.date) -> ScbFile:
    """The SCB participant file for the project and month; one `esf.scb_file_exported` per person.

    A month produced before is a correction: the page then offers the later months again."""
    user: User = ctx.user
    selectors.scb_project(viewer=user, project_id=project.pk)
    month = selectors.first_of_month(month)
    if month >= selectors.first_of_month(dt.date.today()):
        raise InvalidInput(_("Filen kan tas fram först när månaden är slut."))
    layout = scb_layout()
    protected_layout = layout.get("protected", {})
    date_format = layout.get("date_format", "%Y%m%d")
    esf = EsfProject.objects.filter(project=project).first()
    with transaction.atomic():
        rows = _participants(project, month)
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=layout.get("delimiter", ";"), lineterminator="\r\n")
        if layout.get("header", True):
            writer.writerow([defuse_cell(c["name"]) for c in layout["columns"]])
        for row in rows:
            person: Person = row["person"]
            protected = person.is_protected
            values: dict[str, Any] = {
                "identity": person.id_number or "",
                "start": row["start"].strftime(date_format),
                "end": row["end"].strftime(date_format) if row["end"] else "",
                "protected": "1" if protected else "0",
                "birth_year": str(person.birth_date.year) if person.birth_date else "",
                "gender": GENDER_CODES.get(person.gender, ""),  # type: ignore[call-overload]
                "project_case": esf.case_number if esf else "",
                "month": month.strftime("%Y%m"),
            }
            if protected:
                # The special form: no number, only what the layout shows for protected persons.
                values["identity"] = protected_layout.get("identity", "")
            else:
                for hidden in layout.get("unprotected_hide", []):
                    values[hidden] = ""
            writer.writerow([defuse_cell(values[c["field"]]) for c in layout["columns"]])
        correction = ScbFileExport.objects.filter(project=project, month=month).exists()
        ScbFileExport.objects.create(
            project=project, month=month, correction=correction, rows=len(rows), produced_by=user
        )
        access_log_record_many(
            ctx=ctx,
            action="esf.scb_file_exported",
            grants=[(row["person"].pk, AccessBasis.ADMINISTRATION, None) for row in rows],
            detail={"project": str(project.pk), "month": month.strftime("%Y-%m"), "correction": correction},
        )
    encoding = layout.get("encoding", "utf-8")
    # The name says project and month only: never an identity number.
    filename = f"scb-deltagare-{month:%Y-%m}{'-rattelse' if correction else ''}.csv"
    return ScbFile(filename=filename, content=buffer.getvalue().encode(encoding), rows=len(rows), correction=correction)
