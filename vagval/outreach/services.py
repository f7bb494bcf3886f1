"""Writes for outreach: contact attempts, printed letters and occupation entries.

Each write checks the access (the person is the unit's own, the viewer a KAA-ansvarig or coach
who may write), validates with Swedish field errors before touching the database, and saves
its row and its access-log entry in one transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Min, OuterRef, QuerySet, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.access.checks import PersonAccess
from vagval.audit.services import AccessContext, access_log_record
from vagval.common.errors import InvalidInput, PermissionDenied
from vagval.organisations.models import Unit
from vagval.outreach.models import Channel, ContactAttempt, Occupation, OccupationCategory, OccupationSource, Outcome
from vagval.outreach.selectors import open_episode, outreach_person
from vagval.people.models import Person
from vagval.plans.pdf import render_pdf
from vagval.targetgroup.models import Episode

NOTE_MAX = 2000
DESCRIPTION_MAX = 200
# A clock a few minutes ahead on the user's device should not make "now" a future time.
FUTURE_SLACK = dt.timedelta(minutes=10)


# --- Contact attempts ------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactData:
    channel: str
    outcome: str
    note: str = ""
    made_at: dt.datetime | None = None  # None: now


def _contact_errors(data: ContactData, now: dt.datetime) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.channel not in Channel.values:
        errors["channel"] = [_("Välj hur du försökte nå den unga.")]
    if data.outcome not in Outcome.values:
        errors["outcome"] = [_("Välj hur det gick.")]
    if len(data.note) > NOTE_MAX:
        errors["note"] = [_("Anteckningen får vara högst %(max)s tecken.") % {"max": NOTE_MAX}]
    if data.made_at is not None and data.made_at > now + FUTURE_SLACK:
        errors["made_at"] = [_("Tidpunkten kan inte ligga i framtiden.")]
    return errors


def contact_attempt_record(*, ctx: AccessContext, person_id: uuid.UUID, data: ContactData) -> ContactAttempt:
    """Record an attempt to reach the young person, linked to their open episode at the unit."""
    person, access = outreach_person(viewer=ctx.user, person_id=person_id, write=True)
    now = timezone.now()
    errors = _contact_errors(data, now)
    if errors:
        raise InvalidInput(_("Kontaktförsöket innehåller fel."), field_errors=errors)
    with transaction.atomic():
        attempt = _save_attempt(
            ctx=ctx,
            person=person,
            channel=data.channel,
            outcome=data.outcome,
            note=data.note.strip(),
            made_at=data.made_at or now,
        )
        access_log_record(
            ctx=ctx,
            action="outreach.contact_recorded",
            person_id=person.pk,
            basis=access.basis,
            detail={"contact": str(attempt.pk), "channel": attempt.channel, "outcome": attempt.outcome},
        )
    return attempt


def _save_attempt(
    *, ctx: AccessContext, person: Person, channel: str, outcome: str, note: str, made_at: dt.datetime
) -> ContactAttempt:
    """The attempt, on the person's open episode, whose kept contact times it updates."""
    unit_id = ctx.user.unit_id
    assert unit_id is not None  # outreach_person only answers for users with a unit
    episode = open_episode(unit_id=unit_id, person=person)
    if episode is not None:
        # Locked before the attempt is written: an attempt recorded at the same moment waits, and
        # its update below then sees this one (each statement reads what is committed).
        Episode.objects.select_for_update().filter(pk=episode.pk).values_list("pk").get()
    attempt = ContactAttempt.objects.create(
        unit_id=unit_id,
        person=person,
        episode=episode,
        channel=channel,
        outcome=outcome,
        note=note,
        made_by=ctx.user,
        made_at=made_at,
    )
    if episode is not None:
        episode_contacts_keep(episodes=Episode.objects.filter(pk=episode.pk))
    return attempt


def episode_contacts_keep(*, episodes: QuerySet[Episode]) -> int:
    """Set the episodes' last_contact_at and first_reached_at from their contact attempts.

    The one rule for those columns: the latest attempt, and the first with outcome 'nådd'
    (None when there is none). Run in the transaction of every write of attempts; the
    worklist ranks and counts from the columns alone. Returns the number of episodes updated.
    """
    contacts = ContactAttempt.objects.filter(episode=OuterRef("pk")).order_by().values("episode")
    return episodes.update(
        last_contact_at=Subquery(contacts.annotate(at=Max("made_at")).values("at")),
        first_reached_at=Subquery(contacts.filter(outcome=Outcome.REACHED).annotate(at=Min("made_at")).values("at")),
    )


# --- Letters ---------------------------------------------------------------------------------

