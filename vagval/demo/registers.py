"""Demo register imports and outreach: Ludvika's KAA/UVAS target group and the work that reaches it.

kaa.ludvika, the KAA-ansvarig of Ludvika kommun, imports two snapshots of the municipality's
population extract (befolkning) and studies extract (studier): an older one about three months
ago and the current one today. The extracts hold the demo persons who live in Ludvika and are
16–29, plus about 150 young people aged 16–24 whom no unit knows yet. Between the snapshots a
few move away, a few start upper secondary school, a few drop out, a few move in and a few turn
20, so the KAA and UVAS lists show persons who left and why. In between, kaa.ludvika tries to
reach the young people on the lists: contact attempts (some never contacted, some later than
the five-working-day target), occupation entries and KAA measures.

Everything goes through the services as kaa.ludvika from 127.0.0.1, with
django.utils.timezone.now patched to the moment each step "happened" (vagval.demo.timeline,
as in vagval.demo.activity), so the imports, the lists and the access log look like three months of
real work. The files are written in memory and are entirely synthetic: names from Faker's
Swedish lists (the same pools as the demo persons), identity numbers with valid check digits,
fictitious phone numbers and no e-mail addresses.

Deterministic for a seed (dates relative to today). Only for small demos (at most
ACTIVITY_MAX_PERSONS persons).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from random import Random

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from vagval.accounts.models import User
from vagval.audit.services import AccessContext
from vagval.common.workdays import add_working_days
from vagval.demo.activity import CLIENT_ADDRESS
from vagval.demo.persons import faker_pools
from vagval.demo.timeline import Timeline, clock_at, working_day_on_or_before, years_after
from vagval.demo.world import DemoWorld
from vagval.kaa.models import Measure, Responsible
from vagval.kaa.services import MeasureData, measure_create, measure_update
from vagval.organisations.models import Unit
from vagval.outreach.models import Channel, ContactAttempt, Occupation, OccupationCategory, OccupationSource, Outcome
from vagval.outreach.services import ContactData, OccupationData, contact_attempt_record, occupation_record
from vagval.people.models import Enrolment, EnrolmentStatus, IdentityType, Person, Protection
from vagval.registers.importing.samples import POPULATION_HEADER, STUDY_HEADER, csv_bytes, identity_number
from vagval.registers.models import ImportKind, ImportStatus, RegisterImport
from vagval.registers.services import register_import_create, register_import_run
from vagval.targetgroup.models import Episode, TargetList

KOMMUNKOD = "2085"
KAA_USERNAME = "kaa.ludvika"
KAA_UNIT = "ludvika.kaa"
EXTRA_PERSONS = 150
SNAPSHOT_DAYS_AGO = 91  # the older snapshot, about three months ago
MOVED_KAA, MOVED_UVAS = 3, 2
STARTED_GY = 4
MOVED_IN = 3
UVAS_WORKED = 15  # UVAS candidates (20–24, not known to anyone) whom kaa.ludvika tries to reach

NATIONAL_PROGRAMMES = ("BA", "BF", "EE", "EK", "ES", "FT", "HA", "HU", "HT", "IN", "NA", "RL", "SA", "TE", "VF", "VO")
IM_PROGRAMMES = ("IMYRK", "IMSPR", "IMIND", "IMPRO")
GYMNASIUM = "Ludvika gymnasium"
IM_SCHOOL = "VBU Introduktionsprogrammen"
KOMVUX_SCHOOL = "Vuxenutbildningen Västerbergslagen"
FHS_SCHOOL = "Folkhögskolan i Bergslagen (fiktiv)"
HS_SCHOOL = "Högskolan Dalarna"
STREET_POSTCODE = "771"

# (channel, outcome, note) in order; the young person is reached at the first "nådd".
CONTACT_SCRIPTS: tuple[tuple[tuple[str, str, str], ...], ...] = (
    ((Channel.PHONE, Outcome.REACHED, "Pratade med {first}. Vi bokade ett möte nästa vecka."),),
    (
        (Channel.SMS, Outcome.NOT_REACHED, "Sms om att vi vill träffas."),
        (Channel.PHONE, Outcome.REACHED, "{first} ringde tillbaka och vill träffas."),
    ),
    (
        (Channel.LETTER, Outcome.NOT_REACHED, "Brev med erbjudande om samtal."),
        (Channel.PHONE, Outcome.NOT_REACHED, "Inget svar, lämnade ett meddelande."),
        (Channel.HOME_VISIT, Outcome.REACHED, "Hembesök. {first} var hemma och vi pratade en stund."),
    ),
    (
        (Channel.PHONE, Outcome.WRONG_DETAILS, "Numret går till någon annan."),
        (Channel.VIA_SCHOOL, Outcome.REACHED, "Fick kontakt med {first} via mentorn på skolan."),
    ),
    (
        (Channel.EMAIL, Outcome.NOT_REACHED, "Mejl med information om vad vi kan erbjuda."),
        (Channel.PHONE, Outcome.DECLINED, "{first} vill inte ha stöd just nu. Vi hör av oss igen om en månad."),
    ),
    ((Channel.VIA_AGENCY, Outcome.REACHED, "Kontakt via Arbetsförmedlingen, där {first} är inskriven."),),
    (
        (Channel.LETTER, Outcome.NOT_REACHED, "Brev med erbjudande om samtal."),
        (Channel.SMS, Outcome.NOT_REACHED, "Sms utan svar."),
    ),
)
# Scripts without a letter or home visit, for a person with protected personal data.
PROTECTED_SCRIPTS = (0, 1, 5)
MOVED_SCRIPT = ((Channel.LETTER, Outcome.WRONG_DETAILS, "Brevet kom tillbaka: okänd adress."),)
LATER_CONTACT = (Channel.PHONE, Outcome.REACHED, "Uppföljande samtal med {first}.")

# (category, source, description) once the young person is reached.
OCCUPATIONS: tuple[tuple[str, str, str], ...] = (
    (OccupationCategory.NONE, OccupationSource.YOUNG_PERSON, "Är hemma på dagarna."),
    (OccupationCategory.WORK, OccupationSource.YOUNG_PERSON, "Extrajobb i en butik några timmar i veckan."),
    (OccupationCategory.OTHER_OCCUPATION, OccupationSource.YOUNG_PERSON, "Tränar och hjälper till hemma."),
    (OccupationCategory.PLACEMENT, OccupationSource.EMPLOYMENT_SERVICE, "Praktik via Arbetsförmedlingen."),
    (OccupationCategory.STUDIES_FOLK_HIGH_SCHOOL, OccupationSource.YOUNG_PERSON, "Allmän kurs på folkhögskolan."),
    (OccupationCategory.STUDIES_KOMVUX, OccupationSource.SCHOOL, "Läser svenska och matematik på Komvux."),
)
UVAS_OCCUPATIONS: tuple[tuple[str, str, str], ...] = (
    (OccupationCategory.WORK, OccupationSource.EMPLOYMENT_SERVICE, "Visstidsanställning på ett lager."),
    (OccupationCategory.NONE, OccupationSource.YOUNG_PERSON, "Söker jobb på egen hand."),
    (OccupationCategory.UNKNOWN, OccupationSource.REGISTER, ""),
    (OccupationCategory.PLACEMENT, OccupationSource.EMPLOYMENT_SERVICE, "Arbetsmarknadsutbildning inom vården."),
)

# (kind, content, responsible, responsible actor)
MEASURES: tuple[tuple[str, str, str, str], ...] = (
    (
        "vagledning",
        "Samtal med studie- och yrkesvägledare om att börja på gymnasiet igen.",
        Responsible.MUNICIPALITY,
        "",
    ),
    ("motiverande_samtal", "Motiverande samtal varannan vecka med KAA-samordnaren.", Responsible.MUNICIPALITY, ""),
    ("praktik", "Praktik på kommunens återbruk tre dagar i veckan.", Responsible.MUNICIPALITY, ""),
    (
        "praktik",
        "Praktik i verkstaden med handledare.",
        Responsible.OTHER_ACTOR,
        "Bergslagens Verkstäder AB (fiktivt företag)",
    ),
    (
        "studier_im",
        "Introduktionsprogram, individuellt alternativ.",
        Responsible.OTHER_ACTOR,
        "Västerbergslagens utbildningscentrum",
    ),
    ("annan", "Skriva CV och söka sommarjobb på egen hand.", Responsible.YOUNG_PERSON, ""),
)
MEASURE_END_REASONS = (
    "Insatsen är genomförd.",
    "Den unga avbröt insatsen.",
    "Den unga fick ett arbete.",
    "Praktikplatsen kunde inte ta emot fler.",
)
STARTED_GY_REASON = "Den unga började på gymnasiet."
DECLINED_REASON = "Den unga tackade nej till erbjudandet."


@dataclass(frozen=True)
class RegistersResult:
    imports: int  # import records with status DONE
    kaa: int  # persons on the KAA list now (open episodes)
    uvas: int  # persons on the UVAS list now
    left: int  # episodes closed (moved, started studies, turned 20, ...)
    contacts: int
    occupations: int
    measures: int
    refused: int  # service calls refused (should be 0: each is a bug in this module)
    seconds: float


# --- The young people in the extracts ---------------------------------------------------------


@dataclass
class _Study:
    """One study as it really goes; a snapshot shows it as it stood on its reference date."""

    form: str
    programme: str
    school: str
    start: dt.date
    end: dt.date | None  # None: still studying
    final: str = "pagaende"  # the status once ended

    def row_on(self, day: dt.date) -> tuple[str, str, str, str, str, str] | None:
        if self.start > day:
            return None
        if self.end is None or self.end > day:
            return (self.form, self.programme, self.school, "pagaende", self.start.isoformat(), "")
        return (self.form, self.programme, self.school, self.final, self.start.isoformat(), self.end.isoformat())


@dataclass
class _Young:
    number: str  # 12 digits
    first: str
    last: str
    birth: dt.date
    address: str = ""
    postal_code: str = ""
    city: str = ""
    protected: bool = False
    phone: str = ""
    studies: list[_Study] = field(default_factory=list)
    known: bool = False  # an existing demo person
    in_then: bool = True
    in_now: bool = True

    def population_row(self) -> list[str]:
        number = f"{self.number[:8]}-{self.number[8:]}"
        postcode = f"{self.postal_code[:3]} {self.postal_code[3:]}" if len(self.postal_code) == 5 else ""
        return [
            number,
            self.first,
            self.last,
            self.address,
            postcode,
            self.city,
            KOMMUNKOD,
            "J" if self.protected else "N",
            self.phone,
            "",  # epost: the demo gives none
        ]

    def study_rows(self, day: dt.date) -> Iterator[list[str]]:
        number = f"{self.number[:8]}-{self.number[8:]}"
        for study in self.studies:
            row = study.row_on(day)
            if row is not None:
                form, programme, school, status, start, end = row
                yield [number, form, programme, school, status, start, end]


def _age(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _term_start(year: int) -> dt.date:
    """The autumn term's first day: the Monday on or after 15 August."""
    day = dt.date(year, 8, 15)
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def _graduation(year: int) -> dt.date:
    return working_day_on_or_before(dt.date(year, 6, 12))


