"""Demo placements: coach.ludvika's young people in offers of the catalogue, in progress.

Some placements have started (with supervisor assessments sent and one answered), one offer is
full with a waiting list, and a group activity has sessions with attendance. Everything goes
through the placement services as coach.ludvika, so plan steps, history and access-log entries
exist as in real use.

The offers: Ludvika's open offers of the catalogue when the catalogue's demo has made them
(an internship-like offer and a group activity), else a small set of our own (DEMO_OFFERS),
made here so that the placements have somewhere to be.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from random import Random
from typing import Any

from django.db import transaction
from django.utils import timezone

from vagval.assessments import services as assessment_services
from vagval.assessments.definitions import definition_of
from vagval.audit.services import AccessContext
from vagval.catalogue import group_activities, placement_assessments, placement_services
from vagval.catalogue.models import (
    Offer,
    OfferKind,
    OfferStatus,
    Placement,
    PlacementStatus,
    Provider,
    ProviderContact,
    ProviderKind,
)
from vagval.common.errors import VagvalError
from vagval.demo.world import DemoWorld
from vagval.people.models import Enrolment, EnrolmentStatus

COACH = "coach.ludvika"
CLIENT_ADDRESS = "127.0.0.1"
S = PlacementStatus


@dataclass(frozen=True)
class PlacementsResult:
    placements: int
    started: int
    waiting: int
    sessions: int


# (provider, provider kind, SNI section, offer title, offer kind, capacity, hours per week, supervisor)
DEMO_OFFERS = [
    ("Ludvika Verkstadsteknik AB", ProviderKind.EMPLOYER, "C", "Praktik i verkstaden", OfferKind.INTERNSHIP, 2, 30,
     "Göran Lind"),
    ("Vårdboendet Solgården", ProviderKind.MUNICIPAL, "Q", "Praktik som vårdbiträde", OfferKind.INTERNSHIP, 3, 25,
     "Helena Ek"),
    ("ICA Kvantum Ludvika", ProviderKind.EMPLOYER, "G", "Praktik i butik", OfferKind.INTERNSHIP, 1, 20,
     "Mats Berglund"),
    ("Ludvika Friluftsfrämjande", ProviderKind.ASSOCIATION, "R", "Friluftsgruppen på tisdagar",
     OfferKind.GROUP_ACTIVITY, 8, 3, "Sara Holm"),
]  # fmt: skip


def _own_offers(world: DemoWorld) -> list[Offer]:
    organisation = world.units["ludvika.ame"].organisation
    offers = []
    for provider_name, kind, sni, title, offer_kind, capacity, hours, supervisor_name in DEMO_OFFERS:
        provider, _created = Provider.objects.get_or_create(
            name=provider_name,
            owner=organisation,
            defaults={"kind": kind, "sni_section": sni, "municipality": organisation.municipality},
        )
        supervisor, _created = ProviderContact.objects.get_or_create(
            provider=provider,
            name=supervisor_name,
            defaults={"role": "handledare", "email": f"{supervisor_name.split()[0].lower()}@example.se"},
        )
        offer, _created = Offer.objects.get_or_create(
            title=title,
            provider=provider,
            defaults={
                "kind": offer_kind,
                "owner": organisation,
                "municipality": organisation.municipality,
                "capacity": capacity,
                "hours_per_week": Decimal(hours),
                "supervisor": supervisor,
                "status": OfferStatus.OPEN,
                "description": "Ett erbjudande i Vägvals demo.",
            },
        )
        offers.append(offer)
    return offers


def _offers(world: DemoWorld) -> tuple[list[Offer], Offer]:
    """Work-like offers and one group activity in Ludvika: the catalogue's if there, else ours."""
    organisation = world.units["ludvika.ame"].organisation
    open_offers = Offer.objects.filter(status=OfferStatus.OPEN, owner=organisation).order_by("title")
    work = list(open_offers.filter(kind__in=[OfferKind.INTERNSHIP, OfferKind.SOCIAL_TRAINING])[:3])
    group = open_offers.filter(kind=OfferKind.GROUP_ACTIVITY).first()
    if len(work) < 3 or group is None:
        own = _own_offers(world)
        work, group = own[:3], own[3]
    return work, group


