"""Writing parsed records into a unit's register: the database side of an import.

Used by vagval.registers.services inside its one write transaction; not part of the pure
parsing API of this package. Each chunk costs a fixed number of queries (find persons, find
entries, bulk create, bulk update, access log), never one per row. A row whose hash is
unchanged since the last import writes nothing.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record_many
from vagval.common.errors import VagvalError
from vagval.organisations.models import Unit
from vagval.people.models import IdentityType, Person, PersonChange, Protection
from vagval.people.services import PERSON_FIELD_LABELS, person_merge
from vagval.registers.models import PopulationEntry, RegisterImport, StudyEntry

from .records import PopulationRow, StudyRow

logger = logging.getLogger(__name__)

ACTION = "register.imported"
BATCH = 1000
# Person fields the population register is the source of. Phone and e-mail only when given.
REGISTER_FIELDS = ("first_name", "last_name", "address", "postal_code", "city", "phone", "email")
# A number replaced through tidigare_nummer, as the person's history names it. The other changed
# fields are named as the people app names them (PERSON_FIELD_LABELS).
ID_NUMBER_LABEL = "person- eller samordningsnummer"


@dataclass
class ImportTotals:
    new: int = 0  # persons new to the register (population) / to the unit's studies (studies)
    changed: int = 0
    left: int = 0  # persons missing from the new population snapshot


def _digest(*parts: object) -> str:
    text = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()


def population_hash(row: PopulationRow) -> str:
    return _digest(
        row.identity.digits,
        row.first_name,
        row.last_name,
        row.address,
        row.postal_code,
        row.city,
        row.municipality_code,
        row.protected,
        row.phone,
        row.email,
        row.previous_identity.digits if row.previous_identity else None,
    )


def known_register_numbers(*, unit: Unit) -> set[str]:
    """Identity numbers of the persons in the unit's population register (present or not)."""
    rows = PopulationEntry.objects.filter(unit=unit).values_list("person__id_number", flat=True).iterator(5000)
    return {number for number in rows if number}


def _log(ctx: AccessContext, imp: RegisterImport, person_ids: Iterable[uuid.UUID]) -> None:
    access_log_record_many(
        ctx=ctx,
        action=ACTION,
        grants=((pid, AccessBasis.OWN_UNIT, None) for pid in person_ids),
        detail={"import": str(imp.pk), "kind": imp.kind},
    )


