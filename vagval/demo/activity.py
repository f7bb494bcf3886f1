"""Demo activity: consents, plans, referrals, journal notes, assessments and personal links.

After the persons are generated, the demo coaches do a year's work with some of them, so that
every feature has believable content: coach.ludvika's start page lists consents about to
expire, Arbetsförmedlingen Ludvika sees young people under consent and answers referrals (some
late), plans have goals in the young person's own words, and the project leader's cohort view
compares #redonu's methods.

Everything goes through the apps' services, as the acting demo user from 127.0.0.1, so the
records pass the same rules as the pages and the access log holds the entries a real year of
work would leave. To date the work over the past year, each service call runs with
django.utils.timezone.now patched (unittest.mock) to the moment it "happened": a referral
sent three weeks ago has its deadline three weeks ago, and its log entry says so. Only
`timezone.now` is patched; model fields whose default is the function itself (such as an
assessment response's "inskickat" time) keep the real time of the build.

Deterministic for a seed (the same people, texts and dates relative to today). Only run for
the small demo (at most ACTIVITY_MAX_PERSONS persons): national-scale data sets for
benchmarks get no activity.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from random import Random
from typing import Any

from django.db import transaction
from django.utils import timezone

from vagval.accounts.models import User
from vagval.assessments import services as assessment_services
from vagval.assessments.definitions import Definition, Item, definition_of
from vagval.assessments.models import (
    AssessmentLink,
    Instrument,
    InstrumentVersion,
    Respondent,
    Response,
    ResponseContext,
)
from vagval.assessments.selectors import cohort_progress
from vagval.audit.services import AccessContext
from vagval.consent.models import Consent, ConsentCategory, ConsentForm
from vagval.consent.services import ConsentData, consent_record, consent_withdraw
from vagval.demo.timeline import Timeline, working_day_on_or_after, working_day_on_or_before, years_after
from vagval.demo.world import DemoWorld
from vagval.journal.models import Note, NoteContext, NoteVisibility
from vagval.journal.services import NoteData, note_write
from vagval.organisations.models import Unit
from vagval.people.models import Enrolment, EnrolmentStatus, Person
from vagval.people.selectors import person_get
from vagval.plans.models import EndReason, Plan, PlanStep, ResponsibleKind
from vagval.plans.services import (
    GoalData,
    ParticipantData,
    PlanData,
    StepData,
    plan_create,
    plan_step_add,
    plan_step_end,
    plan_update,
)
from vagval.referrals.models import Referral
from vagval.referrals.services import (
    ReferralData,
    referral_accept,
    referral_add_info,
    referral_decline,
    referral_request_info,
    referral_send,
    referral_withdraw,
)

# Above this many persons (national-scale data for benchmarks) no activity is generated.
ACTIVITY_MAX_PERSONS = 5000
CLIENT_ADDRESS = "127.0.0.1"
DISTANCE_INSTRUMENT = "vagen-framat"

# Share of a caseload that each kind of work reaches, and at most how many. The default demo
# (1,000 persons) has about 185 young people in coach.ludvika's open caseload: about 40 of them
# consent to sharing with Arbetsförmedlingen, 60 have a plan, 45 have notes and 75 answer
# "Vägen framåt". Smaller demos get the same shares of their smaller caseloads.
LUDVIKA_CONSENTS = (0.21, 40)
LUDVIKA_PLANS = (0.32, 60)
LUDVIKA_NOTES = (0.25, 50)
LUDVIKA_ASSESSED = (0.42, 80)
SMEDJEBACKEN_CONSENTS = (0.06, 5)
SMEDJEBACKEN_PLANS = (0.07, 6)
SMEDJEBACKEN_NOTES = (0.07, 6)
SMEDJEBACKEN_ASSESSED = (0.09, 8)
KAA_NOTES = (0.11, 8)
EXPIRING_IN_DAYS = (4, 11, 19, 26)  # coach.ludvika's consents ending within 30 days
SIP_PLANS = 3
# Share of #redonu participants with a "Vägen framåt" series, and the share moving closer
# per municipality (each tries its own method).
REDONU_ASSESSED = 0.6
REDONU_CLOSER = {"leksand": 0.76, "rattvik": 0.64, "malung": 0.72, "alvdalen": 0.68}
LUDVIKA_CLOSER = 0.7

OPEN_STATUSES = (EnrolmentStatus.ACTIVE, EnrolmentStatus.PAUSED)

# Referral outcomes, most important first (smaller demos get the first ones). "info_pending" waits
# for the sender's answer past the deadline, so with the two "overdue" three are late.
LUDVIKA_REFERRALS = (
    "overdue",
    "accepted",
    "declined",
    "waiting",
    "overdue",
    "accepted",
    "waiting",
    "declined",
    "accepted",
    "info_accepted",
    "waiting",
    "declined",
    "accepted",
    "info_pending",
    "withdrawn",
)
SMEDJEBACKEN_REFERRALS = ("accepted", "waiting")


@dataclass(frozen=True)
class ActivityResult:
    consents: int
    plans: int
    plan_steps: int
    referrals: int
    notes: int
    responses: int
    links: int
    refused: int  # service calls refused (should be 0: each is a bug in this module)
    seconds: float


# --- Texts (synthetic, plain Swedish) -------------------------------------------------------------

CONSENT_PURPOSES = (
    "Samverkan med Arbetsförmedlingen kring planering mot arbete eller studier.",
    "Att Arbetsförmedlingen och kommunen tillsammans kan planera stöd till praktik och arbete.",
    "Gemensam planering inför arbetsmarknadsutbildning och sökande av arbete.",
    "Att Arbetsförmedlingen kan ta emot en remiss och delta i planeringen.",
)
SIP_PURPOSE = "Samordnad individuell plan (SIP) med socialtjänsten och Arbetsförmedlingen."
WITHDRAWAL_NOTE = "Den unga vill inte längre att uppgifter lämnas till Arbetsförmedlingen."

GOALS = (
    "Jag vill ta körkort",
    "Jag vill börja på Komvux och läsa in matte och engelska",
    "Jag vill ha ett jobb där jag får jobba med händerna",
    "Jag vill klara mig utan försörjningsstöd",
    "Jag vill komma upp på morgonen och ha fasta tider",
    "Jag vill jobba inom vården",
    "Jag vill plugga till elektriker",
    "Jag vill ha en egen lägenhet",
    "Jag vill må bättre och orka mer",
    "Jag vill prova på att jobba i butik",
    "Jag vill gå en kurs på folkhögskolan",
    "Jag vill få en praktikplats på ett lager",
    "Jag vill bli bättre på svenska",
    "Jag vill jobba med djur",
    "Jag vill få ett sommarjobb",
    "Jag vill veta vad jag är bra på",
)

# (content, responsible kind, unit key or external actor, typical length in days)
STEPS: tuple[tuple[str, str, str, int], ...] = (
    ("Söka minst tre jobb i veckan via Platsbanken", ResponsibleKind.YOUNG_PERSON, "", 60),
    ("Plugga körkortsteori med appen två gånger i veckan", ResponsibleKind.YOUNG_PERSON, "", 90),
    ("Ringa studie- och yrkesvägledaren och boka en tid", ResponsibleKind.YOUNG_PERSON, "", 14),
    ("Komma till träffarna i tid och höra av sig om något händer", ResponsibleKind.YOUNG_PERSON, "", 90),
    ("Skriva ett CV och ett personligt brev", ResponsibleKind.YOUNG_PERSON, "", 21),
    ("Inskrivning och planeringssamtal på Arbetsförmedlingen", ResponsibleKind.UNIT, "af.ludvika", 14),
    ("Arbetsmarknadsutbildning inom lager och logistik", ResponsibleKind.UNIT, "af.ludvika", 90),
    ("Samtal om ekonomi och försörjningsstöd", ResponsibleKind.UNIT, "ludvika.ifo", 30),
    ("Praktik på kommunens återbruk tre dagar i veckan", ResponsibleKind.UNIT, "ludvika.ame", 60),
    ("Coachande samtal varannan vecka", ResponsibleKind.UNIT, "ludvika.ame", 120),
    ("Studie- och yrkesvägledning inför Komvux", ResponsibleKind.UNIT, "vbu.vux", 30),
    ("Läsa matematik 1a och engelska 5 på Komvux", ResponsibleKind.UNIT, "vbu.vux", 120),
    ("Praktik på verkstaden med handledare", ResponsibleKind.UNIT, "verkstad.personal", 60),
    ("Vara med i föreningens fritidsverksamhet en kväll i veckan", ResponsibleKind.UNIT, "forening.styrelse", 90),
    ("Allmän kurs på folkhögskolan", ResponsibleKind.EXTERNAL, "Folkhögskolan", 120),
    ("Körlektioner", ResponsibleKind.EXTERNAL, "Trafikskolan i Ludvika", 60),
    ("Hjälp att göra en budget", ResponsibleKind.EXTERNAL, "Budget- och skuldrådgivningen", 30),
)
SIP_STEPS: tuple[tuple[str, str, str, int], ...] = (
    ("Stödsamtal och hjälp med boende", ResponsibleKind.UNIT, "ludvika.ifo", 90),
    ("Kontakt med öppenpsykiatrin", ResponsibleKind.EXTERNAL, "Öppenpsykiatrin, Region Dalarna", 120),
    ("Inskrivning och planeringssamtal på Arbetsförmedlingen", ResponsibleKind.UNIT, "af.ludvika", 14),
    ("Komma till träffarna i tid och höra av sig om något händer", ResponsibleKind.YOUNG_PERSON, "", 90),
)
END_REASONS = (
    (EndReason.COMPLETED, 0.62, ""),
    (EndReason.STOPPED_BY_YOUNG_PERSON, 0.12, ""),
    (EndReason.NO_LONGER_RELEVANT, 0.1, ""),
    (EndReason.REPLACED, 0.08, ""),
    (EndReason.OTHER, 0.08, "Praktikplatsen lades ner."),
)
RELATIVES = ("Mamma", "Pappa", "Syster", "Bror")
RELATIVE_NAMES = ("Eva", "Karin", "Maria", "Per", "Lars", "Anders", "Sofia", "Johan")

# (requested measure, reason, step in the plan when accepted, response)
REFERRALS = (
    (
        "Inskrivning och planeringssamtal",
        "{first} vill skriva in sig som arbetssökande och behöver hjälp att komma igång. "
        "Kan ni boka ett första planeringssamtal?",
        "Planeringssamtal och inskrivning på Arbetsförmedlingen",
        "Vi har bokat ett första samtal med {first}.",
    ),
    (
        "Arbetsmarknadsutbildning inom lager och logistik",
        "{first} har haft praktik på ett lager i tre månader och trivs. Vi undrar om {first} kan gå "
        "er arbetsmarknadsutbildning inom lager och logistik.",
        "Arbetsmarknadsutbildning inom lager och logistik",
        "{first} får en plats på utbildningen som startar nästa månad.",
    ),
    (
        "Stöd och matchning",
        "{first} är klar med sin praktik och vill söka jobb inom butik. {first} behöver stöd att hitta arbetsgivare.",
        "Stöd och matchning mot jobb inom butik",
        "{first} får en matchningshandläggare hos oss.",
    ),
    (
        "Kartläggning av arbetsförmåga",
        "{first} orkar inte arbeta heltid än, och vi vill veta mer om vilket stöd som behövs. "
        "Kan ni göra en kartläggning?",
        "Kartläggning av arbetsförmåga på Arbetsförmedlingen",
        "Vi gör en kartläggning tillsammans med {first} under de närmaste veckorna.",
    ),
    (
        "Studiemotiverande folkhögskolekurs",
        "{first} vill börja studera men är osäker på om det går. En studiemotiverande kurs kan vara "
        "ett bra första steg.",
        "Studiemotiverande kurs på folkhögskolan",
        "{first} kan börja på kursen efter sommaren.",
    ),
    (
        "Introduktionsjobb",
        "{first} kan få en anställning på Bergslagens Verkstäder om det finns stöd i form av introduktionsjobb.",
        "Introduktionsjobb på Bergslagens Verkstäder",
        "Vi har tagit kontakt med arbetsgivaren om introduktionsjobb.",
    ),
)
DECLINE_REASONS = (
    "{first} är redan inskriven hos oss och har en pågående insats. Vi tar upp önskemålet vid nästa planeringssamtal.",
    "Utbildningen är fullbokad den här terminen. Skicka gärna en ny remiss inför nästa start.",
    "Insatsen kräver att den unga är inskriven som arbetssökande. Be {first} skriva in sig först, "
    "så tittar vi på det igen.",
)
INFO_QUESTION = "Har {first} gymnasiebetyg i svenska och matematik? Det behövs för utbildningen."
INFO_ANSWER = "{first} har betyg i svenska men saknar matematik och planerar att läsa det på Komvux."
REFERRAL_WITHDRAWAL = "{first} har fått ett sommarjobb och behöver inte insatsen just nu."

NOTES = (
    "Första samtalet med {first}. Vi pratade om hur dagarna ser ut och vad {first} vill göra framåt. "
    "Vi ses igen om två veckor.",
    "{first} kom inte till mötet. Jag ringde och vi bokade en ny tid.",
    "Telefonsamtal med {first}. Praktiken fungerar bra enligt handledaren.",
    "Uppföljning av planen. {first} har sökt tre jobb sedan sist och vill fortsätta med körkortsteorin.",
    "Besök på Vuxenutbildningen tillsammans med {first} för att prata om Komvux.",
    "{first} har börjat komma i tid till träffarna. Vi pratade om att prova en längre praktik.",
    "Sms-kontakt med {first}, som är sjuk i veckan. Vi hörs på måndag.",
    "Trepartssamtal med {first} och handledaren på praktikplatsen. Båda är nöjda och vill fortsätta.",
    "{first} har fått svar från folkhögskolan och kommer in på kursen till hösten.",
    "Vi gick igenom CV:t tillsammans. {first} skickar två ansökningar till butiker i centrum.",
)
SENSITIVE_NOTES = (
    "{first} berättar att sömnen har varit dålig en period och har fått en tid på vårdcentralen. "
    "Vi väntar med att utöka praktiktiden.",
    "{first} har det jobbigt hemma och bor hos en kompis just nu. Vi kom överens om att ta det lugnt "
    "med praktiken några veckor.",
)
SHARED_NOTES = (
    "Sammanfattning till samverkansparter: {first} har praktik tre dagar i veckan och trivs. "
    "Nästa gemensamma möte är om en månad.",
    "Till Arbetsförmedlingen: {first} är klar med sin praktik och vill nu söka jobb. Vi föreslår ett "
    "gemensamt planeringssamtal.",
)
KAA_NOTES_TEXTS = (
    "Skickade brev och sms till {first} utan svar. Försöker igen nästa vecka.",
    "Hembesök tillsammans med studie- och yrkesvägledaren. {first} vill börja på ett introduktionsprogram till hösten.",
    "{first} har börjat på introduktionsprogrammet på VBU. Vi följer upp om en månad.",
    "Telefonsamtal med {first}, som har fått extrajobb i en butik och funderar på Komvux senare.",
)
DISTANCE_COMMENTS = (
    "Jag har börjat gå upp tidigare.",
    "Det är svårt att veta vad jag vill.",
    "Praktiken har gjort att jag vet mer vad jag vill.",
    "Jag har fått några nya kompisar på praktiken.",
    "Jag har ingen egen lägenhet än.",
    "Jag har sökt fler jobb än förut.",
)
SUPERVISOR_COMMENTS = {
    "battre": ("Kommer alltid i tid och frågar när något är oklart.", "Är noggrann och trevlig mot kunderna."),
    "ova": ("Att ta egna initiativ när arbetet är klart.", "Att säga till när något är svårt."),
}


# --- People the demo works with -----------------------------------------------------------------


@dataclass
class _Case:
    """One young person in a demo caseworker's caseload, and what has been done with them."""

    person: Person
    enrolment: Enrolment
    user: User
    start: dt.date  # when the demo's work with the person begins
    consent: Consent | None = None
    consent_categories: tuple[str, ...] = ()
    consent_kind: str = ""  # regular, expiring, expired, withdrawn
    sip: bool = False  # the consent also names Socialtjänsten IFO: the plan is a SIP
    consent_from: dt.date | None = None
    meeting: dt.date | None = None  # the planning meeting, when the plan was made
    plan: Plan | None = None
    praktik_from: dt.date | None = None  # when a placement (praktik) step starts
    last_steps: list[int] = field(default_factory=list)  # the latest "Vägen framåt" answer
    closer: bool = False  # whether the "Vägen framåt" series moves closer to the labour market

    @property
    def first(self) -> str:
        return self.person.first_name


