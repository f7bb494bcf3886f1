"""The world for the permission tests of the register apps (issue 3): imports, target group, outreach, KAA.

Built once per test module (see conftest.module_world_db), on top of the shared Staff:

karin   – KAA-ansvarig at Ludvika kommun's KAA unit (holds Ludvika's KAA/UVAS register)
rut     – read-only KAA-ansvarig at the same unit
kim     – coach at the KAA unit, responsible coach (open enrolment as coach) of the persons there
sven    – KAA-ansvarig at Smedjebackens kommun's KAA unit
alice, bob, charlie, frida, gustav, erik, dana – as in conftest.Staff (alice and bob work at
          Ludvika's arbetsmarknadsenhet, which is not the unit that holds the KAA register)

Persons in Ludvika's KAA register (an open KAA episode at the KAA unit, a population entry,
a studies entry naming a school, an occupation naming a workplace, a contact attempt and a
measure naming an activity site):
- one with sekretessmarkering, one with skyddad folkbokföring: each has an address, postal
  code, city, phone and e-mail, so that a leak would show;
- the control: an unprotected person with the same kinds of data.
Also a protected person whose KAA episode closed at 20 and waits for a handover, a person in
Smedjebacken's register (sven's), a finished population import of karin's with rejected
rows, one of them a protected person's row with an address, and an import of karin's waiting
for confirmation (it would take the register's persons out of it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from conftest import client_for
from tests.permissions.conftest import Staff, contact_of, protect_after_the_fact, protected_and_control
from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.api.tests.helpers import api_client_for
from vagval.audit.services import AccessContext
from vagval.kaa.models import Measure, Responsible
from vagval.organisations.models import Unit
from vagval.organisations.tests.factories import UnitFactory
from vagval.outreach.models import Channel, ContactAttempt, Occupation, OccupationCategory, OccupationSource, Outcome
from vagval.outreach.services import episode_contacts_keep
from vagval.people.models import Person, Protection
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory, make_personnummer
from vagval.registers.importing.samples import POPULATION_HEADER, csv_bytes
from vagval.registers.models import ImportKind, ImportStatus, PopulationEntry, RegisterImport, StudyEntry
from vagval.registers.services import register_import_create, register_import_run
from vagval.targetgroup import rules
from vagval.targetgroup.models import Episode, TargetList


@dataclass
class RegisterCase:
    """A person in a register and everything about them some register page may show."""

    person: Person
    contact: tuple[str, ...]  # address, postal code, city, phone, e-mail: never on these pages
    location: tuple[str, ...]  # school, workplace, activity site: location-revealing for a protected person
    numbers: tuple[str, str]  # the identity number, as stored and as written
    episode: Episode
    measure: Measure

    @property
    def names(self) -> tuple[str, str]:
        return (self.person.first_name, self.person.last_name)


_serials = iter(range(700, 999))


def _young(age: int, **fields: object) -> Person:
    today = timezone.localdate()
    birth = today.replace(year=today.year - age) - dt.timedelta(days=40)
    return PersonFactory(birth_date=birth, id_number=make_personnummer(birth, next(_serials)), **fields)


class RegisterWorld(Staff):
    def __init__(self) -> None:
        super().__init__()
        self.today = timezone.localdate()
        self.ludvika_kaa: Unit = UnitFactory(
            organisation=self.ludvika.organisation,
            name="KAA/Gymnasieskolan",
            address="Storgatan 9, 771 31 Ludvika",
            phone="0240-86 000",
            email="kaa@ludvika.example",
        )
        self.smedjebacken_kaa: Unit = UnitFactory(organisation=self.smedjebacken.organisation, name="KAA")
        for name, unit, role, read_only in (
            ("karin", self.ludvika_kaa, Role.KAA, False),
            ("rut", self.ludvika_kaa, Role.KAA, True),
            ("kim", self.ludvika_kaa, Role.COACH, False),
            ("sven", self.smedjebacken_kaa, Role.KAA, False),
        ):
            user = UserFactory(username=name, first_name=name.capitalize(), unit=unit, role=role, read_only=read_only)
            self.users[name] = user
            self.web[name] = client_for(user)
            self.api[name] = api_client_for(user)
        self.web["anonymous"] = Client()
        self.opened_on = self.today - dt.timedelta(days=30)
        # First: a later population snapshot would end the episodes of everyone not in it.
        self.import_ = self._import_with_rejected_rows()

        # The two protected persons, and the control: an unprotected person with the same kinds of data.
        self.cases, self.open = protected_and_control(
            self._case,
            extra={
                "sekretessmarkering": {
                    "school": "Ekbackens friskola",
                    "workplace": "Snickeriet Vrålbo",
                    "site": "Verkstaden Hemlinge",
                },
                "skyddad_folkbokforing": {
                    "school": "Furulidens folkhögskola",
                    "workplace": "Bageriet Ödsmål",
                    "site": "Ridskolan Tystberga",
                },
                "open": {
                    "school": "Björkdala gymnasium",
                    "workplace": "Kaféet Björken",
                    "site": "Fritidsgården Ljusnan",
                },
            },
        )
        # A protected person whose KAA episode closed when they turned 20: the handover page.
        self.handover = self._case(
            Protection.PROTECTED_REGISTRATION,
            age=20,
            closed=True,
            first_name="Tove",
            last_name="Tjugosson",
            address="Gömda gränd 20",
            postal_code="77193",
            city="Tystby",
            phone="073-555 20 20",
            email="tove.tjugo@example.org",
            school="Granhedens gymnasium",
            workplace="Lagret Norrby",
            site="Stallet Hagalund",
        )
        # Sven's own register, so that his pages are not trivially empty.
        self.smedjebacken_person = _young(17, first_name="Sixten", last_name="Smedsson")
        self._episode(self.smedjebacken_kaa, self.smedjebacken_person)
        # The latest finished import of karin's unit (the undo page), and an import waiting for
        # confirmation that would take the register's persons out of it (the confirmation page
        # names a few of them: never a protected person). It is dated before the others, so
        # that it does not stand in the way of undoing the latest.
        self.latest_import = (
            RegisterImport.objects.filter(unit=self.ludvika_kaa, status=ImportStatus.DONE)
            .order_by("-created_at")
            .first()
        )
        self.waiting_import = RegisterImport.objects.create(
            kind=ImportKind.POPULATION,
            municipality=self.ludvika_kaa.organisation.municipality,
            unit=self.ludvika_kaa,
            imported_by=self.users["karin"],
            reference_date=self.today,
            status=ImportStatus.AWAITING_CONFIRMATION,
            rows_read=1,
            rows_accepted=1,
            persons_present_before=len(self.ludvika_cases) + 1,
            persons_left=len(self.ludvika_cases),
            leaving_examples=[str(case.person.pk) for case in self.ludvika_cases],
        )
        RegisterImport.objects.filter(pk=self.waiting_import.pk).update(created_at=self.import_.created_at)

    @property
    def ludvika_cases(self) -> list[RegisterCase]:
        return [*self.cases.values(), self.open, self.handover]

    # --- building ---------------------------------------------------------------------------

    def _episode(self, unit: Unit, person: Person, *, closed: bool = False) -> Episode:
        return Episode.objects.create(
            unit=unit,
            municipality=unit.organisation.municipality,
            person=person,
            target_list=TargetList.KAA,
            opened_on=self.opened_on,
            open_code=rules.OPEN_AVBROTT,
            open_reason="avbrott GY",
            closed_on=self.today - dt.timedelta(days=2) if closed else None,
            close_code=rules.CLOSE_TURNED_20 if closed else "",
            close_reason="fyllt 20" if closed else "",
        )

    def _case(
        self,
        protection: str,
        *,
        school: str,
        workplace: str,
        site: str,
        age: int = 17,
        closed: bool = False,
        **fields: str,
    ) -> RegisterCase:
        karin, kim = self.users["karin"], self.users["kim"]
        unit = self.ludvika_kaa
        person = _young(age, **fields)
        episode = self._episode(unit, person, closed=closed)
        EnrolmentFactory(person=person, project=self.project, unit=unit, coach=kim)  # kim: the responsible coach
        record = RegisterImport.objects.create(
            kind=ImportKind.POPULATION,
            municipality=unit.organisation.municipality,
            unit=unit,
            imported_by=karin,
            reference_date=self.opened_on,
            status=ImportStatus.DONE,
        )
        PopulationEntry.objects.create(
            unit=unit,
            person=person,
            municipality=unit.organisation.municipality,
            row_hash=hashlib.sha256(str(person.pk).encode()).hexdigest(),
            present=True,
            first_import=record,
            last_import=record,
        )
        StudyEntry.objects.create(
            unit=unit,
            person=person,
            school_form="GY",
            programme="EE",
            school_unit=school,
            status="avbrott",
            start_date=dt.date(self.today.year - 2, 8, 19),
            end_date=self.opened_on,
            row_hash=hashlib.sha256(f"{person.pk}{school}".encode()).hexdigest(),
            last_import=record,
        )
        Occupation.objects.create(
            unit=unit,
            person=person,
            category=OccupationCategory.WORK,
            description=f"Extrajobb på {workplace}",
            from_date=self.opened_on + dt.timedelta(days=3),
            source=OccupationSource.YOUNG_PERSON,
            recorded_by=karin,
        )
        ContactAttempt.objects.create(
            unit=unit,
            person=person,
            episode=episode,
            channel=Channel.PHONE,
            outcome=Outcome.REACHED,
            made_by=karin,
            made_at=timezone.now() - dt.timedelta(days=20),
        )
        episode_contacts_keep(episodes=Episode.objects.filter(pk=episode.pk))  # as the contact service does
        measure = Measure.objects.create(
            unit=unit,
            person=person,
            episode=episode,
            kind="praktik",
            content="Studiebesök och vägledning",
            responsible=Responsible.OTHER_ACTOR,
            responsible_name=site,
            starts_on=self.opened_on + dt.timedelta(days=5),
            ends_on=self.opened_on + dt.timedelta(days=12),
            end_reason="Klar",
            created_by=karin,
        )
        numbers = protect_after_the_fact(person, protection)
        return RegisterCase(
            person=person,
            contact=contact_of(fields),
            location=(school, workplace, site),
            numbers=numbers,
            episode=episode,
            measure=measure,
        )

    def _import_with_rejected_rows(self) -> RegisterImport:
        """A real population import by karin: one row accepted, two rejected (one a protected person's)."""
        good = _young(18)
        assert good.id_number is not None
        outsider_birth = self.today.replace(year=self.today.year - 17)
        rows = [
            {
                "personnummer": good.id_number,
                "fornamn": good.first_name,
                "efternamn": good.last_name,
                "adress": "Godkända vägen 1",
                "postnummer": "77130",
                "postort": "Ludvika",
                "kommunkod": "2085",
                "skyddad": "N",
                "telefon": "",
                "epost": "",
            },
            {  # a protected person registered in another municipality: rejected on the kommunkod
                "personnummer": make_personnummer(outsider_birth, 998),
                "fornamn": "Ragna",
                "efternamn": "Avvisadsdotter",
                "adress": "Avvisade gränd 5",
                "postnummer": "77199",
                "postort": "Hemlunda",
                "kommunkod": "2061",
                "skyddad": "J",
                "telefon": "073-555 99 99",
                "epost": "ragna@example.org",
            },
            {  # an invalid identity number: rejected, no person
                "personnummer": "20080230-1234",
                "fornamn": "Fel",
                "efternamn": "Nummersson",
                "adress": "",
                "postnummer": "",
                "postort": "",
                "kommunkod": "2085",
                "skyddad": "N",
                "telefon": "",
                "epost": "",
            },
        ]
        self.rejected_numbers = (rows[1]["personnummer"], rows[2]["personnummer"])
        content = csv_bytes(POPULATION_HEADER, [[row[name] for name in POPULATION_HEADER] for row in rows])
        imp = register_import_create(
            ctx=AccessContext(user=self.users["karin"]),
            kind=ImportKind.POPULATION,
            file=ContentFile(content, name="befolkning.csv"),
            original_name="befolkning.csv",
            reference_date=self.today,
        )
        return register_import_run(import_id=imp.pk)
