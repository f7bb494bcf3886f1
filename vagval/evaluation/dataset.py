"""The pseudonymised dataset of one project: its columns (the data dictionary) and its rows.

One row per participant and enrolment in the project. Only codes, counts and months: never a
name, identity number, address, contact detail or free text (an exit's comment, a placement's
declined reason, notes and plans are not read at all), and for a protected person neither the
municipality nor the method (in #redonu each municipality tries its own method, so the method
would tell the municipality). Who is in it is logged per person by evaluation.services.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import itertools
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, Count, Q, When
from django.db.models import Value as V
from django.db.models.lookups import LessThan
from django.utils.translation import gettext_lazy as _

from vagval.assessments.definitions import definition_of
from vagval.assessments.models import Instrument, Response
from vagval.catalogue.models import OfferKind, Placement, PlacementStatus
from vagval.common.spreadsheet import Header, Sheet, write_csv
from vagval.common.spreadsheet import write_xlsx as write_xlsx_file
from vagval.common.sql import DateNumber
from vagval.evaluation.models import PseudonymKey
from vagval.followup.models import Exit, ExitReason, FollowUp, FollowUpKind, FollowUpStatus, Situation
from vagval.organisations.models import Project
from vagval.people.models import Enrolment, EnrolmentStatus, Gender, Protection

DISTANCE_INSTRUMENT = "vagen-framat"
# The esf app's model of the ESF+ data at entry, if it has one (see esf_entry_columns).
ESF_ENTRY_MODEL = "esf.EsfEntry"
# Placements that happened (a suggestion, an offer or a declined place is not a placement yet).
COUNTED_PLACEMENTS = (PlacementStatus.STARTED, PlacementStatus.ENDED)
AGE_BANDS = ((0, 15, "under 16"), (16, 17, "16-17"), (18, 19, "18-19"), (20, 24, "20-24"), (25, 29, "25-29"))


# --- Pseudonyms ----------------------------------------------------------------------------------


def project_key(project: Project) -> bytes:
    """The project's secret key, made on first use (two first uses at once: one wins, both read it)."""
    key = PseudonymKey.objects.filter(project=project).first()
    if key is None:
        try:
            with transaction.atomic():
                key = PseudonymKey.objects.create(project=project)
        except IntegrityError:
            key = PseudonymKey.objects.get(project=project)
    return bytes.fromhex(key.secret)


def pseudonym(key: bytes, *, id_number: str | None, person_id: uuid.UUID) -> str:
    """HMAC-SHA256 of the identity under the project's key, 20 hex digits (80 bits).

    The identity is the identity number, so that one young person recorded at two units of the
    project has one pseudonym; a person without a number is identified by their record's id.
    """
    identity = f"nr:{id_number}" if id_number else f"id:{person_id}"
    return hmac.new(key, identity.encode("ascii"), hashlib.sha256).hexdigest()[:20]


def month(day: dt.date | None) -> str:
    """A date shifted to its month (YYYY-MM): the evaluator needs when, not the day."""
    return f"{day:%Y-%m}" if day else ""


def age_band_expression(birth: str, on: str) -> Case:
    """`age_band` in the database, for counting by age band with a GROUP BY: the whole years
    between the dates are (YYYYMMDD of `on` - YYYYMMDD of `birth`) // 10,000; a birth after `on`
    falls outside every band, as in Python. Tested equal to `age_band`.

    The bands follow each other from 0 (a test holds AGE_BANDS to that), so each band needs only
    its upper bound, tested in order: a row's difference is computed once per band it passes,
    not twice per band (the report's one pass computes it for hundreds of thousands of rows)."""
    difference = DateNumber(on) - DateNumber(birth)
    below = [When(Q(LessThan(difference, (high + 1) * 10_000)), then=V(label)) for _low, high, label in AGE_BANDS]
    return Case(
        When(**{f"{birth}__isnull": True}, then=V("")),
        When(Q(LessThan(difference, 0)), then=V("30+")),  # born after `on`: no band, as in Python
        *below,
        default=V("30+"),
        output_field=CharField(),
    )


