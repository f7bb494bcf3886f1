"""Helpers for outreach tests: episodes on the unit's list and contact attempts, made directly."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from vagval.accounts.models import User
from vagval.kaa.models import Measure, Responsible
from vagval.organisations.models import Unit
from vagval.outreach.models import Channel, ContactAttempt, Outcome
from vagval.outreach.services import episode_contacts_keep
from vagval.people.models import Person
from vagval.people.tests.factories import PersonFactory, make_personnummer
from vagval.targetgroup.models import Episode, TargetList

_serials = itertools.count(500)


def young_person(*, birth_date: dt.date = dt.date(2008, 5, 1), **kwargs: object) -> Person:
    serial = next(_serials) % 999 + 1
    return PersonFactory(birth_date=birth_date, id_number=make_personnummer(birth_date, serial), **kwargs)


def on_list(
    unit: Unit,
    person: Person | None = None,
    *,
    opened_on: dt.date,
    target_list: str = TargetList.KAA,
    open_code: str = "avbrott",
    open_reason: str = "avbrott GY",
    closed_on: dt.date | None = None,
) -> Episode:
    return Episode.objects.create(
        unit=unit,
        municipality=unit.organisation.municipality,
        person=person or young_person(),
        target_list=target_list,
        opened_on=opened_on,
        open_code=open_code,
        open_reason=open_reason,
        closed_on=closed_on,
        close_code="flyttat" if closed_on else "",
    )


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def contact(
    episode: Episode,
    by: User,
    *,
    on: dt.date,
    outcome: str = Outcome.REACHED,
    channel: str = Channel.PHONE,
    made_at: dt.datetime | None = None,
) -> ContactAttempt:
    """An attempt at ten o'clock on `on` (or at `made_at`), with the episode's kept contact
    times updated as the contact service does."""
    attempt = ContactAttempt.objects.create(
        unit=episode.unit,
        person=episode.person,
        episode=episode,
        channel=channel,
        outcome=outcome,
        made_by=by,
        made_at=made_at or at(on),
    )
    episode_contacts_keep(episodes=Episode.objects.filter(pk=episode.pk))
    return attempt


def measure(episode: Episode, by: User, *, starts_on: dt.date) -> Measure:
    return Measure.objects.create(
        unit=episode.unit,
        person=episode.person,
        episode=episode,
        kind="studier",
        content="Studiebesök",
        responsible=Responsible.MUNICIPALITY,
        starts_on=starts_on,
        created_by=by,
    )
