"""Hand-made histories for the retention tests: a person record at a unit whose rows are all
dated as if last written on a given day."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.dataprotection import records
from vagval.dataprotection.models import RecordType, RetentionRule
from vagval.journal.models import Note
from vagval.people.models import Person
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory, make_personnummer


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def date_back(person: Person, day: dt.date) -> None:
    """Make every row about the person look last written on `day` (update() skips auto_now)."""
    for kind in records.KINDS:
        kind.model._default_manager.filter(person=person).update(**{kind.changed: at(day)})
    Person.objects.filter(pk=person.pk).update(updated_at=at(day))


_serial = iter(range(100, 999))


def file_at(unit, *, last_entry: dt.date, born: dt.date = dt.date(2001, 3, 14), project=None, **fields) -> Person:
    """A person record held by `unit` with an enrolment and a note, last written on `last_entry`."""
    person = PersonFactory(unit=unit, birth_date=born, id_number=make_personnummer(born, next(_serial)), **fields)
    enrolment = EnrolmentFactory(person=person, unit=unit, **({"project": project} if project else {}))
    author = enrolment.coach or UserFactory(unit=unit, role=Role.COACH)
    Note.objects.create(person=person, unit=unit, author=author, text="Vi sågs.", written_at=at(last_entry))
    date_back(person, last_entry)
    return person


def rule_for(unit, admin, **fields) -> RetentionRule:
    values = {
        "record_type": RecordType.PERSON_FILE,
        "years_after_last_entry": 5,
        "by_end_of_following_year": False,
        "keep_while_other_records": True,
        "research_exception": False,
        "decision_reference": "KS 2026/123",
        **fields,
    }
    return RetentionRule.objects.create(organisation=unit.organisation, changed_by=admin, **values)