class ActivityBuilder:
    def __init__(self, *, world: DemoWorld, seed: int = 1, now: dt.datetime | None = None) -> None:
        self.world = world
        self.rng = Random(f"vagval-demo-activity-{seed}")
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self.timeline = Timeline(now=self.now)
        self.ctx = {name: AccessContext(user=user, client_address=CLIENT_ADDRESS) for name, user in world.users.items()}
        self.units: dict[str, Unit] = world.units
        self.distance = self._instrument(DISTANCE_INSTRUMENT)

    # --- helpers ------------------------------------------------------------------------------

    def _instrument(self, slug: str) -> tuple[Instrument, InstrumentVersion, Definition]:
        instrument = Instrument.objects.select_related("current_version").get(slug=slug)
        version = instrument.current_version
        assert version is not None
        return instrument, version, definition_of(version)

    def _day_between(self, earliest: dt.date, latest: dt.date) -> dt.date:
        if latest <= earliest:
            return earliest
        return dt.date.fromordinal(self.rng.randint(earliest.toordinal(), latest.toordinal()))

    def _caseload(self, username: str, *, unit_key: str, project_keys: Sequence[str] | None = None) -> list[_Case]:
        """The user's open enrolments at the unit, one case per person, in a seeded random order."""
        user = self.world.users[username]
        enrolments = Enrolment.objects.filter(
            coach=user, unit=self.units[unit_key], status__in=OPEN_STATUSES, starts_on__lte=self.today
        )
        if project_keys is not None:
            enrolments = enrolments.filter(project__in=[self.world.projects[k] for k in project_keys])
        seen: set[Any] = set()
        cases: list[_Case] = []
        for enrolment in enrolments.select_related("person", "project", "method").order_by("person_id", "starts_on"):
            if enrolment.person_id in seen or enrolment.person.merged_into_id is not None:
                continue
            seen.add(enrolment.person_id)
            # The work shown starts some time in the last year (or when the enrolment began).
            start = max(enrolment.starts_on, self.today - dt.timedelta(days=self.rng.randint(120, 380)))
            cases.append(_Case(person=enrolment.person, enrolment=enrolment, user=user, start=start))
        self.rng.shuffle(cases)
        return cases

    def _ctx(self, user: User) -> AccessContext:
        return self.ctx[user.username]

    # --- consents -----------------------------------------------------------------------------

    def consents(self, cases: list[_Case], *, count: int, ludvika: bool) -> list[_Case]:
        """Consents to Arbetsförmedlingen Ludvika; never for a protected person."""
        chosen = [c for c in cases if not c.person.is_protected][:count]
        # The longest-running cases get the consents that are about to end, or have ended.
        by_age = sorted(chosen, key=lambda c: (c.enrolment.starts_on, str(c.person.pk)))
        special: dict[int, str] = {}
        if ludvika and len(by_age) >= 8:
            special[id(by_age[0])] = "expired"
            for case in by_age[1 : 1 + len(EXPIRING_IN_DAYS)]:
                special[id(case)] = "expiring"
            special[id(by_age[1 + len(EXPIRING_IN_DAYS)])] = "withdrawn"
        expiring = iter(EXPIRING_IN_DAYS)
        sip_left = SIP_PLANS if ludvika else 0
        for case in chosen:
            kind = special.get(id(case), "regular")
            categories = [ConsentCategory.IDENTITY, ConsentCategory.PLAN]
            if self.rng.random() < 0.45:
                categories.append(ConsentCategory.NOTES)
            if self.rng.random() < 0.3:
                categories.append(ConsentCategory.MAPPINGS)
            if self.rng.random() < 0.2:
                categories.append(ConsentCategory.OUTCOMES)
            recipients = [self.units["af.ludvika"]]
            purpose = self.rng.choice(CONSENT_PURPOSES)
            if kind == "regular" and sip_left and case.enrolment.starts_on <= self.today - dt.timedelta(days=120):
                sip_left -= 1
                recipients.append(self.units["ludvika.ifo"])
                purpose = SIP_PURPOSE
                case.sip = True
                if ConsentCategory.NOTES not in categories:
                    categories.append(ConsentCategory.NOTES)
            if kind == "expiring":
                valid_to = self.today + dt.timedelta(days=next(expiring))
                valid_from = years_after(valid_to + dt.timedelta(days=1), -1)
            elif kind == "expired":
                valid_from = self.today - dt.timedelta(days=self.rng.randint(480, 540))
                valid_to = years_after(valid_from, 1) - dt.timedelta(days=1)
            elif kind == "withdrawn":
                valid_from = self.today - dt.timedelta(days=self.rng.randint(200, 260))
                valid_to = years_after(valid_from, 1) - dt.timedelta(days=1)
            else:
                earliest = max(case.start, self.today - dt.timedelta(days=330))
                valid_from = self._day_between(earliest, max(earliest, self.today - dt.timedelta(days=7)))
                valid_to = years_after(valid_from, 1) - dt.timedelta(days=1)
            valid_from = min(valid_from, self.today)
            case.start = min(case.start, valid_from)
            case.consent_categories = tuple(categories)
            case.consent_kind = kind
            case.consent_from = valid_from
            data = ConsentData(
                recipient_unit_ids=[u.pk for u in recipients],
                categories=[str(c) for c in categories],
                purpose=purpose,
                form=ConsentForm.WRITTEN if self.rng.random() < 0.75 else ConsentForm.ORAL,
                valid_from=valid_from,
                valid_to=valid_to,
            )
            self.timeline.at(valid_from, self._record_consent(case, data), hour=10, minute=self.rng.randint(0, 59))
            if kind == "withdrawn":
                withdrawn_on = self.today - dt.timedelta(days=self.rng.randint(20, 60))
                self.timeline.at(withdrawn_on, self._withdraw_consent(case), hour=14)
        return chosen

    def _record_consent(self, case: _Case, data: ConsentData) -> Callable[[], object]:
        def action() -> None:
            case.consent = consent_record(ctx=self._ctx(case.user), person=case.person, data=data)

        return action

    def _withdraw_consent(self, case: _Case) -> Callable[[], object]:
        def action() -> None:
            assert case.consent is not None
            consent_withdraw(ctx=self._ctx(case.user), consent=case.consent, note=WITHDRAWAL_NOTE)
            case.consent = None

        return action

    # --- plans --------------------------------------------------------------------------------

    def plans(self, cases: list[_Case], *, count: int) -> None:
        for case in cases[:count]:
            # With a consent, the plan is made with the partners it names (from its first day).
            earliest = case.consent_from or case.start
            meeting = self._day_between(earliest, max(earliest, self.today - dt.timedelta(days=10)))
            meeting = min(meeting, self.today)
            case.meeting = meeting
            is_sip = case.sip
            goals = self.rng.sample(GOALS, k=self.rng.choice((1, 2, 2, 3)))
            user = case.user
            unit = user.unit
            assert unit is not None
            participants = [
                ParticipantData(name=f"{case.person.first_name} {case.person.last_name}", role="Den unga"),
                ParticipantData(name=user.get_full_name(), role="Coach", unit_id=unit.pk),
            ]
            if self.rng.random() < 0.3:
                relative = self.rng.choice(RELATIVES)
                participants.append(
                    ParticipantData(name=f"{self.rng.choice(RELATIVE_NAMES)} {case.person.last_name}", role=relative)
                )
            if is_sip:
                participants.append(
                    ParticipantData(
                        name="Sara Lindqvist", role="Socialsekreterare", unit_id=self.units["ludvika.ifo"].pk
                    )
                )
                participants.append(ParticipantData(name="Kurator, öppenpsykiatrin", role="Region Dalarna"))
            if ConsentCategory.PLAN in case.consent_categories:
                af = self.world.users["af.ludvika"]
                participants.append(
                    ParticipantData(name=af.get_full_name(), role="Handläggare", unit_id=self.units["af.ludvika"].pk)
                )
            overall = self.units["ludvika.ifo"] if is_sip else unit
            next_meeting = meeting + dt.timedelta(days=self.rng.randint(60, 90))
            data = PlanData(
                overall_responsibility_id=overall.pk,
                is_sip=is_sip,
                meeting_on=meeting,
                next_meeting_on=next_meeting,
                goals=[GoalData(text=g) for g in goals],
                participants=participants,
            )
            self.timeline.at(meeting, self._create_plan(case, data), hour=13, minute=self.rng.randint(0, 30))
            catalogue = SIP_STEPS if is_sip else STEPS
            if not case.consent_categories:  # without consent, Arbetsförmedlingen is not involved
                catalogue = tuple(s for s in catalogue if s[2] != "af.ludvika")
            steps = self.rng.sample(catalogue, k=min(len(catalogue), self.rng.randint(2, 5)))
            for index, (content, kind, target, length) in enumerate(steps):
                if index < 2 or self.rng.random() < 0.5:
                    added = meeting
                    starts = meeting + dt.timedelta(days=self.rng.randint(0, 14))
                else:
                    added = self._day_between(meeting + dt.timedelta(days=14), max(meeting, self.today))
                    starts = added + dt.timedelta(days=self.rng.randint(0, 7))
                if "Praktik" in content and case.praktik_from is None:
                    case.praktik_from = starts
                step = StepData(
                    content=content,
                    responsible_kind=kind,
                    starts_on=starts,
                    responsible_unit_id=self.units[target].pk if kind == ResponsibleKind.UNIT else None,
                    external_actor=target if kind == ResponsibleKind.EXTERNAL else "",
                    follow_up_on=starts + dt.timedelta(days=self.rng.choice((30, 45, 60))),
                )
                holder: dict[str, PlanStep] = {}
                self.timeline.at(added, self._add_step(case, step, holder), hour=13, minute=40 + index)
                ends = starts + dt.timedelta(days=length + self.rng.randint(-7, 21))
                if ends < self.today and self.rng.random() < 0.75:
                    reason = self._end_reason()
                    self.timeline.at(ends, self._end_step(case, holder, ends, reason), hour=15)
            # A follow-up meeting: the next meeting moves on and, often, a goal is reached.
            follow_up = next_meeting
            if follow_up <= self.today - dt.timedelta(days=2):
                achieved = self.rng.random() < 0.5
                updated = PlanData(
                    overall_responsibility_id=overall.pk,
                    is_sip=is_sip,
                    meeting_on=follow_up,
                    next_meeting_on=follow_up + dt.timedelta(days=self.rng.randint(60, 90)),
                    goals=[
                        GoalData(text=g, achieved_on=follow_up if achieved and i == 0 else None)
                        for i, g in enumerate(goals)
                    ],
                    participants=participants[:2],
                )
                self.timeline.at(follow_up, self._update_plan(case, updated), hour=13)

    def _end_reason(self) -> tuple[str, str]:
        r, total = self.rng.random(), 0.0
        for reason, weight, note in END_REASONS:
            total += weight
            if r < total:
                return reason, note
        return END_REASONS[0][0], END_REASONS[0][2]

    def _create_plan(self, case: _Case, data: PlanData) -> Callable[[], object]:
        def action() -> None:
            project_id = case.enrolment.project_id
            case.plan = plan_create(
                ctx=self._ctx(case.user), person_id=case.person.pk, project_id=project_id, data=data
            )

        return action

    def _update_plan(self, case: _Case, data: PlanData) -> Callable[[], object]:
        def action() -> None:
            if case.plan is not None:
                plan_update(ctx=self._ctx(case.user), plan=case.plan, data=data)

        return action

    def _add_step(self, case: _Case, data: StepData, holder: dict[str, PlanStep]) -> Callable[[], object]:
        def action() -> None:
            if case.plan is not None:
                holder["step"] = plan_step_add(ctx=self._ctx(case.user), plan=case.plan, data=data)

        return action

    def _end_step(
        self, case: _Case, holder: dict[str, PlanStep], ends: dt.date, reason: tuple[str, str]
    ) -> Callable[[], object]:
        def action() -> None:
            step = holder.get("step")
            if step is not None:
                plan_step_end(
                    ctx=self._ctx(case.user), step=step, ends_on=ends, end_reason=reason[0], end_note=reason[1]
                )

        return action

    # --- referrals ----------------------------------------------------------------------------

    def referrals(self, cases: list[_Case], outcomes: Sequence[str]) -> None:
        """Referrals to Arbetsförmedlingen Ludvika under the cases' consents, in these outcomes."""
        candidates = [c for c in cases if c.consent_kind in ("regular", "expiring") and c.consent_from is not None]
        af = self.ctx["af.ludvika"]
        for index, outcome in enumerate(outcomes):
            if outcome == "overdue":
                sent = working_day_on_or_before(self.today - dt.timedelta(days=self.rng.randint(9, 20)))
            elif outcome == "waiting":
                sent = working_day_on_or_before(self.today - dt.timedelta(days=self.rng.randint(1, 2)))
            elif outcome == "info_pending":
                sent = working_day_on_or_before(self.today - dt.timedelta(days=self.rng.randint(10, 14)))
            else:
                sent = working_day_on_or_before(self.today - dt.timedelta(days=self.rng.randint(25, 200)))
            case = next((c for c in candidates if self._earliest_referral(c) <= sent), None)
            if case is None and outcome not in ("overdue", "waiting", "info_pending") and candidates:
                # Answered referrals may be sent later: as soon as a case allows it.
                case = min(candidates, key=self._earliest_referral)
                sent = working_day_on_or_after(self._earliest_referral(case))
                if sent > self.today - dt.timedelta(days=15):
                    case = None
            if case is None:
                continue
            candidates.remove(case)
            measure, reason, step_text, response = REFERRALS[index % len(REFERRALS)]
            first = case.first
            coach = self._ctx(case.user)
            holder: dict[str, Referral] = {}
            data = ReferralData(
                to_unit_id=self.units["af.ludvika"].pk, reason=reason.format(first=first), requested_measure=measure
            )
            self.timeline.at(sent, self._send(case, data, holder), hour=self.rng.randint(9, 11))
            answer_day = min(
                working_day_on_or_after(sent + dt.timedelta(days=self.rng.randint(1, 8))),
                self.today - dt.timedelta(days=1),
            )
            accept = {"ctx": af, "response": response.format(first=first), "step_text": step_text}
            if outcome == "accepted":
                self._answer(answer_day, holder, referral_accept, accept)
            elif outcome == "declined":
                reason = DECLINE_REASONS[index % len(DECLINE_REASONS)].format(first=first)
                self._answer(answer_day, holder, referral_decline, {"ctx": af, "reason": reason})
            elif outcome in ("info_pending", "info_accepted"):
                asked = working_day_on_or_after(sent + dt.timedelta(days=2))
                question = INFO_QUESTION.format(first=first)
                self._answer(asked, holder, referral_request_info, {"ctx": af, "question": question})
                if outcome == "info_accepted":
                    answered = asked + dt.timedelta(days=1)
                    info = {"ctx": coach, "text": INFO_ANSWER.format(first=first)}
                    self.timeline.at(answered, self._on_referral(holder, referral_add_info, info), hour=11)
                    accepted = working_day_on_or_after(answered + dt.timedelta(days=2))
                    self._answer(accepted, holder, referral_accept, accept)
            elif outcome == "withdrawn":
                note = {"ctx": coach, "note": REFERRAL_WITHDRAWAL.format(first=first)}
                withdrawn = sent + dt.timedelta(days=2)
                self.timeline.at(withdrawn, self._on_referral(holder, referral_withdraw, note), hour=15)

    def _earliest_referral(self, case: _Case) -> dt.date:
        """A referral goes out under the consent, after the planning meeting (if there is a plan)."""
        assert case.consent_from is not None
        earliest = case.consent_from
        if case.meeting is not None:
            earliest = max(earliest, case.meeting + dt.timedelta(days=1))
        return earliest

    def _send(self, case: _Case, data: ReferralData, holder: dict[str, Referral]) -> Callable[[], object]:
        def action() -> None:
            holder["referral"] = referral_send(ctx=self._ctx(case.user), person=case.person, data=data)

        return action

    def _on_referral(
        self, holder: dict[str, Referral], service: Callable[..., object], arguments: dict[str, Any]
    ) -> Callable[[], object]:
        """Call a referral service on the referral sent earlier (`holder`), once it exists."""

        def action() -> None:
            referral = holder.get("referral")
            if referral is not None:
                service(referral_id=referral.pk, **arguments)

        return action

    def _answer(
        self, day: dt.date, holder: dict[str, Referral], service: Callable[..., object], arguments: dict[str, Any]
    ) -> None:
        """Arbetsförmedlingen opens the person's page (under the consent), then answers."""
        hour = self.rng.randint(9, 15)
        self.timeline.at(day, self._view_referred_person(holder), hour=hour)
        self.timeline.at(day, self._on_referral(holder, service, arguments), hour=hour, minute=8)

    def _view_referred_person(self, holder: dict[str, Referral]) -> Callable[[], object]:
        def action() -> None:
            referral = holder.get("referral")
            if referral is not None:
                af = self.world.users["af.ludvika"]
                person_get(viewer=af, ctx=self.ctx["af.ludvika"], person_id=referral.person_id)

        return action

    # --- journal notes ------------------------------------------------------------------------

    def notes(self, cases: list[_Case], *, context: str = NoteContext.GENERAL) -> None:
        for case in cases:
            count = self.rng.randint(2, 4)
            days = sorted(self._day_between(case.start, self.today - dt.timedelta(days=1)) for _ in range(count))
            days[0] = min(days[0], case.start)
            shared_index = (
                self.rng.randrange(1, count)
                if context == NoteContext.GENERAL
                and ConsentCategory.NOTES in case.consent_categories
                and case.consent_kind in ("regular", "expiring")
                else None
            )
            for index, day in enumerate(days):
                visibility, sensitive = NoteVisibility.OWN_UNIT, False
                if context == NoteContext.KAA:
                    text = KAA_NOTES_TEXTS[index % len(KAA_NOTES_TEXTS)]
                elif index == 0:
                    text = NOTES[0]
                elif index == shared_index and case.consent_from is not None and day >= case.consent_from:
                    text, visibility = self.rng.choice(SHARED_NOTES), NoteVisibility.SHARED
                elif self.rng.random() < 0.1:
                    text, sensitive = self.rng.choice(SENSITIVE_NOTES), True
                else:
                    text = self.rng.choice(NOTES[1:])
                data = NoteData(
                    text=text.format(first=case.first), visibility=visibility, context=context, sensitive=sensitive
                )
                self.timeline.at(day, self._write_note(case, data), hour=self.rng.randint(8, 16), minute=30)

    def _write_note(self, case: _Case, data: NoteData) -> Callable[[], object]:
        def action() -> None:
            note_write(ctx=self._ctx(case.user), person=case.person, data=data)

        return action

    # --- assessments --------------------------------------------------------------------------

    def distance_travelled(self, cases: list[_Case], *, closer_share: float) -> list[tuple[_Case, dt.date]]:
        """A "Vägen framåt" at the start and about every three months; returns the last one per case."""
        _instrument, version, definition = self.distance
        sections = definition.scored_sections
        latest: list[tuple[_Case, dt.date]] = []
        for case in cases:
            first = min(case.start + dt.timedelta(days=self.rng.randint(0, 14)), self.today - dt.timedelta(days=1))
            days = [first]
            while len(days) < 3:
                following = days[-1] + dt.timedelta(days=self.rng.randint(85, 100))
                if following > self.today - dt.timedelta(days=1):
                    break
                days.append(following)
            case.closer = self.rng.random() < closer_share
            series = distance_series(self.rng, areas=len(sections), responses=len(days), closer=case.closer)
            case.last_steps = series[-1]
            for index, (day, steps) in enumerate(zip(days, series, strict=True)):
                raw: dict[str, Any] = {}
                for section, step in zip(sections, steps, strict=True):
                    assert section.scoring is not None
                    item = section.item(section.scoring.items[0])
                    assert item is not None
                    raw[item.field_name] = step
                if self.rng.random() < 0.2:
                    section = self.rng.choice(sections)
                    comment = next((i for i in section.items if i.type == "text"), None)
                    if comment is not None:
                        raw[comment.field_name] = self.rng.choice(DISTANCE_COMMENTS)
                respondent = Respondent.COACH_WITH_YOUNG_PERSON if self.rng.random() < 0.85 else Respondent.YOUNG_PERSON
                context = ResponseContext.START if index == 0 else ResponseContext.FOLLOW_UP
                self.timeline.at(
                    day,
                    self._respond(case, version, respondent, context, day, raw),
                    hour=self.rng.randint(9, 15),
                    minute=15,
                )
            latest.append((case, days[-1]))
        return latest

    def mappings(self, cases: list[_Case], slug: str) -> None:
        """A health or needs mapping (sensitive instruments) together with the young person."""
        _instrument, version, definition = self._instrument(slug)
        for case in cases:
            day = min(case.start + dt.timedelta(days=self.rng.randint(7, 30)), self.today - dt.timedelta(days=1))
            raw = random_answers(self.rng, definition)
            self.timeline.at(
                day,
                self._respond(case, version, Respondent.COACH_WITH_YOUNG_PERSON, ResponseContext.START, day, raw),
                hour=10,
                minute=45,
            )

    def _respond(
        self,
        case: _Case,
        version: InstrumentVersion,
        respondent: str,
        context: str,
        day: dt.date,
        raw: dict[str, Any],
    ) -> Callable[[], object]:
        def action() -> None:
            assessment_services.response_create(
                ctx=self._ctx(case.user),
                person=case.person,
                version=version,
                respondent=respondent,
                context=context,
                answered_on=day,
                raw_answers=raw,
            )

        return action

    # --- personal links -----------------------------------------------------------------------

    def links(self, assessed: list[tuple[_Case, dt.date]], praktik: list[_Case]) -> None:
        """Personal links: answered ones in the past, and one active for a young person and one
        for a workplace supervisor. The tokens are thrown away: nothing secret is printed."""
        distance, _version, definition = self.distance
        # Young people who answered a follow-up alone through a link.
        answered = [(c, d) for c, d in assessed if d <= self.today - dt.timedelta(days=20)][:3]
        sections = definition.scored_sections
        for case, last in answered:
            day = last + dt.timedelta(days=self.rng.randint(10, 18))
            # The same steps as last time, one more area up for those on their way.
            steps = list(case.last_steps)
            if case.closer:
                low = min(range(len(steps)), key=lambda a: steps[a])
                steps[low] = min(5, steps[low] + 1)
            raw: dict[str, Any] = {}
            for section, step in zip(sections, steps, strict=True):
                assert section.scoring is not None
                item = section.item(section.scoring.items[0])
                assert item is not None
                raw[item.field_name] = step
            holder: dict[str, AssessmentLink] = {}
            self.timeline.at(
                day - dt.timedelta(days=2),
                self._create_link(case, distance, Respondent.YOUNG_PERSON, ResponseContext.FOLLOW_UP, holder),
                hour=11,
            )
            self.timeline.at(day, self._submit_link(holder, raw), hour=19)
        supervisor, _sv, supervisor_definition = self._instrument("arbetsplatsbedomning")
        for case in praktik[:2]:  # supervisors who assessed their intern through a link
            assert case.praktik_from is not None
            day = self._day_between(case.praktik_from + dt.timedelta(days=14), self.today - dt.timedelta(days=1))
            raw = random_answers(self.rng, supervisor_definition, high=True)
            raw["sammanfattning__battre"] = self.rng.choice(SUPERVISOR_COMMENTS["battre"])
            raw["sammanfattning__ova"] = self.rng.choice(SUPERVISOR_COMMENTS["ova"])
            holder = {}
            self.timeline.at(
                day - dt.timedelta(days=3),
                self._create_link(case, supervisor, Respondent.SUPERVISOR, ResponseContext.PLACEMENT, holder),
                hour=10,
            )
            self.timeline.at(day, self._submit_link(holder, raw), hour=16)
        # Active links, waiting for an answer.
        waiting = [c for c, d in assessed if d <= self.today - dt.timedelta(days=60)]
        if waiting:
            self.timeline.at(
                self.today - dt.timedelta(days=2),
                self._create_link(waiting[-1], distance, Respondent.YOUNG_PERSON, ResponseContext.FOLLOW_UP, {}),
                hour=10,
            )
        if len(praktik) > 2:
            self.timeline.at(
                self.today - dt.timedelta(days=1),
                self._create_link(praktik[2], supervisor, Respondent.SUPERVISOR, ResponseContext.PLACEMENT, {}),
                hour=10,
            )

    def _create_link(
        self,
        case: _Case,
        instrument: Instrument,
        respondent: str,
        context: str,
        holder: dict[str, AssessmentLink],
    ) -> Callable[[], object]:
        def action() -> None:
            created = assessment_services.link_create(
                ctx=self._ctx(case.user),
                person=case.person,
                instrument=instrument,
                respondent=respondent,
                context=context,
                url_for=lambda _token: "",
            )
            holder["link"] = created.link

        return action

    def _submit_link(self, holder: dict[str, AssessmentLink], raw: dict[str, Any]) -> Callable[[], object]:
        def action() -> None:
            link = holder.get("link")
            if link is not None:
                assessment_services.link_submit(link=link, client_address=CLIENT_ADDRESS, raw_answers=raw)

        return action

    # --- the whole year -----------------------------------------------------------------------

    def schedule(self) -> None:
        ludvika = self._caseload("coach.ludvika", unit_key="ludvika.ame")
        smedjebacken = self._caseload("coach.smedjebacken", unit_key="smedjebacken.ame")
        kaa = self._caseload("kaa.ludvika", unit_key="ludvika.kaa", project_keys=("kaa",))
        self.consents(ludvika, count=_share(ludvika, LUDVIKA_CONSENTS), ludvika=True)
        self.consents(smedjebacken, count=_share(smedjebacken, SMEDJEBACKEN_CONSENTS), ludvika=False)
        self.plans(ludvika, count=_share(ludvika, LUDVIKA_PLANS))
        self.plans(smedjebacken, count=_share(smedjebacken, SMEDJEBACKEN_PLANS))
        self.referrals(ludvika, LUDVIKA_REFERRALS)
        self.referrals(smedjebacken, SMEDJEBACKEN_REFERRALS)
        notes = _share(ludvika, LUDVIKA_NOTES)
        self.notes(ludvika[notes // 4 : notes // 4 + notes])  # mostly the same people as the plans
        self.notes(smedjebacken[: _share(smedjebacken, SMEDJEBACKEN_NOTES)])
        self.notes(kaa[: _share(kaa, KAA_NOTES)], context=NoteContext.KAA)
        count = _share(ludvika, LUDVIKA_ASSESSED)
        assessed = self.distance_travelled(ludvika[:count], closer_share=LUDVIKA_CLOSER)
        smedjebacken_assessed = smedjebacken[: _share(smedjebacken, SMEDJEBACKEN_ASSESSED)]
        self.distance_travelled(smedjebacken_assessed, closer_share=LUDVIKA_CLOSER)
        self.mappings(ludvika[count : count + 3], "halsokartlaggning")
        self.mappings(ludvika[2:6], "behovskartlaggning")
        for place, closer_share in REDONU_CLOSER.items():
            cases = self._caseload(f"coach.{place}", unit_key=f"{place}.ame", project_keys=("redonu",))
            self.distance_travelled(cases[: round(len(cases) * REDONU_ASSESSED)], closer_share=closer_share)
        in_praktik = [
            c for c in ludvika if c.praktik_from is not None and c.praktik_from <= self.today - dt.timedelta(days=20)
        ]
        self.links(assessed, in_praktik)
        # The project leader looks at the cohort view once the year's answers are in.
        ledare = self.world.users["ledare"]
        self.timeline.at(
            self.today - dt.timedelta(days=1),
            lambda: cohort_progress(viewer=ledare, ctx=self.ctx["ledare"]),
            hour=8,
        )


def _share(cases: Sequence[object], share_and_cap: tuple[float, int]) -> int:
    share, cap = share_and_cap
    return min(cap, round(len(cases) * share))


def distance_series(rng: Random, *, areas: int, responses: int, closer: bool) -> list[list[int]]:
    """Steps (1–5) per area for each response; the last is closer to the labour market than the
    first (the mean step rose) exactly when `closer` is true."""
    first = [rng.choice((1, 2, 2, 2, 3, 3, 4)) for _ in range(areas)]
    last = list(first)
    if closer:
        for area in rng.sample(range(areas), k=min(areas, rng.randint(2, 4))):
            last[area] = min(5, last[area] + (2 if rng.random() < 0.2 else 1))
        others = [a for a in range(areas) if last[a] == first[a] and last[a] > 1]
        if others and rng.random() < 0.25:
            last[rng.choice(others)] -= 1
        if sum(last) <= sum(first):  # everything was already at the top: start one step lower
            area = max(range(areas), key=lambda a: first[a])
            first[area] = max(1, first[area] - 1)
            last[area] = max(last[area], first[area] + 1)
    else:
        kind = rng.choice(("same", "same", "mixed", "down"))
        if kind == "mixed":
            up, down = rng.sample(range(areas), k=2)
            last[up] = min(5, last[up] + 1)
            last[down] = max(1, last[down] - (1 if last[up] > first[up] else 0))
        elif kind == "down":
            for area in rng.sample(range(areas), k=rng.randint(1, 2)):
                last[area] = max(1, last[area] - 1)
        if sum(last) > sum(first):
            last = list(first)
    series = [first]
    if responses >= 3:
        middle = [f if rng.random() < 0.5 else lst for f, lst in zip(first, last, strict=True)]
        series.extend([middle] * (responses - 2))
    if responses >= 2:
        series.append(last)
    return series[:responses]


def random_answers(rng: Random, definition: Definition, *, high: bool = False) -> dict[str, Any]:
    """Valid answers to every scale and choice item (texts left out), for demo mappings."""
    raw: dict[str, Any] = {}
    for item in definition.items:
        value = _random_answer(rng, item, high=high)
        if value is not None:
            raw[item.field_name] = value
    return raw


def _random_answer(rng: Random, item: Item, *, high: bool) -> Any:
    if item.type == "scale":
        values = [s.value for s in item.steps]
        return rng.choice(values[len(values) // 2 :] if high else values)
    if item.type == "single_choice":
        return rng.choice(item.options).value
    if item.type == "multiple_choice":
        return [rng.choice(item.options).value]
    if item.type == "number":
        low = int(item.min or 0)
        return low + rng.randint(0, max(0, min(12, int(item.max or low) - low)))
    if item.required:
        return "Inget att tillägga."
    return None


@contextmanager
def _timer() -> Iterator[list[float]]:
    started = time.perf_counter()
    elapsed = [0.0]
    try:
        yield elapsed
    finally:
        elapsed[0] = time.perf_counter() - started


def generate_activity(*, world: DemoWorld, seed: int = 1, now: dt.datetime | None = None) -> ActivityResult:
    """A year of the demo caseworkers' work with the generated persons, in one transaction."""
    before = _counts()
    with _timer() as elapsed, transaction.atomic():
        builder = ActivityBuilder(world=world, seed=seed, now=now)
        builder.schedule()
        builder.timeline.run()
    after = _counts()
    made = {key: after[key] - before[key] for key in after}
    return ActivityResult(
        consents=made["consents"],
        plans=made["plans"],
        plan_steps=made["plan_steps"],
        referrals=made["referrals"],
        notes=made["notes"],
        responses=made["responses"],
        links=made["links"],
        refused=builder.timeline.refused,
        seconds=elapsed[0],
    )


def _counts() -> dict[str, int]:
    return {
        "consents": Consent.objects.count(),
        "plans": Plan.objects.count(),
        "plan_steps": PlanStep.objects.count(),
        "referrals": Referral.objects.count(),
        "notes": Note.objects.count(),
        "responses": Response.objects.count(),
        "links": AssessmentLink.objects.count(),
    }