class PopulationWriter:
    """Upserts persons and population entries; marks persons missing from the snapshot as left."""

    def __init__(self, *, imp: RegisterImport, ctx: AccessContext) -> None:
        self.imp, self.ctx = imp, ctx
        self.totals = ImportTotals()
        self.seen: set[uuid.UUID] = set()
        self.now = timezone.now()
        # identity number → (row hash, person id) of the unit's present entries: loaded with the
        # first chunk, inside the write transaction; a number whose entry this import may have
        # changed is dropped from it (see write_chunk).
        self._present: dict[str, tuple[str, uuid.UUID]] | None = None
        self.gone: list[uuid.UUID] = []  # persons marked as left by finish()

    def write_chunk(self, rows: list[PopulationRow]) -> None:
        rows = self._skip_unchanged(rows)
        if not rows:
            return
        # What follows may change the entries of these numbers (and, through tidigare_nummer,
        # rename or merge the person of the previous number): later rows must not be judged
        # by what was loaded before.
        present = self._present
        assert present is not None
        for row in rows:
            present.pop(row.identity.digits, None)
            if row.previous_identity is not None:
                present.pop(row.previous_identity.digits, None)
        persons = self._persons(rows)
        self._apply_previous_numbers(rows, persons)
        entries = {
            entry.person_id: entry
            for entry in PopulationEntry.objects.filter(
                unit=self.imp.unit, person_id__in=[p.pk for p in persons.values() if p.pk]
            )
        }
        created: list[Person] = []
        created_ids: set[uuid.UUID] = set()
        updated: dict[uuid.UUID, tuple[Person, list[str]]] = {}
        new_entries: list[PopulationEntry] = []
        changed_entries: list[PopulationEntry] = []
        for row in rows:
            digest = population_hash(row)
            person = persons.get(row.identity.digits)
            if person is None:
                person = self._new_person(row)
                persons[row.identity.digits] = person
                created.append(person)
                created_ids.add(person.pk)
            entry = entries.get(person.pk)
            self.seen.add(person.pk)
            if entry is not None and entry.row_hash == digest and entry.present:
                continue  # unchanged since the last import: write nothing
            if person.pk not in created_ids:
                fields = self._update_person(person, row)
                if fields:
                    updated[person.pk] = (person, fields)
            if entry is None:
                new_entries.append(self._new_entry(person, digest))
                self.totals.new += 1
            else:
                entry.row_hash, entry.present, entry.left_on = digest, True, None
                entry.last_import, entry.updated_at = self.imp, self.now
                changed_entries.append(entry)
                self.totals.changed += 1
        self._save(created, updated, new_entries, changed_entries)

    def _skip_unchanged(self, rows: list[PopulationRow]) -> list[PopulationRow]:
        """Drop the rows whose entry is present with the same hash (most rows of a monthly
        snapshot), before any person is loaded. The unit's present entries are read once, with
        one narrow query (number, hash, person), when the first chunk comes."""
        present = self._present
        if present is None:
            present = self._present = {
                number: (digest, person_id)
                for number, digest, person_id in PopulationEntry.objects.filter(unit=self.imp.unit, present=True)
                .values_list("person__id_number", "row_hash", "person_id")
                .iterator(5000)
                if number
            }
        rest = []
        seen = self.seen
        for row in rows:
            found = present.get(row.identity.digits)
            if found is not None and found[0] == population_hash(row):
                seen.add(found[1])
            else:
                rest.append(row)
        return rest

    def _persons(self, rows: list[PopulationRow]) -> dict[str, Person]:
        numbers = {row.identity.digits for row in rows}
        numbers |= {row.previous_identity.digits for row in rows if row.previous_identity}
        # Only the register unit's own records: another unit's record of the same young person
        # is that unit's, and the register never reads or overwrites it.
        held = Person.objects.filter(unit=self.imp.unit, id_number__in=numbers)
        found = {p.id_number: p for p in held if p.id_number}
        # A merged person's number leads to the person it was merged into.
        targets = {p.merged_into_id for p in found.values() if p.merged_into_id}
        if targets:
            kept = Person.objects.in_bulk(targets)
            found = {number: kept[p.merged_into_id] if p.merged_into_id else p for number, p in found.items()}
        return found

    def _apply_previous_numbers(self, rows: list[PopulationRow], persons: dict[str, Person]) -> None:
        """tidigare_nummer: the samordningsnummer was replaced by a personnummer (rare: per row)."""
        for row in rows:
            if row.previous_identity is None:
                continue
            old = persons.get(row.previous_identity.digits)
            new = persons.get(row.identity.digits)
            if old is None or (new is not None and new.pk == old.pk):
                continue
            if new is None:
                old.id_number, old.id_type = row.identity.digits, row.identity.kind
                old.birth_date, old.legal_sex = row.identity.birth_date, row.identity.legal_sex
                old.save(update_fields=["id_number", "id_type", "birth_date", "legal_sex", "updated_at"])
                PersonChange.objects.create(
                    person=old, changed_by=self.ctx.user, kind="changed", fields=[ID_NUMBER_LABEL]
                )
                persons[row.identity.digits] = old
            elif self._merge(source=old, target=new):
                persons[row.previous_identity.digits] = new

    def _merge(self, *, source: Person, target: Person) -> bool:
        """Merge with the people app's service (keeps all history); the register entry of the
        old number gives way to the new number's own entry at this unit."""
        try:
            with transaction.atomic():
                if PopulationEntry.objects.filter(unit=self.imp.unit, person=target).exists():
                    PopulationEntry.objects.filter(unit=self.imp.unit, person=source).delete()
                person_merge(ctx=self.ctx, source=source, target=target, register_import_id=self.imp.pk)
        except VagvalError:
            # E.g. the unit has no access to one of them yet: both stay, a human merges later.
            logger.warning("import %s: could not merge person %s into %s", self.imp.pk, source.pk, target.pk)
            return False
        return True

    def _new_person(self, row: PopulationRow) -> Person:
        identity = row.identity
        return Person(
            id=uuid.uuid4(),
            unit_id=self.imp.unit_id,
            id_type=IdentityType(identity.kind),
            id_number=identity.digits,
            first_name=row.first_name,
            last_name=row.last_name,
            first_name_key=row.first_name.casefold(),
            last_name_key=row.last_name.casefold(),
            birth_date=identity.birth_date,
            legal_sex=identity.legal_sex,
            protection=Protection.CONFIDENTIALITY_MARK if row.protected else Protection.NONE,
            address=row.address or "",
            postal_code=row.postal_code or "",
            city=row.city or "",
            phone=row.phone or "",
            email=row.email or "",
            home_municipality_id=self.imp.municipality_id,
        )

    def _update_person(self, person: Person, row: PopulationRow) -> list[str]:
        """Apply the register's values; returns the changed field names. Empty optional values
        never erase what someone entered, and protection is raised, never lowered."""
        changed = []
        for name in REGISTER_FIELDS:
            value = getattr(row, name)
            if value is not None and getattr(person, name) != value:
                setattr(person, name, value)
                changed.append(name)
        if row.protected and person.protection == Protection.NONE:
            person.protection = Protection.CONFIDENTIALITY_MARK
            changed.append("protection")
        if person.home_municipality_id != self.imp.municipality_id:
            person.home_municipality_id = self.imp.municipality_id
            changed.append("home_municipality_id")
        person.first_name_key, person.last_name_key = person.first_name.casefold(), person.last_name.casefold()
        return changed

    def _new_entry(self, person: Person, digest: str) -> PopulationEntry:
        return PopulationEntry(
            unit=self.imp.unit,
            municipality_id=self.imp.municipality_id,
            person=person,
            row_hash=digest,
            first_import=self.imp,
            last_import=self.imp,
        )

    def _save(
        self,
        created: list[Person],
        updated: dict[uuid.UUID, tuple[Person, list[str]]],
        new_entries: list[PopulationEntry],
        changed_entries: list[PopulationEntry],
    ) -> None:
        user = self.ctx.user
        Person.objects.bulk_create(created, batch_size=BATCH)
        if updated:
            people = [person for person, _fields in updated.values()]
            for person in people:
                person.updated_at = self.now
            Person.objects.bulk_update(
                people,
                [*REGISTER_FIELDS, "first_name_key", "last_name_key", "protection", "home_municipality", "updated_at"],
                batch_size=BATCH,
            )
        PersonChange.objects.bulk_create(
            [PersonChange(person=p, changed_by=user, kind="created") for p in created]
            + [
                PersonChange(
                    person=p, changed_by=user, kind="changed", fields=sorted(PERSON_FIELD_LABELS[f] for f in fields)
                )
                for p, fields in updated.values()
            ],
            batch_size=BATCH,
        )
        PopulationEntry.objects.bulk_create(new_entries, batch_size=BATCH)
        PopulationEntry.objects.bulk_update(
            changed_entries, ["row_hash", "present", "left_on", "last_import", "updated_at"], batch_size=BATCH
        )
        _log(self.ctx, self.imp, {e.person_id for e in new_entries} | {e.person_id for e in changed_entries})

    def finish(self) -> None:
        """Persons missing from this snapshot have moved or died: mark them, keep everything."""
        present = PopulationEntry.objects.filter(unit=self.imp.unit, present=True).values_list("person_id", flat=True)
        seen = self.seen
        gone = [person_id for person_id in present.iterator(5000) if person_id not in seen]
        self.gone = gone
        for start in range(0, len(gone), BATCH):
            batch = gone[start : start + BATCH]
            # One entry per unit and person: the same rows as by primary key.
            PopulationEntry.objects.filter(unit=self.imp.unit, person_id__in=batch).update(
                present=False, left_on=self.imp.reference_date, last_import=self.imp, updated_at=self.now
            )
            _log(self.ctx, self.imp, batch)
        self.totals.left = len(gone)