def age_band(birth: dt.date | None, on: dt.date) -> str:
    if birth is None:
        return ""
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return "30+"


# --- ESF+ entry data ------------------------------------------------------------------------------


def esf_entry_columns(*, project: Project | None = None) -> tuple[list[Column], Callable[[uuid.UUID], list[str]]]:
    """ESF-KOPPLING (issue 13): the ESF+ data at entry that the esf app records (`esf.EsfEntry`,
    one row per enrolment): labour-market status, long-term unemployment and the ISCED level.

    The esf app is this app's sibling in the layers, so it is not imported: the model is looked
    up by name (`ESF_ENTRY_MODEL`) and its fields by name, and a test holds both to the real
    model (evaluation/tests/test_esf_columns.py). Only `project`'s rows are read. Special-category
    items (disability, minority, foreign background, …) stay out: they are reported in aggregate only.
    """
    try:
        model = apps.get_model(ESF_ENTRY_MODEL)  # type: ignore[misc]
    except LookupError:
        return [], lambda enrolment_id: []
    wanted = [
        ("labour_status", "esf_arbetsmarknadsstatus", _("Arbetsmarknadsstatus vid inträde (kod)")),
        ("long_term_unemployed", "esf_langtidsarbetslos", _("Långtidsarbetslös vid inträde (ja/nej)")),
        ("isced", "esf_isced", _("Högsta avslutade utbildning, ISCED-nivå")),
    ]
    present = [(field, name, text) for field, name, text in wanted if _has_field(model, field)]
    columns = [Column(name, text) for _f, name, text in present]
    if project is None:  # the data dictionary: the columns only
        return columns, lambda enrolment_id: [""] * len(present)
    values = {
        row[0]: [_cell(v) for v in row[1:]]
        for row in model._default_manager.filter(enrolment__project=project).values_list(
            "enrolment_id", *[f for f, _n, _t in present]
        )
    }
    return columns, lambda enrolment_id: values.get(enrolment_id, [""] * len(present))


