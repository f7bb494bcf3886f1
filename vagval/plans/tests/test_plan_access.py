"""Who may read and change a plan, in the services themselves, and what the access log says."""

import datetime as dt

import pytest

from conftest import ctx_for
from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.audit.models import AccessLogEntry
from vagval.common.errors import NotFound, PermissionDenied
from vagval.consent.models import ConsentCategory
from vagval.consent.tests.factories import share
from vagval.people.models import Protection
from vagval.plans import selectors, services
from vagval.plans.models import EndReason, ResponsibleKind
from vagval.plans.tests.factories import add_step


def _step_data(unit, content="Jobbsökarkurs"):
    return services.StepData(
        content=content,
        responsible_kind=ResponsibleKind.UNIT,
        responsible_unit_id=unit.pk,
        starts_on=dt.date(2026, 4, 1),
    )


def test_a_new_coach_at_the_unit_sees_the_plan(alices_plan, ludvika_unit):
    # The plan belongs to the person, not to the coach.
    greta = UserFactory(username="greta", unit=ludvika_unit, role=Role.COACH)
    view = selectors.plan_get(viewer=greta, ctx=ctx_for(greta), plan_id=alices_plan.pk)
    assert view.access.is_own
    assert view.may_edit


def test_reading_under_consent_logs_the_consent_that_covers_plan(alice, frida, alices_person, af_unit, alices_plan):
    plan_consent = share(
        alices_person,
        documented_by=alice,
        to_unit=af_unit,
        categories=[ConsentCategory.PLAN],
        valid_from=dt.date(2026, 1, 1),
    )
    # A newer consent that does not cover the plan must not be the one logged.
    share(
        alices_person,
        documented_by=alice,
        to_unit=af_unit,
        categories=[ConsentCategory.IDENTITY],
        valid_from=dt.date(2026, 2, 1),
    )
    selectors.plan_get(viewer=frida, ctx=ctx_for(frida), plan_id=alices_plan.pk)
    entry = AccessLogEntry.objects.get(action="plan.viewed")
    assert (entry.basis, entry.consent_id, entry.person_id) == ("consent", plan_consent.pk, alices_person.pk)
    assert entry.detail["plan"] == str(alices_plan.pk)


def test_reading_at_the_own_unit_logs_own_unit_without_consent(alice, alices_plan):
    selectors.plan_get(viewer=alice, ctx=ctx_for(alice), plan_id=alices_plan.pk)
    entry = AccessLogEntry.objects.get(action="plan.viewed")
    assert (entry.basis, entry.consent_id) == ("own_unit", None)


def test_every_change_is_logged_in_the_same_transaction_with_the_consent(
    alice, frida, alices_plan, af_unit, plan_consent
):
    step = services.plan_step_add(ctx=ctx_for(frida), plan=alices_plan, data=_step_data(af_unit))
    services.plan_step_update(ctx=ctx_for(frida), step=step, data=_step_data(af_unit, content="Jobbsökarkurs, 4 v"))
    services.plan_step_end(ctx=ctx_for(frida), step=step, ends_on=dt.date(2026, 5, 1), end_reason=EndReason.COMPLETED)
    entries = {e.action: e for e in AccessLogEntry.objects.filter(user=frida)}
    assert set(entries) == {"plan_step.added", "plan_step.changed", "plan_step.ended"}
    for entry in entries.values():
        assert (entry.basis, entry.consent_id) == ("consent", plan_consent.pk)
        assert entry.detail["step"] == str(step.pk)
    created = AccessLogEntry.objects.get(action="plan.created")
    assert (created.user_id, created.basis) == (alice.pk, "own_unit")


def test_a_partner_may_not_add_a_step_for_another_unit(frida, alices_plan, ludvika_unit, plan_consent):
    with pytest.raises(PermissionDenied):
        services.plan_step_add(ctx=ctx_for(frida), plan=alices_plan, data=_step_data(ludvika_unit))
    young = services.StepData(content="Själv", responsible_kind=ResponsibleKind.YOUNG_PERSON, starts_on=dt.date.today())
    with pytest.raises(PermissionDenied):
        services.plan_step_add(ctx=ctx_for(frida), plan=alices_plan, data=young)


