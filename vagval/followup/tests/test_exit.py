"""Leaving a project: the cascade in one transaction, nothing changed when it fails, re-entry."""

import datetime as dt

import pytest

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.catalogue.models import Placement, PlacementEndReason, PlacementEvent, PlacementStatus
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.followup import services
from vagval.followup.models import Exit, FollowUp, FollowUpKind, FollowUpStatus
from vagval.followup.tests.conftest import EXIT_ON, exit_data
from vagval.people import services as people_services
from vagval.people.models import Enrolment, EnrolmentStatus
from vagval.plans import services as plan_services
from vagval.plans.models import EndReason, PlanStep, ResponsibleKind
from vagval.plans.selectors import plan_access
from vagval.plans.tests.factories import add_step
from vagval.referrals.models import Referral, ReferralEventKind, ReferralStatus


def test_leaving_ends_the_enrolment_placements_steps_and_referrals_and_schedules_follow_ups(
    alice, enrolment, everything
):
    placement, steps, referral = everything
    exit_ = services.enrolment_exit(ctx=ctx_for(alice), enrolment=enrolment, data=exit_data())

    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.ends_on, enrolment.starts_on) == (
        EnrolmentStatus.ENDED,
        EXIT_ON,
        dt.date(2026, 1, 15),
    )
    placement.refresh_from_db()
    assert (placement.status, placement.end_reason) == (PlacementStatus.ENDED, PlacementEndReason.PARTICIPATION_ENDED)
    for step in PlanStep.objects.filter(pk__in=[s.pk for s in steps]):
        assert step.end_reason == EndReason.PARTICIPATION_ENDED
        assert step.ends_on == EXIT_ON
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN
    # The recipient sees why: the withdrawal is an event on the referral they can read.
    assert referral.events.filter(kind=ReferralEventKind.WITHDRAWN, text=services.WITHDRAW_NOTE).exists()
    dates = dict(FollowUp.objects.filter(exit=exit_).values_list("kind", "due_on"))
    assert dates == {
        FollowUpKind.WEEKS_4: dt.date(2026, 7, 28),
        FollowUpKind.DAYS_90: dt.date(2026, 9, 28),
        FollowUpKind.MONTHS_6: dt.date(2026, 12, 30),
    }
    assert set(FollowUp.objects.values_list("status", flat=True)) == {FollowUpStatus.UPCOMING}
    entry = AccessLogEntry.objects.get(action="exit.created")
    assert entry.person_id == enrolment.person_id
    assert entry.detail["placements"] == 1
    assert entry.detail["steps"] == 2
    assert entry.detail["referrals"] == 1


def test_after_leaving_the_plan_is_read_only_for_partners_but_still_readable(
    alice, frida, enrolment, plan, steps, consent
):
    before = plan_access(viewer=frida, plan=plan)
    assert before is not None
    assert before.may_add_steps

    services.enrolment_exit(ctx=ctx_for(alice), enrolment=enrolment, data=exit_data())

    after = plan_access(viewer=frida, plan=plan)
    assert after is not None
    assert not after.may_add_steps
    assert not after.may_change_step(responsible_unit_id=frida.unit_id)
    with pytest.raises(PermissionDenied):
        plan_services.plan_step_add(
            ctx=ctx_for(frida),
            plan=plan,
            data=plan_services.StepData(
                content="Ny kurs",
                responsible_kind=ResponsibleKind.UNIT,
                responsible_unit_id=frida.unit_id,
                starts_on=dt.date(2026, 7, 1),
            ),
        )


def test_a_failure_halfway_leaves_everything_as_it_was(alice, enrolment, everything, monkeypatch):
    placement, steps, referral = everything
    logged = AccessLogEntry.objects.count()

    def broken(**kwargs):
        raise RuntimeError("the referral service failed")

    # The referrals are withdrawn after the enrolment, placements and steps have been changed.
    monkeypatch.setattr(services, "referral_withdraw", broken)
    with pytest.raises(RuntimeError):
        services.enrolment_exit(ctx=ctx_for(alice), enrolment=enrolment, data=exit_data())

    enrolment.refresh_from_db()
    placement.refresh_from_db()
    referral.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert enrolment.ends_on is None
    assert placement.status == PlacementStatus.OFFERED
    assert PlanStep.objects.filter(pk__in=[s.pk for s in steps], ends_on__isnull=True).count() == 2
    assert referral.status == ReferralStatus.SENT
    assert not Exit.objects.exists()
    assert not FollowUp.objects.exists()
    assert AccessLogEntry.objects.count() == logged


def test_an_exit_in_the_future_or_before_the_start_is_refused(alice, enrolment):
    with pytest.raises(InvalidInput) as error:
        services.enrolment_exit(ctx=ctx_for(alice), enrolment=enrolment, data=exit_data(exit_on=dt.date(2099, 1, 1)))
    assert "exit_on" in error.value.field_errors
    with pytest.raises(InvalidInput):
        services.enrolment_exit(ctx=ctx_for(alice), enrolment=enrolment, data=exit_data(exit_on=dt.date(2025, 1, 1)))
    assert not Exit.objects.exists()