class StudyWriter:
    """Keeps the unit's studies snapshot: new rows created, rows gone from the file not present."""

    def __init__(self, *, imp: RegisterImport, ctx: AccessContext) -> None:
        self.imp, self.ctx = imp, ctx
        self.totals = ImportTotals()
        self.seen: set[tuple[uuid.UUID, str]] = set()
        self.changed_persons: set[uuid.UUID] = set()
        self.now = timezone.now()
        self.person_ids = dict(
            PopulationEntry.objects.filter(unit=imp.unit).values_list("person__id_number", "person_id").iterator(5000)
        )
        # The unit's study entries, (person id, row hash): those present, and the pk of those
        # not present. Loaded with the first chunk, inside the write transaction, and kept up to
        # date by this writer (the only one writing the unit's studies in that transaction).
        self._present: set[tuple[uuid.UUID, str]] | None = None
        self._absent: dict[tuple[uuid.UUID, str], uuid.UUID] = {}
        self._present_before: set[tuple[uuid.UUID, str]] = set()

    @staticmethod
    def key(row: StudyRow) -> tuple[str, ...]:
        """What makes a row the same row: everything in it (a row is a snapshot fact)."""
        return (
            row.identity.digits,
            str(row.school_form),
            row.programme or "",
            row.school_unit or "",
            str(row.status),
            row.start_date.isoformat() if row.start_date else "",
            row.end_date.isoformat() if row.end_date else "",
        )

    def _load(self) -> set[tuple[uuid.UUID, str]]:
        """Two narrow queries for the unit's study entries: (person, hash) of the present ones,
        and the pk as well of the others (a row back in the file is marked present by pk)."""
        entries = StudyEntry.objects.filter(unit=self.imp.unit)
        present = set(entries.filter(present=True).values_list("person_id", "row_hash").iterator(5000))
        self._absent = {
            (person_id, digest): pk
            for pk, person_id, digest in entries.filter(present=False)
            .values_list("pk", "person_id", "row_hash")
            .iterator(5000)
        }
        self._present_before = set(present)
        self._present = present
        return present

    def write_chunk(self, rows: list[StudyRow]) -> None:
        present = self._present if self._present is not None else self._load()
        absent, seen, changed_persons = self._absent, self.seen, self.changed_persons
        person_ids, key = self.person_ids, self.key
        created, returned = [], []
        for row in rows:
            person_id = person_ids[row.identity.digits]
            digest = _digest(person_id, *key(row)[1:])
            entry = (person_id, digest)
            seen.add(entry)
            if entry in present:
                continue
            pk = absent.pop(entry, None)
            if pk is None:
                created.append(self._entry(row, person_id, digest))
            else:
                returned.append(pk)
            present.add(entry)
            changed_persons.add(person_id)
        StudyEntry.objects.bulk_create(created, batch_size=BATCH)
        if returned:
            StudyEntry.objects.filter(pk__in=returned).update(present=True, last_import=self.imp, updated_at=self.now)

    def _entry(self, row: StudyRow, person_id: uuid.UUID, digest: str) -> StudyEntry:
        return StudyEntry(
            unit=self.imp.unit,
            person_id=person_id,
            school_form=str(row.school_form),
            programme=row.programme or "",
            school_unit=row.school_unit or "",
            status=str(row.status),
            start_date=row.start_date,
            end_date=row.end_date,
            row_hash=digest,
            last_import=self.imp,
        )

    def finish(self) -> None:
        # Gone: present when this import began and not in the file (entries this import created
        # or brought back are all in `seen`). Their pks are looked up per person, a few at a time.
        seen = self.seen
        gone_keys = {entry for entry in self._present_before if entry not in seen}
        gone: list[tuple[uuid.UUID, uuid.UUID]] = []
        if gone_keys:
            persons = sorted({person_id for person_id, _ in gone_keys})
            for start in range(0, len(persons), BATCH):
                rows = StudyEntry.objects.filter(
                    unit=self.imp.unit, present=True, person_id__in=persons[start : start + BATCH]
                ).values_list("pk", "person_id", "row_hash")
                gone.extend((pk, person_id) for pk, person_id, digest in rows if (person_id, digest) in gone_keys)
        for start in range(0, len(gone), BATCH):
            StudyEntry.objects.filter(pk__in=[pk for pk, _ in gone[start : start + BATCH]]).update(
                present=False, last_import=self.imp, updated_at=self.now
            )
        self.changed_persons.update(person_id for _, person_id in gone)
        self.totals.changed = len(self.changed_persons)
        ids = sorted(self.changed_persons)
        for start in range(0, len(ids), BATCH):
            _log(self.ctx, self.imp, ids[start : start + BATCH])