def test_a_partner_may_not_change_or_end_another_units_step(frida, alices_plan, youth_step, af_unit, plan_consent):
    with pytest.raises(PermissionDenied):
        services.plan_step_update(ctx=ctx_for(frida), step=youth_step, data=_step_data(af_unit))
    with pytest.raises(PermissionDenied):
        services.plan_step_end(
            ctx=ctx_for(frida), step=youth_step, ends_on=dt.date(2026, 5, 1), end_reason=EndReason.COMPLETED
        )


def test_a_partner_may_not_hand_their_step_to_someone_else(frida, af_step, ludvika_unit, plan_consent):
    with pytest.raises(PermissionDenied):
        services.plan_step_update(ctx=ctx_for(frida), step=af_step, data=_step_data(ludvika_unit))


def test_a_partner_may_not_change_the_header_goals_or_continue_the_plan(frida, alices_plan, project, plan_consent):
    with pytest.raises(PermissionDenied):
        services.plan_update(ctx=ctx_for(frida), plan=alices_plan, data=services.PlanData())
    with pytest.raises(PermissionDenied):
        services.plan_continue_in_project(ctx=ctx_for(frida), plan=alices_plan, project=project)


def test_a_read_only_partner_may_not_add_steps(alices_plan, af_unit, plan_consent):
    reader = UserFactory(username="ronja", unit=af_unit, role=Role.PARTNER, read_only=True)
    view = selectors.plan_get(viewer=reader, ctx=ctx_for(reader), plan_id=alices_plan.pk)
    assert not view.may_add_steps
    with pytest.raises(PermissionDenied):
        services.plan_step_add(ctx=ctx_for(reader), plan=alices_plan, data=_step_data(af_unit))


def test_a_partner_without_plan_in_the_consent_gets_not_found(frida, alices_plan, af_unit, identity_only_consent):
    with pytest.raises(NotFound):
        selectors.plan_get(viewer=frida, ctx=ctx_for(frida), plan_id=alices_plan.pk)
    with pytest.raises(NotFound):
        services.plan_step_add(ctx=ctx_for(frida), plan=alices_plan, data=_step_data(af_unit))
    assert not AccessLogEntry.objects.filter(user=frida).exists()


def test_bob_reads_but_may_not_change_anything(bob, alices_plan, youth_step, ludvika_unit):
    assert selectors.plan_get(viewer=bob, ctx=ctx_for(bob), plan_id=alices_plan.pk).access.is_own
    with pytest.raises(PermissionDenied):
        services.plan_update(ctx=ctx_for(bob), plan=alices_plan, data=services.PlanData())
    with pytest.raises(PermissionDenied):
        services.plan_step_add(ctx=ctx_for(bob), plan=alices_plan, data=_step_data(ludvika_unit))
    with pytest.raises(PermissionDenied):
        services.plan_step_end(
            ctx=ctx_for(bob), step=youth_step, ends_on=dt.date(2026, 5, 1), end_reason=EndReason.COMPLETED
        )


def test_charlie_gets_not_found_in_every_service(charlie, alices_plan, youth_step, smedjebacken_unit, project):
    ctx = ctx_for(charlie)
    with pytest.raises(NotFound):
        selectors.plan_get(viewer=charlie, ctx=ctx, plan_id=alices_plan.pk)
    with pytest.raises(NotFound):
        services.plan_update(ctx=ctx, plan=alices_plan, data=services.PlanData())
    with pytest.raises(NotFound):
        services.plan_step_add(ctx=ctx, plan=alices_plan, data=_step_data(smedjebacken_unit))
    with pytest.raises(NotFound):
        services.plan_step_update(ctx=ctx, step=youth_step, data=_step_data(smedjebacken_unit))
    with pytest.raises(NotFound):
        services.plan_continue_in_project(ctx=ctx, plan=alices_plan, project=project)
    with pytest.raises(NotFound):
        selectors.person_plans(viewer=charlie, ctx=ctx, person_id=alices_plan.person_id)


def test_a_protected_persons_plan_is_never_shared_with_partners(frida, alices_person, alices_plan, plan_consent):
    alices_person.protection = Protection.PROTECTED_REGISTRATION
    alices_person.save()
    with pytest.raises(NotFound):
        selectors.plan_get(viewer=frida, ctx=ctx_for(frida), plan_id=alices_plan.pk)
    with pytest.raises(NotFound):
        selectors.person_plans(viewer=frida, ctx=ctx_for(frida), person_id=alices_person.pk)


