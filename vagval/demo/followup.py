"""Demo exits and follow-ups (issue 12): coach.ludvika's participants who left, with follow-ups in
every state — kommande, att göra (link sent; unanswered and with the coach; a register
suggestion), klar (answered by the young person, recorded by the coach), ej nådd after listed
attempts, and ej aktuell after a re-entry.

Everything goes through followup's services and jobs as the demo users and the job actor, so the
access log and the cascade (placements, plan steps, referrals) are as in real use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from random import Random

from django.utils import timezone

from vagval.accounts.system import SystemActor, system_context
from vagval.audit.services import AccessContext
from vagval.demo.world import DemoWorld
from vagval.followup import jobs, services
from vagval.followup.models import Exit, FollowUp, FollowUpKind, FollowUpLink, FollowUpStatus
from vagval.people import services as people_services
from vagval.people.models import Enrolment, EnrolmentStatus, Protection

# Days before today of each exit, and what happens to it.
PLAN = [
    (5, "upcoming"),
    (12, "upcoming"),
    (31, "link_sent"),
    (33, "to_coach"),
    (34, "register"),
    (40, "answered"),
    (95, "recorded"),
    (100, "not_reached"),
    (200, "answered"),
    (60, "reentered"),
]


@dataclass(frozen=True)
class FollowUpDemoResult:
    exits: int
    follow_ups: int


def generate_followups(*, world: DemoWorld, seed: int = 1, today: dt.date | None = None) -> FollowUpDemoResult:
    today = today or timezone.localdate()
    rng = Random(seed)
    coach = world.users["coach.ludvika"]
    assert coach.unit_id is not None
    ctx = AccessContext(user=coach, client_address="demo")
    candidates = list(
        Enrolment.objects.select_related("person")
        .filter(
            unit_id=coach.unit_id,
            status=EnrolmentStatus.ACTIVE,
            person__protection=Protection.NONE,
            starts_on__lte=today - dt.timedelta(days=220),
        )
        .order_by("starts_on", "pk")[:60]
    )
    rng.shuffle(candidates)
    made = 0
    for (days_ago, fate), enrolment in zip(PLAN, candidates, strict=False):
        exit_ = services.enrolment_exit(
            ctx=ctx,
            enrolment=enrolment,
            data=services.ExitData(
                exit_on=today - dt.timedelta(days=days_ago),
                reason=rng.choice(["malet_natt", "vill_inte_fortsatta", "ingen_kontakt", "flyttat"]),
                situation=rng.choice(["i_arbete", "i_utbildning", "soker_arbete", "alternativ_arbetsmarknad"]),
                source="ungdomen",
            ),
            today=today,
        )
        made += 1
        type(enrolment.person).objects.filter(pk=enrolment.person_id).update(
            phone="" if fate == "to_coach" else "070-000 00 00"
        )
        _play(fate, exit_=exit_, enrolment=enrolment, ctx=ctx, today=today)
    services.follow_ups_fall_due(today=today)
    # The unanswered link of "to_coach" was sent ten days ago and reminded twice.
    services.follow_up_reminders_send(today=today)
    services.register_suggestions_apply(today=today)
    return FollowUpDemoResult(exits=made, follow_ups=FollowUp.objects.filter(unit_id=coach.unit_id).count())


def _play(fate: str, *, exit_: Exit, enrolment: Enrolment, ctx: AccessContext, today: dt.date) -> None:
    services.follow_ups_fall_due(today=today)
    first = FollowUp.objects.filter(exit=exit_, kind=FollowUpKind.WEEKS_4).first()
    if first is None or first.status != FollowUpStatus.DUE:
        if fate == "reentered":
            people_services.enrolment_create(
                ctx=ctx,
                person=enrolment.person,
                data=people_services.EnrolmentData(project_id=enrolment.project_id, starts_on=today),
            )
        return
    if fate == "to_coach":
        FollowUp.objects.filter(pk=first.pk).update(needs_coach=True)
    elif fate == "answered":
        link = FollowUpLink.objects.filter(follow_up=first).first()
        if link is not None:
            young = system_context(SystemActor.PERSONAL_LINK, detail="demo")
            jobs.follow_up_answer(ctx=young, link=link, doing_now="jobbar", qualification=False, contact=False)
    elif fate == "recorded":
        services.follow_up_record(ctx=ctx, follow_up=first, outcome="i_utbildning", source="partner", today=today)
    elif fate == "not_reached":
        for days in (3, 1):
            services.follow_up_attempt_add(
                ctx=ctx,
                follow_up=first,
                attempted_on=today - dt.timedelta(days=days),
                method="telefon",
                note="Inget svar",
                today=today,
            )
        first.refresh_from_db()
        services.follow_up_not_reached(ctx=ctx, follow_up=first, today=today)
    elif fate == "register":
        FollowUp.objects.filter(pk=first.pk).update(suggested_outcome="i_utbildning")
    elif fate == "reentered":
        people_services.enrolment_create(
            ctx=ctx,
            person=enrolment.person,
            data=people_services.EnrolmentData(project_id=enrolment.project_id, starts_on=today),
        )
