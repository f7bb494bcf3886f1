"""Synthetic young people (16–29) with enrolments, fast enough for 300,000 of them.

Rows are built in memory from seeded random sources and written in batches with
bulk_create, one transaction per batch. bulk_create does not call Person.save(), so the
casefolded search keys are computed here.

Bulk demo generation writes no access-log entries: it is not access to person data by a
user, it creates synthetic records. Who created each record is kept in the PersonChange
and EnrolmentChange "created" rows (the unit's demo coach, or the inactive "demodata"
account).

Everything is made up: names from Faker's Swedish lists, identity numbers with valid check
digits, phone numbers from the series set aside for fiction (070-174 06 05 – 99), e-mail
addresses at example.com.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from random import Random
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from faker import Faker

from vagval.accounts.models import CASEWORK_ROLES
from vagval.common.identity import luhn_check_digit
from vagval.demo.timeline import years_after
from vagval.demo.world import DEMO_USERS, DemoWorld, ensure_national_units
from vagval.organisations.models import Project
from vagval.people.models import (
    Enrolment,
    EnrolmentChange,
    EnrolmentStatus,
    Gender,
    IdentityType,
    Person,
    PersonChange,
    Protection,
)

# The demo world's own units get at most this many persons; beyond it (national-scale data
# for benchmarks) persons are spread over an arbetsmarknadsenhet in every municipality, so
# that each unit sees a realistic share of a large register.
CORE_PERSONS = 2000
# coach.ludvika's caseload: this many open enrolments at Ludvika's arbetsmarknadsenhet.
CASELOAD_SIZE = 200
DEFAULT_BATCH_SIZE = 5000
INSERT_CHUNK = 1000

# (unit key, share of the core persons, youngest, oldest)
CORE_UNITS: tuple[tuple[str, float, int, int], ...] = (
    ("ludvika.ame", 0.32, 16, 29),
    ("smedjebacken.ame", 0.13, 16, 29),
    ("ludvika.kaa", 0.10, 16, 19),
    ("ludvika.ifo", 0.04, 16, 29),
    ("leksand.ame", 0.08, 16, 29),
    ("rattvik.ame", 0.08, 16, 29),
    ("malung.ame", 0.07, 16, 29),
    ("alvdalen.ame", 0.06, 16, 29),
    ("flen.ame", 0.08, 16, 29),
    ("af.ludvika", 0.04, 16, 29),
)
# Home municipality and postcode prefix of the people each demo unit works with.
UNIT_PLACE = {
    "ludvika": ("2085", "Ludvika", "771"),
    "smedjebacken": ("2061", "Smedjebacken", "777"),
    "leksand": ("2029", "Leksand", "793"),
    "rattvik": ("2031", "Rättvik", "795"),
    "malung": ("2023", "Malung", "782"),
    "alvdalen": ("2039", "Älvdalen", "796"),
    "flen": ("0482", "Flen", "642"),
}
# #redonu compares methods between the municipalities.
REDONU_METHOD = {"leksand": "gnesta", "rattvik": "act", "malung": "ips", "alvdalen": "2cs"}

GENDERS = (
    (Gender.WOMAN, 0.475),
    (Gender.MAN, 0.48),
    (Gender.NON_BINARY, 0.015),
    (Gender.OTHER, 0.005),
    (Gender.NOT_STATED, 0.01),
    (Gender.UNKNOWN, 0.015),
)
STATUSES = (
    (EnrolmentStatus.PLANNED, 0.05),
    (EnrolmentStatus.ACTIVE, 0.57),
    (EnrolmentStatus.PAUSED, 0.08),
    (EnrolmentStatus.ENDED, 0.30),
)
STATUS_LABELS = {value: str(label) for value, label in EnrolmentStatus.choices}
_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u", " ": "", "-": "", "'": ""})


@dataclass
class PersonBatch:
    persons: list[Person] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)
    person_changes: list[PersonChange] = field(default_factory=list)
    enrolment_changes: list[EnrolmentChange] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.persons) + len(self.enrolments) + len(self.person_changes) + len(self.enrolment_changes)


@dataclass(frozen=True)
class GenerationResult:
    persons: int
    enrolments: int
    rows: int
    seconds: float  # wall-clock
    cpu_seconds: float  # this process (SQLite runs in-process): robust when the machine is busy


@dataclass(frozen=True)
class _Place:
    unit_id: uuid.UUID
    org_key: str
    municipality_code: str
    city: str
    postcode_prefix: str


class _RowFactory:
    """Builds model instances through Model(*args), Django's fast positional path.

    Keyword construction costs about half of all the generator's building time. The
    positional order is taken from the model's concrete fields at start-up, so a field
    added to the model later gets its default instead of shifting the values.
    """

    def __init__(self, model: type[Model], names: tuple[str, ...]) -> None:
        position = {name: index for index, name in enumerate(names)}
        attnames = [f.attname for f in model._meta.concrete_fields]
        unknown = set(names) - set(attnames)
        if unknown:
            raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
        self.model = model
        self.plan: list[tuple[int | None, Callable[[], object] | None, object]] = []
        for f in model._meta.concrete_fields:
            if f.attname in position:
                self.plan.append((position[f.attname], None, None))
            elif f.has_default() and callable(f.default) and not f.primary_key:
                self.plan.append((None, f.default, None))  # e.g. JSONField(default=list): a new one each
            else:
                self.plan.append((None, None, f.get_default()))

    def __call__(self, *values: object) -> Any:
        return self.model(
            *[values[i] if i is not None else (make() if make is not None else v) for i, make, v in self.plan]
        )


_PERSON = _RowFactory(
    Person,
    (
        "id",
        "unit_id",
        "id_type",
        "id_number",
        "first_name",
        "last_name",
        "first_name_key",
        "last_name_key",
        "birth_date",
        "legal_sex",
        "gender",
        "protection",
        "address",
        "postal_code",
        "city",
        "phone",
        "email",
        "home_municipality_id",
    ),
)
_ENROLMENT = _RowFactory(
    Enrolment, ("id", "person_id", "project_id", "unit_id", "coach_id", "method_id", "status", "starts_on", "ends_on")
)
_PERSON_CHANGE = _RowFactory(PersonChange, ("person_id", "changed_by_id", "kind"))
_ENROLMENT_CHANGE = _RowFactory(EnrolmentChange, ("enrolment_id", "changed_by_id", "kind", "changes"))


@lru_cache(maxsize=4)
def faker_pools(seed: int) -> tuple[list[str], list[str], list[str], list[str]]:
    """Names and streets drawn from Faker once: picking from them is ~100 times faster than Faker."""
    faker = Faker("sv_SE")
    faker.seed_instance(seed)
    return (
        [faker.first_name_female() for _ in range(1500)],
        [faker.first_name_male() for _ in range(1500)],
        [faker.last_name() for _ in range(3000)],
        [faker.street_name() for _ in range(800)],
    )


def _cumulative(weights: tuple[tuple[str, float], ...]) -> tuple[list[str], list[float]]:
    values, bounds, total = [], [], 0.0
    for value, weight in weights:
        total += weight
        values.append(value)
        bounds.append(total)
    bounds[-1] = 1.0
    return values, bounds


class PersonGenerator:
    """Builds batches of persons with enrolments and change rows, deterministically from a seed."""

    def __init__(self, *, world: DemoWorld, count: int, seed: int = 1, today: dt.date | None = None) -> None:
        self.world = world
        self.count = count
        self.today = today or dt.date.today()
        self.rng = Random(seed)
        self.female_names, self.male_names, self.last_names, self.streets = faker_pools(seed)
        self.genders, self.gender_bounds = _cumulative(GENDERS)
        self.statuses, self.status_bounds = _cumulative(STATUSES)
        core_weights = tuple((key, share) for key, share, _lo, _hi in CORE_UNITS)
        self.core_keys, self.core_bounds = _cumulative(core_weights)
        self.core_ages = {key: (lo, hi) for key, _share, lo, hi in CORE_UNITS}
        self.places = {key: self._place(key) for key in world.units if key.split(".")[0] in UNIT_PLACE}
        self.places["af.ludvika"] = self._place("af.ludvika", place="ludvika")
        self.national: list[_Place] = []
        if count > CORE_PERSONS:
            self.national = [
                _Place(unit.pk, "", m.code, m.name, "") for unit, m in ensure_national_units() if m.code != "2085"
            ]
            # Ludvika keeps its demo unit, so coach.ludvika's unit sees its share of the nation too.
            self.national.append(self.places["ludvika.ame"])
        # Each unit's demo caseworker (coach.ludvika, kaa.ludvika, af.ludvika, coach.leksand, ...).
        self.coaches: dict[str, int] = {}
        for spec in DEMO_USERS:
            if spec.unit and spec.role in CASEWORK_ROLES:
                self.coaches.setdefault(spec.unit, world.users[spec.username].pk)
        self.caseload_left = CASELOAD_SIZE
        assert world.import_user is not None
        self.import_user_id = world.import_user.pk
        self.used_numbers: set[str] = {
            number for number in Person.objects.values_list("id_number", flat=True) if number is not None
        }
        self.email_serial = 0

    def _place(self, unit_key: str, *, place: str | None = None) -> _Place:
        org_key = place or unit_key.split(".")[0]
        code, city, prefix = UNIT_PLACE[org_key]
        return _Place(self.world.units[unit_key].pk, org_key, code, city, prefix)

    # --- random helpers -----------------------------------------------------------------

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _pick(self, values: list[str], bounds: list[float]) -> str:
        r = self.rng.random()
        for value, bound in zip(values, bounds, strict=True):
            if r < bound:
                return value
        return values[-1]

    def _birth_date(self, youngest: int, oldest: int) -> dt.date:
        latest = years_after(self.today, -youngest)
        earliest = years_after(self.today, -(oldest + 1)) + dt.timedelta(days=1)
        return dt.date.fromordinal(self.rng.randint(earliest.toordinal(), latest.toordinal()))

    def _identity(self, birth: dt.date, legal_sex: str) -> tuple[str, str | None]:
        r = self.rng.random()
        if r < 0.02:
            return IdentityType.NONE, None
        coordination = r < 0.07
        day = birth.day + 60 if coordination else birth.day
        parity = (1, 3, 5, 7, 9) if legal_sex == "M" else (0, 2, 4, 6, 8)
        while True:
            serial = self.rng.randrange(0, 100) * 10 + self.rng.choice(parity)
            if serial == 0:
                continue
            nine = f"{birth:%y%m}{day:02d}{serial:03d}"
            digits = f"{birth.year // 100}{nine}{luhn_check_digit(nine)}"
            if digits not in self.used_numbers:
                self.used_numbers.add(digits)
                kind = IdentityType.SAMORDNINGSNUMMER if coordination else IdentityType.PERSONNUMMER
                return kind, digits

    def _dates(self, project: Project, birth: dt.date, status: str) -> tuple[dt.date, dt.date | None]:
        today = self.today
        project_end = project.ends_on or years_after(today, 5)
        if status == EnrolmentStatus.PLANNED:
            starts = min(today + dt.timedelta(days=self.rng.randint(1, 45)), project_end)
            return starts, None
        earliest = max(project.starts_on, years_after(birth, 16), years_after(today, -4))
        latest = min(today, project_end)
        if project.pk == self.world.projects["kaa"].pk:
            latest = min(latest, years_after(birth, 20))  # KAA ends when the young person turns 20
        earliest = min(earliest, latest)
        starts = dt.date.fromordinal(self.rng.randint(earliest.toordinal(), latest.toordinal()))
        if status != EnrolmentStatus.ENDED:
            return starts, None
        ends = dt.date.fromordinal(self.rng.randint(starts.toordinal(), max(starts, latest).toordinal()))
        return starts, ends

    # --- building -----------------------------------------------------------------------

    def _plan(self, unit_key: str, age: int) -> list[tuple[str, str, str | None]]:
        """(unit key, project key, method key) for the person's enrolments, the main one first."""
        rng, org = self.rng, unit_key.split(".")[0]
        plans: list[tuple[str, str, str | None]] = []
        if unit_key in ("ludvika.ame", "smedjebacken.ame"):
            if rng.random() < 0.35:
                plans.append((unit_key, "2cs", "2cs"))
            else:
                plans.append((unit_key, "unga", rng.choice(("ips", "mi", None))))
            if unit_key == "ludvika.ame" and 20 <= age <= 22 and rng.random() < 0.3:
                plans.append(("ludvika.kaa", "kaa", "mi"))  # handed over from KAA at 20
            elif rng.random() < 0.25:
                plans.append(("af.ludvika", "unga", "ips"))
        elif unit_key == "ludvika.kaa":
            plans.append((unit_key, "kaa", "mi"))
            if rng.random() < 0.1:
                plans.append(("af.ludvika", "unga", "ips"))
        elif unit_key == "ludvika.ifo":
            plans.append((unit_key, "unga", rng.choice(("mi", None))))
            if rng.random() < 0.5:
                plans.append(("ludvika.ame", "unga", "ips"))
        elif org in REDONU_METHOD:
            if age >= 20 and rng.random() < 0.85:
                plans.append((unit_key, "redonu", REDONU_METHOD[org]))
                if rng.random() < 0.3:
                    plans.append((unit_key, "unga", None))
            else:
                plans.append((unit_key, "unga", None))
        elif unit_key == "af.ludvika":
            plans.append((unit_key, "2cs" if rng.random() < 0.4 else "unga", "ips"))
            if rng.random() < 0.3:
                plans.append(("ludvika.ame", "unga", rng.choice(("ips", "mi"))))
        else:  # flen.ame and the national units
            plans.append((unit_key, "unga", None))
        return plans

    def _person(self, batch: PersonBatch, place: _Place, unit_key: str, youngest: int, oldest: int) -> None:
        rng = self.rng
        birth = self._birth_date(youngest, oldest)
        gender = self._pick(self.genders, self.gender_bounds)
        if gender == Gender.WOMAN:
            sex = "F" if rng.random() < 0.97 else "M"
            first = rng.choice(self.female_names)
        elif gender == Gender.MAN:
            sex = "M" if rng.random() < 0.97 else "F"
            first = rng.choice(self.male_names)
        else:
            sex = rng.choice("MF")
            first = rng.choice(self.female_names if rng.random() < 0.5 else self.male_names)
        last = rng.choice(self.last_names)
        id_type, id_number = self._identity(birth, sex)
        r = rng.random()
        protection = (
            Protection.CONFIDENTIALITY_MARK
            if r < 0.008
            else Protection.PROTECTED_REGISTRATION
            if r < 0.015
            else Protection.NONE
        )
        address = postal_code = city = ""
        if protection != Protection.PROTECTED_REGISTRATION and rng.random() < 0.92:
            address = f"{rng.choice(self.streets)} {rng.randint(1, 60)}"
            prefix = place.postcode_prefix or str(rng.randint(100, 989))
            postal_code = f"{prefix}{rng.randint(10, 99)}"
            city = place.city
        phone = f"070-174 06 {rng.randint(5, 99):02d}" if rng.random() < 0.85 else ""
        email = ""
        if rng.random() < 0.55:
            self.email_serial += 1
            local = f"{first.casefold().translate(_ASCII)}.{last.casefold().translate(_ASCII)}{self.email_serial}"
            email = f"{local}@example.com"
        home = place.municipality_code
        if place.org_key == "ludvika" and unit_key == "af.ludvika" and rng.random() < 0.3:
            home = "2061"  # Arbetsförmedlingen in Ludvika also serves Smedjebacken
        person_id = self._uuid()
        batch.persons.append(
            _PERSON(
                person_id,
                place.unit_id,
                id_type,
                id_number,
                first,
                last,
                first.casefold(),  # bulk_create does not call Person.save(), which sets the keys
                last.casefold(),
                birth,
                "" if id_number is None else sex,
                gender,
                protection,
                address,
                postal_code,
                city,
                phone,
                email,
                home,
            )
        )
        age = self.today.year - birth.year - ((self.today.month, self.today.day) < (birth.month, birth.day))
        creator = None
        for index, (enrol_unit, project_key, method_key) in enumerate(self._plan(unit_key, age)):
            project = self.world.projects[project_key]
            status: str
            if project_key == "kaa" and enrol_unit != unit_key:
                status = EnrolmentStatus.ENDED  # the KAA enrolment before the hand-over
            else:
                status = self._pick(self.statuses, self.status_bounds)
            starts, ends = self._dates(project, birth, status)
            coach_id = self.coaches.get(enrol_unit)
            if enrol_unit == "ludvika.ame":
                if status == EnrolmentStatus.ENDED or self.caseload_left <= 0:
                    coach_id = None
                else:
                    self.caseload_left -= 1
            enrolment_id = self._uuid()
            batch.enrolments.append(
                _ENROLMENT(
                    enrolment_id,
                    person_id,
                    project.pk,
                    place.unit_id if index == 0 else self.world.units[enrol_unit].pk,
                    coach_id,
                    self.world.methods[method_key].pk if method_key else None,
                    status,
                    starts,
                    ends,
                )
            )
            changed_by = coach_id or self.import_user_id
            creator = creator or changed_by
            batch.enrolment_changes.append(
                _ENROLMENT_CHANGE(enrolment_id, changed_by, "created", {"status": ["", STATUS_LABELS[status]]})
            )
        batch.person_changes.append(_PERSON_CHANGE(person_id, creator or self.import_user_id, "created"))

    def batches(self, *, batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[PersonBatch]:
        core = min(self.count, CORE_PERSONS)
        batch = PersonBatch()
        for index in range(self.count):
            if index < core:
                unit_key = self._pick(self.core_keys, self.core_bounds)
                youngest, oldest = self.core_ages[unit_key]
                place = self.places[unit_key]
            else:
                unit_key, youngest, oldest = "national", 16, 29
                place = self.rng.choice(self.national)
                if place.org_key == "ludvika":
                    unit_key = "ludvika.ame"
            self._person(batch, place, unit_key, youngest, oldest)
            if len(batch.persons) >= batch_size:
                yield batch
                batch = PersonBatch()
        if batch.persons:
            yield batch


def insert_batch(batch: PersonBatch) -> None:
    """Write one batch in one transaction."""
    with transaction.atomic():
        Person.objects.bulk_create(batch.persons, batch_size=INSERT_CHUNK)
        Enrolment.objects.bulk_create(batch.enrolments, batch_size=INSERT_CHUNK)
        PersonChange.objects.bulk_create(batch.person_changes, batch_size=INSERT_CHUNK)
        EnrolmentChange.objects.bulk_create(batch.enrolment_changes, batch_size=INSERT_CHUNK)


@contextmanager
def bulk_load_settings() -> Iterator[None]:
    """Settings for loading many rows, restored afterwards.

    The cyclic garbage collector is paused: the rows hold no reference cycles (reference
    counting frees each batch), and its scans of millions of short-lived objects cost
    about a seventh of the time. SQLite gets a larger page cache (per connection).
    """
    gc_was_enabled = gc.isenabled()
    gc.disable()
    previous = None
    try:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size")
                (previous,) = cursor.fetchone()
                cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB
        yield
    finally:
        if previous is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(previous)}")
        if gc_was_enabled:
            gc.enable()


def analyze() -> None:
    """Refresh the query planner's statistics after a bulk load.

    Without them SQLite assumes `merged_into_id IS NULL` is selective and walks that index
    instead of the name-prefix indexes, which makes name search scan every person.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def generate_persons(
    *,
    world: DemoWorld,
    count: int,
    seed: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
    today: dt.date | None = None,
) -> GenerationResult:
    """Generate `count` persons with 1–2 enrolments each; returns what was written and how fast."""
    started, cpu_started = time.perf_counter(), time.process_time()
    persons = enrolments = rows = 0
    with bulk_load_settings():
        generator = PersonGenerator(world=world, count=count, seed=seed, today=today)
        for batch in generator.batches(batch_size=batch_size):
            insert_batch(batch)
            persons += len(batch.persons)
            enrolments += len(batch.enrolments)
            rows += batch.rows
            if progress is not None:
                progress(persons, count)
    analyze()
    return GenerationResult(
        persons=persons,
        enrolments=enrolments,
        rows=rows,
        seconds=time.perf_counter() - started,
        cpu_seconds=time.process_time() - cpu_started,
    )