def test_another_unit_with_its_own_enrolment_needs_a_plan_consent(
    alice, charlie, alices_person, alices_plan, project, smedjebacken_unit
):
    from vagval.people.tests.factories import EnrolmentFactory

    EnrolmentFactory(person=alices_person, project=project, unit=smedjebacken_unit, coach=charlie)
    with pytest.raises(NotFound):
        selectors.plan_get(viewer=charlie, ctx=ctx_for(charlie), plan_id=alices_plan.pk)
    consent = share(alices_person, documented_by=alice, to_unit=smedjebacken_unit, categories=[ConsentCategory.PLAN])
    view = selectors.plan_get(viewer=charlie, ctx=ctx_for(charlie), plan_id=alices_plan.pk)
    assert (view.access.basis, view.access.consent_id, view.access.can_write) == ("consent", consent.pk, False)
    listing = selectors.person_plans(viewer=charlie, ctx=ctx_for(charlie), person_id=alices_person.pk)
    assert [r.plan for r in listing.rows] == [alices_plan]
    assert not listing.rows[0].is_own


def test_the_partners_plan_list_shows_the_plans_and_no_create(frida, alices_person, alices_plan, plan_consent):
    listing = selectors.person_plans(viewer=frida, ctx=ctx_for(frida), person_id=alices_person.pk)
    assert [r.plan for r in listing.rows] == [alices_plan]
    assert not listing.may_create
    entry = AccessLogEntry.objects.get(action="plan.listed")
    assert (entry.basis, entry.consent_id) == ("consent", plan_consent.pk)


def test_partners_step_links_cover_only_their_own_units_open_steps(
    frida, alices_plan, youth_step, af_step, plan_consent, alice
):
    ended = add_step(
        alices_plan,
        by=alice,
        content="Avslutat AF-steg",
        unit=af_step.responsible_unit,
        ends_on=dt.date(2026, 3, 1),
        end_reason=EndReason.COMPLETED,
    )
    view = selectors.plan_get(viewer=frida, ctx=ctx_for(frida), plan_id=alices_plan.pk)
    assert view.changeable_step_ids == {str(af_step.pk)}
    assert view.editable_step_ids == {str(af_step.pk), str(ended.pk)}


def _referral(alices_person, alice, af_unit, consent, text="Arbetsmarknadsutbildning inom vård"):
    # A stand-in with the attributes the service reads: keeps these tests independent of the referral model.
    from types import SimpleNamespace
    from uuid import uuid4

    return SimpleNamespace(
        pk=uuid4(),
        person_id=alices_person.pk,
        from_unit_id=alice.unit_id,
        to_unit_id=af_unit.pk,
        consent_id=consent.pk,
        accepted_step_text=text,
        requested_measure="Utbildning",
    )


def test_an_accepted_referral_becomes_a_step_of_the_recipient_unit(
    alice, frida, alices_person, alices_plan, af_unit, identity_only_consent
):
    # The recipient needs no "plan" consent to add the step: nothing of the plan is shown to them.
    referral = _referral(alices_person, alice, af_unit, identity_only_consent)
    step = services.plan_step_add_from_referral(ctx=ctx_for(frida), referral=referral)
    assert (step.plan, step.responsible_unit_id, step.content) == (
        alices_plan,
        af_unit.pk,
        "Arbetsmarknadsutbildning inom vård",
    )
    entry = AccessLogEntry.objects.get(action="plan_step.added", user=frida)
    assert (entry.basis, entry.consent_id) == ("consent", identity_only_consent.pk)
    assert entry.detail["referral"] == str(referral.pk)
    assert alices_plan.versions.count() == 2


def test_a_referral_without_a_plan_adds_no_step(alice, frida, alices_person, af_unit, identity_only_consent):
    referral = _referral(alices_person, alice, af_unit, identity_only_consent)
    assert services.plan_step_add_from_referral(ctx=ctx_for(frida), referral=referral) is None


def test_only_the_recipient_unit_adds_the_referrals_step(
    alice, charlie, alices_plan, alices_person, af_unit, plan_consent
):
    referral = _referral(alices_person, alice, af_unit, plan_consent)
    for user in (alice, charlie):
        with pytest.raises(PermissionDenied):
            services.plan_step_add_from_referral(ctx=ctx_for(user), referral=referral)