def _has_field(model: Any, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return str(value)


# --- The data dictionary --------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    description: Any  # a lazy Swedish text
    values: str = ""


def _codes(choices: Any) -> str:
    return ", ".join(f"{value} = {label}" for value, label in choices if value)


def _area_keys() -> tuple[str, list[tuple[str, str]]]:
    instrument = Instrument.objects.filter(slug=DISTANCE_INSTRUMENT).select_related("current_version").first()
    if instrument is None or instrument.current_version is None:
        return "", []
    definition = definition_of(instrument.current_version)
    return instrument.title, [(s.key, s.title) for s in definition.scored_sections]


def dictionary() -> list[Column]:
    """Every column of the dataset, in order, with its meaning and codes."""
    title, areas = _area_keys()
    esf_columns, _values = esf_entry_columns()
    columns = [
        Column("pseudonym", _("Deltagarens pseudonym: samma i hela projektet, olika i olika projekt.")),
        Column("inskrivning", _("Löpnummer för deltagarens inskrivningar i projektet (1, 2, …).")),
        Column("aldersgrupp", _("Ålder vid start."), "under 16, 16-17, 18-19, 20-24, 25-29, 30+"),
        Column("kon", _("Kön som personen själv anger."), _codes(Gender.choices)),
        Column("kommun", _("Kommunen där deltagaren är inskriven. Tom för personer med skyddade personuppgifter.")),
        Column("metod", _("Metod i projektet. Tom för personer med skyddade personuppgifter.")),
        Column("startmanad", _("Månad då deltagandet startade (ÅÅÅÅ-MM).")),
        Column("slutmanad", _("Månad då deltagandet slutade (ÅÅÅÅ-MM), tom om det pågår.")),
        Column("status", _("Deltagandets status."), _codes(EnrolmentStatus.choices)),
        *esf_columns,
        *[
            Column(f"placeringar_{kind.value}", _("Antal påbörjade placeringar av typen: %s") % kind.label)
            for kind in OfferKind
        ],
        Column("skattningar", _("Antal skattningar med %s.") % (title or DISTANCE_INSTRUMENT)),
        *[
            column
            for key, area in areas
            for column in (
                Column(f"forsta_{key}", _("Första skattningen, område: %s") % area),
                Column(f"senaste_{key}", _("Senaste skattningen, område: %s") % area),
            )
        ],
        Column("avslutsmanad", _("Månad för avslutet (ÅÅÅÅ-MM).")),
        Column("avslutsorsak", _("Orsak till avslut."), _codes(ExitReason.choices)),
        Column("situation_vid_avslut", _("Situation vid avslut."), _codes(Situation.choices)),
        *[
            Column(
                f"uppfoljning_{kind.value}",
                _("Uppföljning %s: situationen, eller uppföljningens status om den saknar utfall.") % kind.label,
                _codes(Situation.choices) + "; " + _codes(FollowUpStatus.choices),
            )
            for kind in FollowUpKind
        ],
    ]
    return columns


# --- The rows -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    columns: list[Column]
    rows_total: int
    person_ids: list[uuid.UUID]
    rows: Iterator[list[str]]


def _placements(project: Project) -> dict[uuid.UUID, dict[str, int]]:
    counts: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
    for enrolment_id, kind, n in (
        Placement.objects.filter(enrolment__project=project, status__in=COUNTED_PLACEMENTS)
        .values_list("enrolment_id", "offer__kind")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[enrolment_id][kind] = n
    return counts


def _exits(project: Project) -> tuple[dict[uuid.UUID, tuple[Any, ...]], dict[uuid.UUID, dict[str, str]]]:
    """The latest exit of each enrolment (that no re-entry superseded), and its follow-ups."""
    latest: dict[uuid.UUID, tuple[Any, ...]] = {}
    for row in (
        Exit.objects.filter(enrolment__project=project, superseded_on__isnull=True)
        .order_by("exit_on", "created_at")
        .values_list("enrolment_id", "pk", "exit_on", "reason", "situation")
    ):
        latest[row[0]] = row[1:]
    exit_ids = {row[0] for row in latest.values()}
    follow_ups: dict[uuid.UUID, dict[str, str]] = defaultdict(dict)
    for exit_id, kind, status, outcome in FollowUp.objects.filter(
        exit__enrolment__project=project, exit__superseded_on__isnull=True
    ).values_list("exit_id", "kind", "status", "outcome"):
        if exit_id in exit_ids:
            follow_ups[exit_id][kind] = outcome if status == FollowUpStatus.DONE and outcome else status
    return latest, follow_ups


def _ratings(project: Project, area_keys: list[str]) -> dict[uuid.UUID, tuple[int, list[str]]]:
    """Per person record: the number of distance-travelled responses, first and latest score per area."""
    series: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for person_id, scores in (
        Response.objects.filter(
            instrument__slug=DISTANCE_INSTRUMENT,
            person_id__in=Enrolment.objects.filter(project=project).values("person_id"),
        )
        .order_by("answered_on", "submitted_at")
        .values_list("person_id", "scores")
    ):
        series[person_id].append(scores or {})
    result = {}
    for person_id, responses in series.items():
        first, latest = responses[0], responses[-1]
        cells = []
        for key in area_keys:
            cells += [_number(first.get(key)), _number(latest.get(key)) if len(responses) > 1 else ""]
        result[person_id] = (len(responses), cells)
    return result


def _number(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def dataset_build(*, project: Project) -> Dataset:
    """The dataset of `project`: read in a few queries, rows produced lazily for the writer."""
    key = project_key(project)
    columns = dictionary()
    _title, areas = _area_keys()
    area_keys = [k for k, _t in areas]
    esf_cols, esf_values = esf_entry_columns(project=project)
    enrolments = list(
        Enrolment.objects.filter(project=project, person__merged_into__isnull=True)
        .order_by("starts_on", "created_at")
        .values_list(
            "pk",
            "person_id",
            "person__id_number",
            "person__birth_date",
            "person__gender",
            "person__protection",
            "starts_on",
            "ends_on",
            "status",
            "method__name",
            "unit__organisation__municipality__name",
        )
    )
    placements = _placements(project)
    exits, follow_ups = _exits(project)
    ratings = _ratings(project, area_keys)
    kinds = [kind.value for kind in OfferKind]
    empty_ratings = (0, [""] * (2 * len(area_keys)))

    def rows() -> Iterator[list[str]]:
        seen: dict[str, int] = defaultdict(int)
        for (
            enrolment_id,
            person_id,
            id_number,
            birth,
            gender,
            protection,
            starts_on,
            ends_on,
            status,
            method,
            municipality,
        ) in enrolments:
            name = pseudonym(key, id_number=id_number, person_id=person_id)
            seen[name] += 1
            protected = protection != Protection.NONE
            exit_row = exits.get(enrolment_id)
            placed = placements.get(enrolment_id, {})
            count, scores = ratings.get(person_id, empty_ratings)
            followed = follow_ups.get(exit_row[0], {}) if exit_row else {}
            yield [
                name,
                str(seen[name]),
                age_band(birth, starts_on),
                gender or "",
                "" if protected else (municipality or ""),
                "" if protected else (method or ""),
                month(starts_on),
                month(ends_on),
                status,
                *esf_values(enrolment_id),
                *[str(placed.get(kind, 0)) for kind in kinds],
                str(count),
                *scores,
                month(exit_row[1]) if exit_row else "",
                exit_row[2] if exit_row else "",
                exit_row[3] if exit_row else "",
                *[followed.get(kind.value, "") for kind in FollowUpKind],
            ]

    assert len(columns) == 9 + len(esf_cols) + len(kinds) + 1 + 2 * len(area_keys) + 3 + len(FollowUpKind)
    return Dataset(
        columns=columns,
        rows_total=len(enrolments),
        person_ids=list(dict.fromkeys(row[1] for row in enrolments)),
        rows=rows(),
    )


# --- Files ---------------------------------------------------------------------------------------

DATA_NAME = "data"
DICTIONARY_NAME = "dataordlista"


DICTIONARY_HEADER = ("kolumn", "beskrivning", "koder")


def _dictionary_rows(columns: list[Column]) -> list[list[str]]:
    return [[c.name, str(c.description), str(c.values)] for c in columns]


def _counted(rows: Iterable[list[str]], progress: Callable[[int], None], every: int) -> Iterator[list[str]]:
    """The rows as they are, telling `progress` the count every `every` rows and at the end."""
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % every == 0:
            progress(done)
    progress(done)


def write_csv_zip(dataset: Dataset, progress: Callable[[int], None], every: int = 5000) -> bytes:
    """A zip with data.csv and the dictionary as CSV (common.spreadsheet's: as Swedish Excel reads it)."""
    data = write_csv([c.name for c in dataset.columns], _counted(dataset.rows, progress, every))
    dictionary_file = write_csv(DICTIONARY_HEADER, _dictionary_rows(dataset.columns))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{DATA_NAME}.csv", data)
        archive.writestr(f"{DICTIONARY_NAME}.csv", dictionary_file)
    return buffer.getvalue()


def _with_numbers(row: list[str]) -> list[object]:
    """Counts as numbers, so the evaluator can sum them; everything else is a code (text)."""
    return [int(v) if v.isdigit() and len(v) < 6 else v for v in row]


def write_xlsx(dataset: Dataset, progress: Callable[[int], None], every: int = 5000) -> bytes:
    """A workbook with the sheets "data" and "dataordlista" (streamed: memory stays flat)."""
    rows = (_with_numbers(row) for row in _counted(dataset.rows, progress, every))
    return write_xlsx_file(
        [
            Sheet(DATA_NAME, itertools.chain([Header(c.name for c in dataset.columns)], rows)),
            Sheet(DICTIONARY_NAME, [Header(DICTIONARY_HEADER), *_dictionary_rows(dataset.columns)]),
        ]
    )


def read_csv_zip(content: bytes) -> list[dict[str, str]]:
    """The rows of a CSV dataset as dicts (for tests and the benchmark's check)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        text = archive.read(f"{DATA_NAME}.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))