PROTECTED_REFUSED = gettext_lazy(
    "Personen har skyddade personuppgifter. Brev kan bara skrivas ut av ansvarig coach, "
    "som först bekräftar att brevet får skickas."
)
CONFIRM_REQUIRED = gettext_lazy("Bekräfta att brevet får skickas till en person med skyddade personuppgifter.")


@dataclass(frozen=True)
class PrintedLetter:
    pdf: bytes
    filename: str
    attempt: ContactAttempt


def letter_html(*, person: Person, unit: Unit, today: dt.date) -> str:
    """The letter to the young person. A protected person's address is never printed (it goes via Skatteverket)."""
    return render_to_string(
        "outreach/letter_print.html",
        {"person": person, "unit": unit, "show_address": not person.is_protected, "today": today},
    )


def letter_refused(*, person: Person, access: PersonAccess) -> bool:
    """A letter to a protected person is only for the responsible coach (who sees the contact details)."""
    return person.is_protected and not access.sees_contact_details


def letter_print(*, ctx: AccessContext, person_id: uuid.UUID, confirmed_protected: bool = False) -> PrintedLetter:
    """Print a letter to the young person and record it as a contact attempt by letter.

    A letter sent is an attempt that has not yet reached anyone: it is recorded with the outcome
    'ej nådd', and the coach records a new attempt with 'nådd' when the young person answers.
    A protected person gets a letter only from the responsible coach after confirmation.
    """
    person, access = outreach_person(viewer=ctx.user, person_id=person_id, write=True)
    if letter_refused(person=person, access=access):
        raise PermissionDenied(PROTECTED_REFUSED)
    if person.is_protected and not confirmed_protected:
        raise InvalidInput(CONFIRM_REQUIRED, field_errors={"confirm_protected": [str(CONFIRM_REQUIRED)]})
    assert ctx.user.unit_id is not None  # outreach_person only answers for users with a unit
    unit = Unit.objects.select_related("organisation").get(pk=ctx.user.unit_id)
    now = timezone.now()
    today = timezone.localdate(now)
    # Rendered before the transaction: a failing PDF leaves nothing behind.
    pdf = render_pdf(html=letter_html(person=person, unit=unit, today=today))
    with transaction.atomic():
        attempt = _save_attempt(
            ctx=ctx,
            person=person,
            channel=Channel.LETTER,
            outcome=Outcome.NOT_REACHED,
            note="Brev utskrivet i Vägval.",
            made_at=now,
        )
        access_log_record(
            ctx=ctx,
            action="outreach.letter_printed",
            person_id=person.pk,
            basis=access.basis,
            detail={"contact": str(attempt.pk), "protected": person.is_protected},
        )
    return PrintedLetter(pdf=pdf, filename=f"brev-{today.isoformat()}.pdf", attempt=attempt)


# --- Occupation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OccupationData:
    category: str
    source: str
    from_date: dt.date
    planned: bool = False
    description: str = ""


def _occupation_errors(data: OccupationData, person: Person, today: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.category not in OccupationCategory.values:
        errors["category"] = [_("Välj en sysselsättning i listan.")]
    if data.source not in OccupationSource.values:
        errors["source"] = [_("Välj varifrån uppgiften kommer.")]
    if len(data.description) > DESCRIPTION_MAX:
        errors["description"] = [_("Beskrivningen får vara högst %(max)s tecken.") % {"max": DESCRIPTION_MAX}]
    if not data.planned and data.from_date > today:
        errors["from_date"] = [
            _("Datumet ligger i framtiden. Markera sysselsättningen som planerad eller ändra datumet.")
        ]
    elif person.birth_date and data.from_date < person.birth_date:
        errors["from_date"] = [_("Datumet ligger före personens födelsedatum.")]
    return errors


def occupation_record(*, ctx: AccessContext, person_id: uuid.UUID, data: OccupationData) -> Occupation:
    """Add an entry to the person's occupation history at the unit (past, current or planned)."""
    person, access = outreach_person(viewer=ctx.user, person_id=person_id, write=True)
    errors = _occupation_errors(data, person, timezone.localdate())
    if errors:
        raise InvalidInput(_("Sysselsättningen innehåller fel."), field_errors=errors)
    unit_id = ctx.user.unit_id
    assert unit_id is not None
    with transaction.atomic():
        occupation = Occupation.objects.create(
            unit_id=unit_id,
            person=person,
            category=data.category,
            description=data.description.strip(),
            from_date=data.from_date,
            planned=data.planned,
            source=data.source,
            recorded_by=ctx.user,
        )
        access_log_record(
            ctx=ctx,
            action="outreach.occupation_recorded",
            person_id=person.pk,
            basis=access.basis,
            detail={"occupation": str(occupation.pk), "category": occupation.category},
        )
    return occupation
