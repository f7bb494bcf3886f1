"""The demo's Second Chance School term in Ludvika (seed 003): an admission round with applicants
in every step, recorded by Ludvika's coach through the admission services."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from vagval.audit.services import AccessContext
from vagval.catalogue import admission_services as services
from vagval.catalogue.models import (
    AdmissionDecision,
    AdmissionRound,
    ApplicationSource,
    Offer,
    OfferKind,
    OfferStatus,
    Provider,
    ProviderKind,
    StudyKind,
)
from vagval.demo.world import DemoWorld
from vagval.people.models import Enrolment, EnrolmentStatus

SCHOOL = "Second Chance School Ludvika"
APPLICANTS = 14


def _school(world: DemoWorld) -> Offer:
    """The catalogue's Second Chance School offer in Ludvika; made here if the catalogue has none."""
    found = Offer.objects.filter(study_kind=StudyKind.SECOND_CHANCE, provider__name=SCHOOL).first()
    if found is not None:
        return found
    owner = world.units["ludvika.ame"].organisation
    provider, _ = Provider.objects.get_or_create(
        name=SCHOOL, defaults={"kind": ProviderKind.MUNICIPAL, "owner": owner, "address": "Engelbrektsgatan 1"}
    )
    return Offer.objects.create(
        kind=OfferKind.STUDY,
        study_kind=StudyKind.SECOND_CHANCE,
        title="Second Chance School – studier med stöd",
        description=(
            "En skola för dig som vill gå klart grundskolan eller gymnasiet men behöver en annan väg. "
            "Små grupper, en egen mentor och praktik på en arbetsplats."
        ),
        provider=provider,
        owner=owner,
        capacity=15,
        hours_per_week=25,
        min_age=16,
        max_age=24,
        status=OfferStatus.OPEN,
    )


def generate_admission(*, world: DemoWorld, seed: int = 1, today: dt.date | None = None) -> int:
    """A term starting in August with applicants at every step; returns the number of applications."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    coach = world.users["coach.ludvika"]
    ctx = AccessContext(user=coach)
    with transaction.atomic():
        school = _school(world)
        name = f"Hösten {today.year + (1 if today.month >= 6 else 0)}"
        if AdmissionRound.objects.filter(offer=school, name=name).exists():
            return 0
        term = services.round_create(
            ctx=ctx,
            offer=school,
            data=services.RoundData(
                name=name, starts_on=dt.date(int(name[-4:]), 8, 17), places=8, applications_close_on=None
            ),
        )
        enrolments = list(
            Enrolment.objects.filter(unit=coach.unit, person__unit=coach.unit, status=EnrolmentStatus.ACTIVE).order_by(
                "person__last_name", "pk"
            )[:APPLICANTS]
        )
        sources = list(ApplicationSource.values)
        for index, enrolment in enumerate(enrolments):
            application = services.application_create(
                ctx=ctx,
                admission_round=term,
                enrolment_id=enrolment.pk,
                source=rng.choice(sources),
                applied_on=today - dt.timedelta(days=rng.randint(10, 60)),
            )
            _advance(ctx, application.pk, steps=index % 5, today=today, index=index)
    return len(enrolments)


def _advance(ctx: AccessContext, application_id: object, *, steps: int, today: dt.date, index: int) -> None:
    decision = (AdmissionDecision.ADMITTED, AdmissionDecision.RESERVE, AdmissionDecision.REJECTED)[index % 3]
    for step in range(steps):
        data = services.StepData(on=today - dt.timedelta(days=8 - 2 * step))
        if step == 1:
            data = services.StepData(on=data.on, notes="Vill läsa in grundskolan och sedan vård och omsorg.")
        if step == 2:
            data = services.StepData(on=data.on, decision=decision, reason="Fler sökande än platser." * (index % 3 > 0))
        if step == 3 and decision != AdmissionDecision.ADMITTED:
            return
        services.application_advance(ctx=ctx, application_id=application_id, data=data)  # type: ignore[arg-type]