def test_reason_other_needs_a_comment(alice, enrolment):
    with pytest.raises(InvalidInput) as error:
        services.enrolment_exit(ctx=ctx_for(alice), enrolment=enrolment, data=exit_data(reason="annat"))
    assert "reason_note" in error.value.field_errors


def test_an_ended_enrolment_cannot_be_left_again(alice, enrolment, exited):
    enrolment.refresh_from_db()
    with pytest.raises(InvalidInput):
        services.enrolment_exit(ctx=ctx_for(alice), enrolment=enrolment, data=exit_data())


def test_the_read_only_colleague_and_another_unit_cannot_leave_for_the_person(bob, charlie, enrolment):
    with pytest.raises(PermissionDenied):
        services.enrolment_exit(ctx=ctx_for(bob), enrolment=enrolment, data=exit_data())
    with pytest.raises(NotFound):
        services.enrolment_exit(ctx=ctx_for(charlie), enrolment=enrolment, data=exit_data())
    assert not Exit.objects.exists()


def test_reentry_reopens_the_enrolment_and_supersedes_the_exit(alice, enrolment, exited, project):
    done = FollowUp.objects.get(exit=exited, kind=FollowUpKind.WEEKS_4)
    FollowUp.objects.filter(pk=done.pk).update(status=FollowUpStatus.DONE, outcome="i_arbete", source="ungdomen")

    people_services.enrolment_create(
        ctx=ctx_for(alice),
        person=enrolment.person,
        data=people_services.EnrolmentData(project_id=project.pk, starts_on=dt.date(2026, 11, 1)),
    )

    reopened = Enrolment.objects.get(pk=enrolment.pk)
    assert reopened.status == EnrolmentStatus.ACTIVE
    assert reopened.starts_on == dt.date(2026, 1, 15)  # the first start is kept
    exited.refresh_from_db()
    assert exited.superseded_on is not None
    statuses = dict(FollowUp.objects.filter(exit=exited).values_list("kind", "status"))
    assert statuses == {
        FollowUpKind.WEEKS_4: FollowUpStatus.DONE,
        FollowUpKind.DAYS_90: FollowUpStatus.NOT_APPLICABLE,
        FollowUpKind.MONTHS_6: FollowUpStatus.NOT_APPLICABLE,
    }
    assert AccessLogEntry.objects.filter(action="exit.superseded").count() == 1


def test_a_later_exit_after_reentry_is_a_new_exit(alice, enrolment, exited, project):
    people_services.enrolment_create(
        ctx=ctx_for(alice),
        person=enrolment.person,
        data=people_services.EnrolmentData(project_id=project.pk, starts_on=dt.date(2026, 11, 1)),
    )
    reopened = Enrolment.objects.get(pk=enrolment.pk)
    second = services.enrolment_exit(
        ctx=ctx_for(alice), enrolment=reopened, data=exit_data(exit_on=dt.date(2026, 11, 20))
    )
    assert Exit.objects.filter(enrolment=enrolment).count() == 2
    assert second.superseded_on is None
    assert FollowUp.objects.filter(exit=second, status=FollowUpStatus.UPCOMING).count() == 3


def test_referrals_stay_while_the_person_takes_part_in_another_project_at_the_unit(alice, enrolment, referral):
    from vagval.organisations.tests.factories import ProjectFactory
    from vagval.people.tests.factories import EnrolmentFactory

    EnrolmentFactory(person=enrolment.person, project=ProjectFactory(), unit=enrolment.unit, coach=alice)
    services.enrolment_exit(ctx=ctx_for(alice), enrolment=enrolment, data=exit_data())
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT


def test_placements_end_through_the_catalogues_rule_with_history_and_log(alice, enrolment, everything):
    placement, _steps, _referral = everything
    services.enrolment_exit(ctx=ctx_for(alice), enrolment=enrolment, data=exit_data())

    event = PlacementEvent.objects.get(placement=placement, to_status=PlacementStatus.ENDED)
    assert event.from_status == PlacementStatus.OFFERED
    entry = AccessLogEntry.objects.get(action="placement.ended")
    assert entry.detail["end_reason"] == PlacementEndReason.PARTICIPATION_ENDED


def test_a_placements_own_step_ends_with_the_exits_reason(alice, enrolment, plan, placement):
    step = add_step(plan, by=alice, content="Praktik")
    Placement.objects.filter(pk=placement.pk).update(plan_step=step)

    services.enrolment_exit(ctx=ctx_for(alice), enrolment=enrolment, data=exit_data())

    step.refresh_from_db()
    assert (step.ends_on, step.end_reason) == (EXIT_ON, EndReason.PARTICIPATION_ENDED)
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.ENDED


def test_a_placement_under_way_ends_on_its_start_when_the_exit_is_dated_before_it(alice, enrolment, placement):
    Placement.objects.filter(pk=placement.pk).update(status=PlacementStatus.STARTED, starts_on=dt.date(2026, 7, 6))

    services.enrolment_exit(ctx=ctx_for(alice), enrolment=enrolment, data=exit_data())

    placement.refresh_from_db()
    assert (placement.status, placement.ends_on) == (PlacementStatus.ENDED, dt.date(2026, 7, 6))