def _day_between(rng: Random, earliest: dt.date, latest: dt.date) -> dt.date:
    latest = max(earliest, latest)
    return dt.date.fromordinal(rng.randint(earliest.toordinal(), latest.toordinal()))


class _Population:
    """Decides, from a seed, who is in Ludvika's extracts and what their studies are."""

    def __init__(self, *, rng: Random, seed: int, today: dt.date, then: dt.date) -> None:
        self.rng, self.today, self.then = rng, today, then
        self.female, self.male, self.last_names, self.streets = faker_pools(seed)
        self.used: set[str] = {n for n in Person.objects.values_list("id_number", flat=True) if n}
        self.phone_serial = 0

    # --- studies ------------------------------------------------------------------------

    def national(self, birth: dt.date, *, final: str = "examen") -> _Study:
        start = _term_start(birth.year + 16)
        return _Study("GY", self.rng.choice(NATIONAL_PROGRAMMES), GYMNASIUM, start, _graduation(birth.year + 19), final)

    def dropout(self, birth: dt.date, *, earliest: dt.date, latest: dt.date, form: str = "GY") -> _Study | None:
        start = _term_start(birth.year + 16)
        earliest = max(earliest, start + dt.timedelta(days=30))
        if earliest > latest:
            return None
        programme = self.rng.choice(NATIONAL_PROGRAMMES if form == "GY" else IM_PROGRAMMES)
        school = GYMNASIUM if form == "GY" else IM_SCHOOL
        return _Study(form, programme, school, start, _day_between(self.rng, earliest, latest), "avbrott")

    def im(self, birth: dt.date) -> _Study:
        start = _term_start(birth.year + 16)
        return _Study("IM", self.rng.choice(IM_PROGRAMMES), IM_SCHOOL, start, None)

    def adult(self, form: str, school: str) -> _Study:
        start = _day_between(self.rng, self.today - dt.timedelta(days=400), self.then - dt.timedelta(days=10))
        return _Study(form, "", school, start, None)

    def teenager(self, birth: dt.date, weights: Sequence[tuple[str, float]]) -> list[_Study]:
        """The studies of a 16–19-year-old, by kind: national, dropout, im, never, studiebevis."""
        kind = self._weighted(weights)
        if _term_start(birth.year + 16) > self.then and kind != "never":
            kind = "national"  # just started upper secondary school
        if kind == "national":
            return [self.national(birth)]
        if kind == "studiebevis" and _graduation(birth.year + 19) < self.then:
            return [self.national(birth, final="studiebevis")]
        if kind in ("dropout", "studiebevis"):
            # Dropped out in the last year (before the older snapshot, so both show it).
            study = self.dropout(birth, earliest=self.today - dt.timedelta(days=365), latest=self.then)
            return [study] if study else [self.im(birth)]
        if kind == "im":
            return [self.im(birth)]
        return []

    def grown_up(self, birth: dt.date) -> list[_Study]:
        """The studies of a 20–29-year-old: upper secondary school long ago, perhaps adult studies now."""
        rng = self.rng
        studies: list[_Study] = []
        r = rng.random()
        if r < 0.55:
            studies.append(self.national(birth))
        elif r < 0.75:
            studies.append(self.national(birth, final="studiebevis"))
        elif r < 0.88:
            year = birth.year + 16 + rng.randint(0, 2)
            start = _term_start(birth.year + 16)
            studies.append(
                _Study("GY", rng.choice(NATIONAL_PROGRAMMES), GYMNASIUM, start, _graduation(year + 1), "avbrott")
            )
        r = rng.random()
        if r < 0.25:
            studies.append(self.adult("KOMVUX", KOMVUX_SCHOOL))
        elif r < 0.29:
            studies.append(self.adult("FHS", FHS_SCHOOL))
        elif r < 0.32:
            studies.append(self.adult("HS", HS_SCHOOL))
        return studies

    def _weighted(self, weights: Sequence[tuple[str, float]]) -> str:
        r = self.rng.random() * sum(w for _k, w in weights)
        for kind, weight in weights:
            r -= weight
            if r < 0:
                return kind
        return weights[-1][0]

    # --- persons ------------------------------------------------------------------------

    def known(self, person: Person, *, kaa_client: bool) -> _Young:
        assert person.id_number is not None
        assert person.birth_date is not None
        young = _Young(
            number=person.id_number,
            first=person.first_name,
            last=person.last_name,
            birth=person.birth_date,
            address=person.address,
            postal_code=person.postal_code,
            city=person.city,
            protected=person.protection != Protection.NONE,
            known=True,
        )
        if _age(person.birth_date, self.today) >= 20:
            young.studies = self.grown_up(person.birth_date)
        elif kaa_client:
            weights: Sequence[tuple[str, float]] = (
                ("dropout", 0.5),
                ("never", 0.08),
                ("studiebevis", 0.15),
                ("im", 0.12),
                ("national", 0.15),
            )
            young.studies = self.teenager(person.birth_date, weights)
        else:
            weights = (("national", 0.5), ("dropout", 0.3), ("im", 0.12), ("never", 0.05), ("studiebevis", 0.03))
            young.studies = self.teenager(person.birth_date, weights)
        return young

    def extra(self, *, birth: dt.date | None = None, coordination: bool = False, protected: bool = False) -> _Young:
        rng = self.rng
        if birth is None:
            youngest, oldest = (16, 19) if rng.random() < 0.75 else (20, 24)
            latest = years_after(self.today, -youngest)
            earliest = years_after(self.today, -(oldest + 1)) + dt.timedelta(days=1)
            birth = _day_between(rng, earliest, latest)
        woman = rng.random() < 0.5
        first = rng.choice(self.female if woman else self.male)
        last = rng.choice(self.last_names)
        number = self._number(birth, woman=woman, coordination=coordination)
        young = _Young(number=number, first=first, last=last, birth=birth, protected=protected)
        if not protected:
            young.address = f"{rng.choice(self.streets)} {rng.randint(1, 60)}"
            young.postal_code = f"{STREET_POSTCODE}{rng.randint(30, 99)}"
            young.city = "Ludvika"
            if rng.random() < 0.7:
                self.phone_serial += 1
                young.phone = f"070-174 06 {5 + self.phone_serial % 95:02d}"
        if _age(birth, self.today) >= 20:
            young.studies = self.grown_up(birth)
        else:
            weights = (("national", 0.75), ("dropout", 0.1), ("im", 0.08), ("studiebevis", 0.03), ("never", 0.04))
            young.studies = self.teenager(birth, weights)
        return young

    def _number(self, birth: dt.date, *, woman: bool, coordination: bool) -> str:
        while True:
            serial = self.rng.randrange(1, 100) * 10 + self.rng.choice((0, 2, 4, 6, 8) if woman else (1, 3, 5, 7, 9))
            number = identity_number(birth, serial, coordination=coordination)
            if number not in self.used:
                self.used.add(number)
                return number


