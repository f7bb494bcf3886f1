"""Every kind of record Vägval keeps about a person, declared once: what the register extract
walks and what retention removes.

Each model with a foreign key to people.Person is here (tests/test_records.py fails when a new
one is not), named by its label so that this app reads every casework app's rows without
importing them (it sits below the reports; docs/ARCHITECTURE.md). Per kind:

- `record_type`: which retention rule removes it: the person file (the casework of the unit
  that holds the person record) or the KAA register (the municipal activity duty's register);
- `statistics`: kept, with the person record anonymised, when the person has rows of a kind in
  STATISTICS_SOURCES (the ESF+ participant reports and the follow-up figures count them after
  the file is gone; the enrolment stays because those rows refer to it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from graphlib import TopologicalSorter

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vagval.dataprotection.models import RecordType

PERSON = "people.Person"


@dataclass(frozen=True)
class RecordKind:
    label: str  # the model's label, "journal.Note"
    title: Promise  # the extract's heading
    record_type: RecordType = RecordType.PERSON_FILE
    statistics: bool = False
    changed: str = "updated_at"  # when the row was last written: the file's "last entry"

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)


FILE, KAA = RecordType.PERSON_FILE, RecordType.KAA

KINDS: tuple[RecordKind, ...] = (
    RecordKind("people.Enrolment", _("Inskrivningar"), statistics=True),
    RecordKind("people.PersonChange", _("Ändringar av personuppgifterna"), changed="changed_at"),
    RecordKind("consent.Consent", _("Samtycken")),
    RecordKind("plans.Plan", _("Planer")),
    RecordKind("referrals.Referral", _("Remisser")),
    RecordKind("journal.Note", _("Anteckningar")),
    RecordKind("assessments.AssessmentLink", _("Länkar till kartläggningar")),
    RecordKind("assessments.Response", _("Kartläggningar")),
    RecordKind("catalogue.Placement", _("Placeringar")),
    RecordKind("catalogue.OfferListLink", _("Länkar till erbjudanden")),
    RecordKind("catalogue.Application", _("Ansökningar")),
    RecordKind("matching.MatchingProfile", _("Matchningsprofiler")),
    RecordKind("matching.MatchingSuggestion", _("Matchningsförslag")),
    RecordKind("matching.IntakePerson", _("Intag: personer")),
    RecordKind("matching.IntakePair", _("Intag: par")),
    RecordKind("followup.Exit", _("Avslut"), statistics=True),
    RecordKind("followup.FollowUp", _("Uppföljningar"), statistics=True),
    RecordKind("followup.FollowUpAttempt", _("Försök att nå personen för uppföljning")),
    RecordKind("followup.FollowUpLink", _("Uppföljningslänkar")),
    RecordKind("worklist.ItemMark", _("Markeringar i att göra-listan")),
    RecordKind("worklist.OwnViewLink", _("Länkar till den egna vyn")),
    RecordKind("esf.EsfEntry", _("ESF+-uppgifter"), statistics=True),
    RecordKind("dataprotection.LegalHold", _("Gallringsstopp")),
    RecordKind("registers.PopulationEntry", _("Folkbokföringsregistret (KAA)"), KAA),
    RecordKind("registers.StudyEntry", _("Studieregistret (KAA)"), KAA),
    RecordKind("targetgroup.Episode", _("Perioder i KAA- och UVAS-målgruppen"), KAA),
    RecordKind("kaa.Measure", _("KAA-åtgärder"), KAA),
    RecordKind("outreach.ContactAttempt", _("Uppsökande kontakter"), KAA),
    RecordKind("outreach.Occupation", _("Sysselsättning (KAA)"), KAA),
)

# Rows that statistics still count: a person with any of them is anonymised instead of deleted.
STATISTICS_SOURCES = ("esf.EsfEntry", "followup.Exit", "followup.FollowUp")

# Kinds that retention never removes: a hold is lifted, not deleted, and protects the record.
NEVER_REMOVED = frozenset({"dataprotection.LegalHold"})


def person_fields(model: type[models.Model]) -> list[str]:
    """The names of the model's foreign keys to a person record."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is not None and f.related_model._meta.label == PERSON
    ]


def kind(label: str) -> RecordKind:
    return next(k for k in KINDS if k.label == label)


def kinds_of(record_type: str) -> list[RecordKind]:
    return [k for k in KINDS if k.record_type == record_type and k.label not in NEVER_REMOVED]


def _reaches(model: type[models.Model], seen: set[str] | None = None) -> set[str]:
    """Every model this one refers to through foreign keys, transitively (stops at Person)."""
    seen = set() if seen is None else seen
    for field in model._meta.concrete_fields:
        target = field.related_model if field.is_relation else None
        if target is None or not isinstance(target, type):
            continue
        label = target._meta.label
        if label in seen or label == PERSON:
            continue
        seen.add(label)
        _reaches(target, seen)
    return seen


@cache
def deletion_order() -> tuple[str, ...]:
    """The kinds' labels in an order where a row is deleted before the rows it refers to (a
    placement before the plan step's plan, a follow-up before its exit), so that no PROTECT
    foreign key between the person's own rows stops a batch."""
    labels = {k.label for k in KINDS}
    graph: dict[str, set[str]] = {label: set() for label in labels}
    for label in labels:
        for target in _reaches(apps.get_model(label)) & labels:
            if target != label:
                graph[target].add(label)  # `label` refers to `target`: delete it first
    return tuple(TopologicalSorter(graph).static_order())