def generate_placements(*, world: DemoWorld, seed: int = 1) -> PlacementsResult:
    """Placements for coach.ludvika's young people, in one transaction."""
    coach = world.users[COACH]
    ctx = AccessContext(user=coach, client_address=CLIENT_ADDRESS)
    rng = Random(seed)
    assert coach.unit_id is not None  # the demo coach works at Ludvika's arbetsmarknadsenhet
    today = timezone.localdate()
    with transaction.atomic():
        work, group = _offers(world)
        enrolments = list(
            Enrolment.objects.filter(coach=coach, unit_id=coach.unit_id, status=EnrolmentStatus.ACTIVE)
            .select_related("person")
            .order_by("starts_on", "pk")[:14]
        )
        # The first work offer gets one place, so that it is full and keeps a waiting list.
        full = work[0]
        full.capacity = 1
        full.save(update_fields=["capacity", "updated_at"])
        plans: list[tuple[Enrolment, Offer, str]] = []
        for index, enrolment in enumerate(enrolments):
            if index < 3:
                plans.append((enrolment, work[index % len(work)], "paborjad"))
            elif index < 5:
                plans.append((enrolment, full, "vantelista"))
            elif index < 7:
                plans.append((enrolment, work[1 + index % 2], rng.choice(["erbjuden", "foreslagen"])))
            elif index < 12:
                plans.append((enrolment, group, "paborjad"))
        made = [p for p in (_place(ctx, e, o, target, today, rng) for e, o, target in plans) if p is not None]
        started = [p for p in made if p.status == S.STARTED and p.offer.kind != OfferKind.GROUP_ACTIVITY]
        for placement in started:
            _assess(ctx, placement)
        sessions = _sessions(ctx, group, today, rng)
    return PlacementsResult(
        placements=len(made),
        started=sum(1 for p in made if p.status == S.STARTED),
        waiting=sum(1 for p in made if p.status == S.WAITING),
        sessions=sessions,
    )


def _place(
    ctx: AccessContext, enrolment: Enrolment, offer: Offer, target: str, today: dt.date, rng: Random
) -> Placement | None:
    try:
        if target == "vantelista":
            return placement_services.placement_create(ctx=ctx, enrolment=enrolment, offer=offer, status=S.WAITING)
        if target == "foreslagen":
            return placement_services.placement_create(ctx=ctx, enrolment=enrolment, offer=offer)
        placement = placement_services.placement_create(ctx=ctx, enrolment=enrolment, offer=offer, status=S.OFFERED)
        if target == "paborjad":
            placement = placement_services.placement_change_status(ctx=ctx, placement=placement, status=S.ACCEPTED)
            started = today - dt.timedelta(days=rng.randint(20, 70))
            placement = placement_services.placement_change_status(
                ctx=ctx, placement=placement, status=S.STARTED, on=started
            )
        return placement
    except VagvalError:  # a full offer or a person already placed there: the demo goes on
        return None


def _assess(ctx: AccessContext, placement: Placement) -> None:
    """The first supervisor assessment sent (shown on screen), and answered by the supervisor."""
    created = placement_assessments.placement_assessment_send(
        ctx=ctx, placement=placement, send_via="", url_for=lambda token: f"/kartlaggning/l/{token}/"
    )
    definition = definition_of(created.link.instrument_version)
    raw: dict[str, Any] = {}
    for section in definition.sections:
        for item in section.items:
            if item.type == "scale" and item.steps:
                raw[item.field_name] = str(item.steps[len(item.steps) // 2].value)
    with contextlib.suppress(VagvalError):  # the instrument changed shape: the link stays unanswered
        assessment_services.link_submit(link=created.link, client_address=CLIENT_ADDRESS, raw_answers=raw)


def _sessions(ctx: AccessContext, group: Offer, today: dt.date, rng: Random) -> int:
    """Weekly sessions of the group activity over the last five weeks, with attendance."""
    if group.owner_id != (ctx.user.unit.organisation_id if ctx.user.unit else None):
        return 0
    count = 0
    for weeks_ago in range(5, 0, -1):
        held_on = today - dt.timedelta(weeks=weeks_ago)
        session = group_activities.group_session_create(
            ctx=ctx, offer=group, held_on=held_on, hours=Decimal(3), topic="Vandring och matlagning ute"
        )
        count += 1
        participants = group_activities.attendance_placements(ctx=ctx, session=session)
        if participants:
            group_activities.attendance_record(
                ctx=ctx, session=session, attended={p.pk: rng.random() < 0.8 for p in participants}
            )
    return count