def _number(episode: Episode) -> str:
    return episode.person.id_number or ""


# --- Building -----------------------------------------------------------------------------------


class RegistersBuilder:
    def __init__(self, *, world: DemoWorld, seed: int = 1, now: dt.datetime | None = None) -> None:
        self.world = world
        self.seed = seed
        self.rng = Random(f"vagval-demo-registers-{seed}")
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self.then = working_day_on_or_before(self.today - dt.timedelta(days=SNAPSHOT_DAYS_AGO))
        self.user: User = world.users[KAA_USERNAME]
        self.unit: Unit = world.units[KAA_UNIT]
        self.ctx = AccessContext(user=self.user, client_address=CLIENT_ADDRESS)
        self.population = _Population(rng=self.rng, seed=seed, today=self.today, then=self.then)
        self.youngs: list[_Young] = []
        self.timeline = Timeline(now=self.now)
        self.declined_done = False

    # --- the extracts -------------------------------------------------------------------

    def gather(self) -> None:
        """The demo persons living in Ludvika aged 16–29, and the young people nobody knows yet."""
        kaa_clients = set(
            Enrolment.objects.filter(unit=self.unit)
            .exclude(status=EnrolmentStatus.ENDED)
            .values_list("person_id", flat=True)
        )
        oldest = years_after(self.today, -30) + dt.timedelta(days=1)
        youngest = years_after(self.today, -16)
        persons = (
            Person.objects.filter(
                home_municipality_id=KOMMUNKOD,
                merged_into__isnull=True,
                id_number__isnull=False,
                id_type__in=(IdentityType.PERSONNUMMER, IdentityType.SAMORDNINGSNUMMER),
                birth_date__gte=oldest,
                birth_date__lte=youngest,
            )
            .only(
                "id",
                "id_number",
                "first_name",
                "last_name",
                "birth_date",
                "address",
                "postal_code",
                "city",
                "protection",
            )
            .order_by("id_number")
        )
        pop = self.population
        self.youngs = [pop.known(p, kaa_client=p.pk in kaa_clients) for p in persons]
        extras = [pop.extra(coordination=i % 50 == 7, protected=i % 40 == 11) for i in range(EXTRA_PERSONS)]
        # Four who are 19: two turned 20 since the older snapshot, two turn 20 within a month.
        for days in (-20, -55, 9, 24):
            birth = years_after(self.today + dt.timedelta(days=days), -20)
            young = pop.extra(birth=birth)
            young.studies = [
                s
                for s in [pop.dropout(birth, earliest=self.today - dt.timedelta(days=420), latest=self.then)]
                if s is not None
            ]
            extras.append(young)
        # A few drop out of upper secondary school between the snapshots.
        studying = [y for y in extras if len(y.studies) == 1 and y.studies[0].final == "examen"]
        studying = [
            y for y in studying if y.studies[0].start < self.then and (y.studies[0].end or self.today) > self.today
        ]
        for young in self.rng.sample(studying, min(3, len(studying))):
            study = young.studies[0]
            study.end, study.final = (
                _day_between(self.rng, self.then + dt.timedelta(days=14), self.today - dt.timedelta(days=14)),
                "avbrott",
            )
        # A few move in after the older snapshot, without studies here.
        for _ in range(MOVED_IN):
            birth = _day_between(self.rng, years_after(self.today, -19), years_after(self.today, -17))
            young = pop.extra(birth=birth)
            young.studies = []
            young.in_then = False
            extras.append(young)
        self.youngs.extend(extras)

    def population_file(self, *, now: bool) -> bytes:
        rows = [y.population_row() for y in self.youngs if (y.in_now if now else y.in_then)]
        return csv_bytes(POPULATION_HEADER, rows)

    def studies_file(self, *, now: bool) -> bytes:
        day = self.today if now else self.then
        rows = [row for y in self.youngs if (y.in_now if now else y.in_then) for row in y.study_rows(day)]
        return csv_bytes(STUDY_HEADER, rows)

    def run_import(self, kind: ImportKind, data: bytes, *, day: dt.date) -> RegisterImport:
        name = f"{kind}-{KOMMUNKOD}-{day.isoformat()}.csv"
        imp = register_import_create(
            ctx=self.ctx, kind=kind, file=ContentFile(data, name=name), original_name=name, reference_date=day
        )
        return register_import_run(import_id=imp.pk)

    def import_then(self) -> None:
        when = timezone.make_aware(dt.datetime.combine(self.then, dt.time(8, 12)))
        # The lists are computed after the studies extract (the import does not compute them
        # from a first population extract alone).
        with clock_at(when):
            self.run_import(ImportKind.POPULATION, self.population_file(now=False), day=self.then)
        with clock_at(when + dt.timedelta(minutes=4)):
            self.run_import(ImportKind.STUDIES, self.studies_file(now=False), day=self.then)

    def import_now(self) -> None:
        self.run_import(ImportKind.POPULATION, self.population_file(now=True), day=self.today)
        self.run_import(ImportKind.STUDIES, self.studies_file(now=True), day=self.today)

    # --- what happens between the snapshots ---------------------------------------------

    def changes(self, episodes: list[Episode]) -> tuple[set[str], set[str]]:
        """Who moves away and who starts upper secondary school; returns their numbers."""
        extras = {y.number: y for y in self.youngs if not y.known and y.in_then}
        # Not those who turn 20 around now: they show the turn to UVAS instead.
        adult_soon = years_after(self.today + dt.timedelta(days=60), -20)
        kaa = sorted(
            _number(e)
            for e in episodes
            if e.target_list == TargetList.KAA
            and _number(e) in extras
            and e.person.birth_date is not None
            and e.person.birth_date > adult_soon
        )
        uvas = sorted(_number(e) for e in episodes if e.target_list == TargetList.UVAS and _number(e) in extras)
        moved = set(self.rng.sample(kaa, min(MOVED_KAA, len(kaa))))
        moved |= set(self.rng.sample(uvas, min(MOVED_UVAS, len(uvas))))
        for number in moved:
            extras[number].in_now = False
        by_number = {y.number: y for y in self.youngs}
        teenagers = sorted(
            _number(e)
            for e in episodes
            if e.target_list == TargetList.KAA
            and _number(e) not in moved
            and e.person.birth_date is not None
            and e.person.birth_date > years_after(self.today, -19)
        )
        started = set(self.rng.sample(teenagers, min(STARTED_GY, len(teenagers))))
        for number in sorted(started):
            start = _day_between(self.rng, self.then + dt.timedelta(days=20), self.today - dt.timedelta(days=25))
            by_number[number].studies.append(_Study("GY", self.rng.choice(NATIONAL_PROGRAMMES), GYMNASIUM, start, None))
        return moved, started

    # --- outreach -----------------------------------------------------------------------

    def outreach(self, episodes: list[Episode], *, moved: set[str], started: set[str]) -> None:
        rng = self.rng
        kaa = [e for e in episodes if e.target_list == TargetList.KAA]
        extras = {y.number for y in self.youngs if not y.known}
        uvas = [e for e in episodes if e.target_list == TargetList.UVAS and e.person.id_number in extras]
        uvas = rng.sample(uvas, min(UVAS_WORKED, len(uvas)))
        for episode in kaa:
            number = episode.person.id_number or ""
            self._work(episode, moved=number in moved, started=number in started, measures=True)
        for episode in uvas:
            self._work(episode, moved=(episode.person.id_number or "") in moved, started=False, measures=False)

    def _work(self, episode: Episode, *, moved: bool, started: bool, measures: bool) -> None:
        rng, person = self.rng, episode.person
        if rng.random() < 0.35:
            # What the register says, recorded when the person was identified.
            self._at(
                add_working_days(self.then, 1),
                self._occupation(
                    person,
                    OccupationData(
                        category=OccupationCategory.NONE
                        if episode.open_code != "okand"
                        else OccupationCategory.UNKNOWN,
                        source=OccupationSource.REGISTER,
                        from_date=self.then,
                        description=f"Enligt registret: {episode.open_reason}"[:200],
                    ),
                ),
                hour=10,
            )
        if moved:
            day = add_working_days(self.then, rng.randint(2, 6))
            self._contacts(person, MOVED_SCRIPT, day)
            return
        r = rng.random()
        if r < 0.15 and not started:
            return  # never contacted
        delay = rng.randint(1, 4) if r < 0.7 else rng.randint(7, 25)  # some over the 5-working-day target
        day = add_working_days(self.then, delay)
        choices = PROTECTED_SCRIPTS if person.protection != Protection.NONE else range(len(CONTACT_SCRIPTS))
        script = CONTACT_SCRIPTS[rng.choice(list(choices))]
        reached = self._contacts(person, script, day)
        if reached is None:
            return
        if started:
            study_start = next(
                (s.start for y in self.youngs if y.number == person.id_number for s in y.studies if s.end is None),
                reached,
            )
            if study_start < self.today:
                self._at(
                    max(study_start, reached),
                    self._occupation(
                        person,
                        OccupationData(
                            OccupationCategory.STUDIES_NATIONAL,
                            OccupationSource.SCHOOL,
                            study_start,
                            description="Har börjat på gymnasiet.",
                        ),
                    ),
                    hour=11,
                )
        else:
            category, source, description = rng.choice(UVAS_OCCUPATIONS if not measures else OCCUPATIONS)
            self._at(
                reached,
                self._occupation(person, OccupationData(category, source, reached, description=description)),
                hour=14,
            )
            if measures and rng.random() < 0.2:
                term = dt.date(self.today.year + 1, 1, 11)
                data = OccupationData(
                    OccupationCategory.STUDIES_IM,
                    OccupationSource.SCHOOL,
                    term,
                    planned=True,
                    description="Börjar på introduktionsprogram efter jul.",
                )
                self._at(reached, self._occupation(person, data), hour=15)
        later = add_working_days(reached, rng.randint(15, 30))
        if later < self.today and rng.random() < 0.5:
            self._contacts(person, (LATER_CONTACT,), later)
        if measures and (started or rng.random() < 0.45):
            self._measure(person, reached, started=started)

    def _contacts(self, person: Person, script: Sequence[tuple[str, str, str]], day: dt.date) -> dt.date | None:
        """Schedule the attempts of a script from `day`; returns the day the person was reached."""
        for channel, outcome, note in script:
            if day >= self.today:
                return None
            data = ContactData(channel=channel, outcome=outcome, note=note.format(first=person.first_name))
            self._at(day, self._contact(person, data), hour=self.rng.randint(8, 15), minute=self.rng.randint(0, 59))
            if outcome == Outcome.REACHED:
                return day
            day = add_working_days(day, self.rng.randint(2, 6))
        return None

    def _measure(self, person: Person, reached: dt.date, *, started: bool) -> None:
        rng = self.rng
        start = add_working_days(reached, rng.randint(2, 10))
        if start >= self.today:
            return
        kind, content, responsible, actor = MEASURES[0] if started else rng.choice(MEASURES)
        data = MeasureData(
            kind=kind,
            content=content,
            responsible=responsible,
            responsible_name=actor,
            starts_on=start,
            ends_on=None,
            end_reason="",
            follow_up_on=None,
            declined=False,
        )
        if not self.declined_done and not started:
            self.declined_done = True
            declined = replace(data, ends_on=start, end_reason=DECLINED_REASON, declined=True)
            self._at(start, self._create_measure(person, declined), hour=13)
            return
        holder: dict[str, Measure] = {}
        r = rng.random()
        ending: MeasureData | None = None
        end_day: dt.date | None = None
        if started or r < 0.35:
            end_day = start + dt.timedelta(days=rng.randint(20, 60))
            reason = STARTED_GY_REASON if started else rng.choice(MEASURE_END_REASONS)
            if end_day >= self.today:
                end_day = self.today - dt.timedelta(days=1)
            end_day = max(end_day, start)
            ending = replace(data, ends_on=end_day, end_reason=reason)
        elif r < 0.85:
            data = replace(data, follow_up_on=start + dt.timedelta(days=rng.randint(30, 100)))
        self._at(start, self._create_measure(person, data, holder), hour=13)
        if ending is not None and end_day is not None:
            self._at(end_day, self._update_measure(ending, holder), hour=16)

    # --- scheduled service calls --------------------------------------------------------

    def _at(self, day: dt.date, action: Callable[[], object], *, hour: int = 9, minute: int = 0) -> None:
        if day < self.today:
            self.timeline.at(day, action, hour=hour, minute=minute)

    def _contact(self, person: Person, data: ContactData) -> Callable[[], object]:
        return lambda: contact_attempt_record(ctx=self.ctx, person_id=person.pk, data=data)

    def _occupation(self, person: Person, data: OccupationData) -> Callable[[], object]:
        return lambda: occupation_record(ctx=self.ctx, person_id=person.pk, data=data)

    def _create_measure(
        self, person: Person, data: MeasureData, holder: dict[str, Measure] | None = None
    ) -> Callable[[], object]:
        """Create the measure; `holder` keeps it for a later _update_measure."""

        def action() -> None:
            measure = measure_create(ctx=self.ctx, person=person, data=data)
            if holder is not None:
                holder["measure"] = measure

        return action

    def _update_measure(self, data: MeasureData, holder: dict[str, Measure]) -> Callable[[], object]:
        """Update the measure _create_measure put in `holder` (nothing if its creation was refused)."""

        def action() -> None:
            if "measure" in holder:
                measure_update(ctx=self.ctx, measure_id=holder["measure"].pk, data=data)

        return action

    # --- all of it ----------------------------------------------------------------------

    def open_episodes(self) -> list[Episode]:
        return list(
            Episode.objects.filter(unit=self.unit, closed_on__isnull=True)
            .select_related("person")
            .order_by("person__id_number", "target_list")
        )

    def build(self) -> None:
        self.gather()
        self.import_then()
        episodes = self.open_episodes()
        moved, started = self.changes(episodes)
        self.outreach(episodes, moved=moved, started=started)
        self.timeline.run()
        self.import_now()


