"""The demo's activity: a year of consents, plans, referrals, notes and assessments, made through
the services, so that every feature has something to show."""

import datetime as dt
from collections import Counter
from random import Random

import pytest
from django.db import transaction
from django.utils import timezone

from vagval.access.checks import list_access, visible_persons
from vagval.accounts.models import User
from vagval.assessments.models import AssessmentLink, Response
from vagval.assessments.progress import closer_to_labour_market
from vagval.assessments.selectors import cohort_progress
from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.audit.services import AccessContext
from vagval.consent.models import Consent
from vagval.consent.selectors import consent_status, consents_expiring
from vagval.demo.activity import REFERRALS, ActivityBuilder, distance_series, generate_activity
from vagval.demo.persons import generate_persons
from vagval.demo.world import DEMO_USERNAMES, build_world
from vagval.journal.models import Note, NoteVisibility
from vagval.people.models import Protection
from vagval.plans.models import Plan, PlanStep
from vagval.referrals.models import Referral, ReferralStatus
from vagval.referrals.selectors import referral_overdue_counts

PERSONS = 300


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One demo world of 300 persons with its activity for the whole module, rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world(password="demo-losenord-123")
        generate_persons(world=world, count=PERSONS, seed=1)
        result = generate_activity(world=world, seed=1)
        yield world, result
        transaction.set_rollback(True)


@pytest.fixture
def users(demo, db):
    return {user.username: user for user in User.objects.all()}


def test_every_service_call_of_the_activity_is_accepted(demo, db):
    _world, result = demo

    assert result.refused == 0
    assert result.consents > 0
    assert result.plans > 0
    assert result.referrals > 0
    assert result.notes > 0
    assert result.responses > 0


def test_arbetsformedlingen_ludvika_sees_young_people_under_consent(users):
    partner = users["af.ludvika"]

    persons = list(visible_persons(viewer=partner))
    grants = list_access(viewer=partner, persons=persons)

    under_consent = [p for p in persons if grants[p.pk].basis == AccessBasis.CONSENT]
    assert under_consent
    assert all(p.protection == Protection.NONE for p in under_consent)


def test_coach_ludvika_has_consents_ending_within_30_days(users):
    expiring = consents_expiring(viewer=users["coach.ludvika"])

    assert expiring
    assert all(0 <= item.days_left <= 30 for item in expiring)


def test_one_consent_is_withdrawn_and_one_has_expired(demo, db):
    statuses = Counter(consent_status(consent) for consent in Consent.objects.all())

    assert statuses["withdrawn"] == 1
    assert statuses["expired"] == 1
    assert statuses["active"] > 10


def test_no_consent_or_referral_concerns_a_protected_person(demo, db):
    assert not Consent.objects.exclude(person__protection=Protection.NONE).exists()
    assert not Referral.objects.exclude(person__protection=Protection.NONE).exists()


def test_some_referrals_are_overdue_and_others_answered(users):
    coach = referral_overdue_counts(viewer=users["coach.ludvika"])
    partner = referral_overdue_counts(viewer=users["af.ludvika"])

    assert 1 <= coach.outgoing <= 4
    assert 1 <= partner.incoming <= 4
    statuses = Counter(Referral.objects.values_list("status", flat=True))
    assert statuses[ReferralStatus.ACCEPTED] >= 2
    assert statuses[ReferralStatus.DECLINED] >= 1
    assert statuses[ReferralStatus.SENT] >= 3
    assert not Referral.objects.filter(status=ReferralStatus.DECLINED, decline_reason="").exists()


def test_an_accepted_referral_became_a_step_in_the_plan(users):
    partner_unit = users["af.ludvika"].unit
    step_texts = {step_text for _measure, _reason, step_text, _response in REFERRALS}

    from_referrals = PlanStep.objects.filter(responsible_unit=partner_unit, content__in=step_texts)

    assert from_referrals.exists()


def test_plans_have_goals_steps_and_some_steps_ended_with_a_reason(demo, db):
    plans = list(Plan.objects.prefetch_related("goals", "steps"))

    assert len(plans) >= 10
    for plan in plans:
        assert 1 <= len(plan.goals.all()) <= 3
        assert len(plan.steps.all()) >= 2
    ended = PlanStep.objects.exclude(ends_on=None)
    assert ended.exists()
    assert not ended.filter(end_reason="").exists()
    assert PlanStep.objects.filter(ends_on=None, follow_up_on__isnull=False).exists()
    sip = Plan.objects.filter(is_sip=True)
    assert sip.exists()
    assert not sip.filter(overall_responsibility=None).exists()


def test_notes_are_mostly_for_the_own_unit_and_some_are_shared(demo, db):
    visibility = Counter(Note.objects.values_list("visibility", flat=True))

    assert visibility[NoteVisibility.OWN_UNIT] > visibility[NoteVisibility.SHARED] > 0
    assert Note.objects.values("person").distinct().count() >= 20


def test_the_cohort_for_ledare_has_participants_who_moved_closer(users):
    ledare = users["ledare"]

    view = cohort_progress(viewer=ledare, ctx=AccessContext(user=ledare))

    assert view.total.participants > 0
    assert view.total.assessed > 0
    assert 0 < view.total.closer < view.total.assessed


def test_vagen_framat_is_answered_at_start_and_followed_up(demo, db):
    contexts = Counter(Response.objects.filter(instrument__slug="vagen-framat").values_list("context", flat=True))

    assert contexts["start"] > 0
    assert contexts["uppfoljning"] > 0
    assert Response.objects.filter(instrument__sensitive=True).exists()


def test_there_is_an_active_link_for_a_young_person_and_one_for_a_supervisor(demo, db):
    active = [link for link in AssessmentLink.objects.all() if link.status == "active"]

    assert {link.respondent for link in active} == {"den_unga", "handledare"}
    assert AssessmentLink.objects.filter(used_at__isnull=False).exists()


def test_the_access_log_shows_the_demo_users_working_over_the_past_year(demo, db):
    # Besides the users the world's setup created as the demo actor.
    entries = AccessLogEntry.objects.exclude(action="user.created", username="system:demodata")
    now = timezone.now()

    assert set(entries.values_list("username", flat=True)) <= set(DEMO_USERNAMES)
    assert set(entries.values_list("client_address", flat=True)) == {"127.0.0.1"}
    assert not entries.filter(at__gt=now).exists()
    assert entries.filter(at__lt=now - dt.timedelta(days=180)).exists()
    assert entries.filter(action="referral.sent", basis=AccessBasis.OWN_UNIT, consent_id__isnull=False).exists()
    assert entries.filter(action="person.viewed", basis=AccessBasis.CONSENT).exists()


def test_the_same_seed_schedules_the_same_year(demo, db):
    world, _result = demo
    now = timezone.now()

    def schedule(seed):
        builder = ActivityBuilder(world=world, seed=seed, now=now)
        builder.schedule()
        return [(event.when, event.action.__qualname__) for event in builder.timeline.events]

    first = schedule(1)

    assert first == schedule(1)
    assert first != schedule(2)


@pytest.mark.parametrize("seed", range(40))
def test_a_vagen_framat_series_moves_closer_exactly_when_asked_to(seed):
    rng = Random(seed)
    for closer in (True, False):
        series = distance_series(rng, areas=8, responses=3, closer=closer)

        assert len(series) == 3
        assert all(1 <= step <= 5 for steps in series for step in steps)
        first = {str(i): float(v) for i, v in enumerate(series[0])}
        last = {str(i): float(v) for i, v in enumerate(series[-1])}
        assert closer_to_labour_market(first=first, latest=last, rule="mean_rose") is closer