def generate_registers(*, world: DemoWorld, seed: int = 1, now: dt.datetime | None = None) -> RegistersResult:
    """Two snapshots of Ludvika's extracts imported by kaa.ludvika, and three months of outreach."""
    started = time.perf_counter()
    unit = world.units[KAA_UNIT]
    before = _counts(unit)
    with transaction.atomic():
        builder = RegistersBuilder(world=world, seed=seed, now=now)
        builder.build()
    after = _counts(unit)
    episodes = Episode.objects.filter(unit=unit)
    return RegistersResult(
        imports=RegisterImport.objects.filter(unit=unit, status=ImportStatus.DONE).count() - before["imports"],
        kaa=episodes.filter(target_list=TargetList.KAA, closed_on__isnull=True).count(),
        uvas=episodes.filter(target_list=TargetList.UVAS, closed_on__isnull=True).count(),
        left=episodes.filter(closed_on__isnull=False).count(),
        contacts=after["contacts"] - before["contacts"],
        occupations=after["occupations"] - before["occupations"],
        measures=after["measures"] - before["measures"],
        refused=builder.timeline.refused,
        seconds=time.perf_counter() - started,
    )


def _counts(unit: Unit) -> dict[str, int]:
    return {
        "imports": RegisterImport.objects.filter(unit=unit, status=ImportStatus.DONE).count(),
        "contacts": ContactAttempt.objects.filter(unit=unit).count(),
        "occupations": Occupation.objects.filter(unit=unit).count(),
        "measures": Measure.objects.filter(unit=unit).count(),
    }
