"""A placement's lifecycle, its plan step, its capacity and its waiting list."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.catalogue import placement_services as services
from vagval.catalogue.models import PlacementEvent, PlacementStatus
from vagval.catalogue.placement_selectors import is_first_waiting_with_free_place
from vagval.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from vagval.people.models import Protection
from vagval.plans.models import EndReason
from vagval.plans.tests.factories import make_plan

pytestmark = pytest.mark.django_db

S = PlacementStatus


def create(user, enrolment, offer, status=S.SUGGESTED, **kw):
    return services.placement_create(ctx=ctx_for(user), enrolment=enrolment, offer=offer, status=status, **kw)


def move(user, placement, status, **kw):
    return services.placement_change_status(ctx=ctx_for(user), placement=placement, status=status, **kw)


def test_a_placement_goes_from_suggested_to_ended_with_its_history_and_log(alice, alices_enrolment, offer):
    placement = create(alice, alices_enrolment, offer)
    placement = move(alice, placement, S.OFFERED)
    placement = move(alice, placement, S.ACCEPTED)
    placement = move(alice, placement, S.STARTED, on=dt.date(2026, 11, 2))
    placement = services.placement_end(
        ctx=ctx_for(alice), placement=placement, ends_on=dt.date(2026, 12, 1), reason="fick_anstallning"
    )
    assert placement.status == S.ENDED
    assert placement.end_reason == "fick_anstallning"
    assert (placement.starts_on, placement.ends_on) == (dt.date(2026, 11, 2), dt.date(2026, 12, 1))
    events = list(PlacementEvent.objects.filter(placement=placement).values_list("to_status", flat=True))
    assert events == [S.SUGGESTED, S.OFFERED, S.ACCEPTED, S.STARTED, S.ENDED]
    actions = set(AccessLogEntry.objects.filter(person_id=placement.person_id).values_list("action", flat=True))
    assert {"placement.created", "placement.status_changed", "placement.ended"} <= actions


def test_starting_schedules_the_supervisor_assessment_four_weeks_later(alice, alices_enrolment, offer):
    placement = create(alice, alices_enrolment, offer, status=S.OFFERED)
    placement = move(alice, move(alice, placement, S.ACCEPTED), S.STARTED, on=dt.date(2026, 11, 2))
    assert placement.assessment_next_due_on == dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ([], S.STARTED),
        ([], S.ACCEPTED),
        ([S.OFFERED], S.WAITING),
        ([S.OFFERED, S.ACCEPTED, S.STARTED], S.DECLINED),
        ([S.DECLINED], S.OFFERED),
    ],
)
def test_invalid_transitions_are_refused_and_nothing_changes(alice, alices_enrolment, offer, path, wanted):
    placement = create(alice, alices_enrolment, offer)
    for status in path:
        placement = move(alice, placement, status, reason="Vill inte")
    with pytest.raises(InvalidInput) as refused:
        move(alice, placement, wanted, reason="x")
    assert "kan inte bli" in refused.value.field_errors["status"][0]
    placement.refresh_from_db()
    assert placement.status == (path[-1] if path else S.SUGGESTED)


def test_declining_needs_a_reason(alice, alices_enrolment, offer):
    placement = create(alice, alices_enrolment, offer, status=S.OFFERED)
    with pytest.raises(InvalidInput) as refused:
        move(alice, placement, S.DECLINED)
    assert "reason" in refused.value.field_errors
    placement = move(alice, placement, S.DECLINED, reason="Har fått sommarjobb")
    assert placement.declined_reason == "Har fått sommarjobb"


def test_ending_with_reason_other_needs_a_note(alice, alices_enrolment, offer):
    placement = create(alice, alices_enrolment, offer, status=S.OFFERED)
    with pytest.raises(InvalidInput):
        services.placement_end(ctx=ctx_for(alice), placement=placement, ends_on=dt.date(2026, 12, 1), reason="annat")
    with pytest.raises(InvalidInput):
        services.placement_end(ctx=ctx_for(alice), placement=placement, ends_on=dt.date(2026, 12, 1), reason="nope")


def test_accepting_adds_the_step_to_the_plan_and_ending_ends_it(alice, alices_person, alices_enrolment, offer, project):
    plan = make_plan(alices_person, by=alice, project=project)
    placement = create(alice, alices_enrolment, offer, status=S.OFFERED, starts_on=dt.date(2026, 11, 2))
    assert placement.plan_step is None
    placement = move(alice, placement, S.ACCEPTED)
    step = placement.plan_step
    assert step is not None
    assert step.plan_id == plan.pk
    assert "Praktik på verkstaden" in step.content
    assert step.external_actor == "Ludvika Mekaniska AB"
    assert step.starts_on == dt.date(2026, 11, 2)
    assert step.ends_on is None
    placement = move(alice, placement, S.STARTED, on=dt.date(2026, 11, 2))
    services.placement_end(ctx=ctx_for(alice), placement=placement, ends_on=dt.date(2026, 12, 1), reason="genomford")
    step.refresh_from_db()
    assert (step.ends_on, step.end_reason) == (dt.date(2026, 12, 1), EndReason.COMPLETED)


def test_the_exit_cascade_reason_ends_the_step_as_no_longer_relevant(
    alice, alices_person, alices_enrolment, offer, project
):
    make_plan(alices_person, by=alice, project=project)
    placement = move(alice, create(alice, alices_enrolment, offer, status=S.OFFERED), S.ACCEPTED)
    services.placement_end(
        ctx=ctx_for(alice), placement=placement, ends_on=dt.date(2026, 12, 1), reason="deltagandet_avslutat"
    )
    placement.plan_step.refresh_from_db()
    assert placement.plan_step.end_reason == EndReason.NO_LONGER_RELEVANT


def test_without_a_plan_no_step_is_created(alice, alices_enrolment, offer):
    placement = move(alice, create(alice, alices_enrolment, offer, status=S.OFFERED), S.ACCEPTED)
    assert placement.plan_step is None


def test_a_protected_persons_plan_step_names_neither_offer_nor_provider(
    alice, alices_person, alices_enrolment, offer, project
):
    alices_person.protection = Protection.PROTECTED_REGISTRATION
    alices_person.save()
    make_plan(alices_person, by=alice, project=project)
    placement = move(alice, create(alice, alices_enrolment, offer, status=S.OFFERED), S.ACCEPTED)
    assert "verkstad" not in placement.plan_step.content.lower()
    assert placement.plan_step.external_actor == ""
    assert "Mekaniska" not in placement.plan_step.content


def test_offering_takes_a_place_and_a_full_offer_refuses_the_next(alice, alices_enrolment, offer, enrol_at_alice):
    offer.capacity = 1
    offer.save()
    create(alice, alices_enrolment, offer, status=S.OFFERED)
    other = enrol_at_alice()
    with pytest.raises(services.OfferFull) as full:
        create(alice, other, offer, status=S.OFFERED)
    assert "fullt" in full.value.message
    suggested = create(alice, other, offer)
    with pytest.raises(services.OfferFull):
        move(alice, suggested, S.OFFERED)
    suggested.refresh_from_db()
    assert suggested.status == S.SUGGESTED


def test_accepting_and_starting_keep_the_same_place(alice, alices_enrolment, offer):
    offer.capacity = 1
    offer.save()
    placement = create(alice, alices_enrolment, offer, status=S.OFFERED)
    placement = move(alice, move(alice, placement, S.ACCEPTED), S.STARTED)
    assert placement.status == S.STARTED


def test_the_waiting_list_is_ordered_and_the_first_is_shown_a_freed_place(
    alice, alices_enrolment, offer, enrol_at_alice
):
    offer.capacity = 1
    offer.save()
    taken = create(alice, alices_enrolment, offer, status=S.OFFERED)
    first = create(alice, enrol_at_alice(), offer, status=S.WAITING)
    second = create(alice, enrol_at_alice(), offer, status=S.WAITING)
    assert not is_first_waiting_with_free_place(placement=first)
    move(alice, taken, S.DECLINED, reason="Flyttar")
    first.refresh_from_db()
    second.refresh_from_db()
    assert is_first_waiting_with_free_place(placement=first)
    assert not is_first_waiting_with_free_place(placement=second)
    assert move(alice, first, S.OFFERED).status == S.OFFERED
    with pytest.raises(services.OfferFull):
        move(alice, second, S.OFFERED)


def test_a_placement_cannot_be_made_twice_in_the_same_offer(alice, alices_enrolment, offer):
    create(alice, alices_enrolment, offer)
    with pytest.raises(InvalidInput) as refused:
        create(alice, alices_enrolment, offer)
    assert "offer" in refused.value.field_errors


def test_a_stale_version_is_refused(alice, alices_enrolment, offer):
    placement = create(alice, alices_enrolment, offer)
    stale = services.placement_version(placement=placement)
    move(alice, placement, S.OFFERED)
    with pytest.raises(Conflict):
        move(alice, placement, S.DECLINED, reason="x", expected_version=stale)


def test_bob_cannot_change_and_charlie_cannot_see(alice, bob, charlie, alices_enrolment, offer):
    placement = create(alice, alices_enrolment, offer)
    with pytest.raises(PermissionDenied):
        move(bob, placement, S.OFFERED)
    with pytest.raises(NotFound):
        move(charlie, placement, S.OFFERED)
    with pytest.raises(NotFound):
        create(charlie, alices_enrolment, offer)
    with pytest.raises(PermissionDenied):
        create(bob, alices_enrolment, offer)


def test_the_offer_row_is_locked_before_the_places_are_counted(alice, alices_enrolment, offer):
    """The deterministic half of the capacity test (the concurrent half runs on PostgreSQL in
    tests/postgres/test_placement_capacity.py): the lock statement comes before the count."""
    with CaptureQueriesContext(connection) as queries:
        create(alice, alices_enrolment, offer, status=S.OFFERED)
    statements = [q["sql"] for q in queries.captured_queries]
    table = '"catalogue_offer"'
    lock = next(
        i
        for i, sql in enumerate(statements)
        if (sql.startswith("UPDATE " + table) if connection.vendor == "sqlite" else "FOR UPDATE" in sql)
        and table in sql
    )
    count = next(i for i, sql in enumerate(statements) if "COUNT(" in sql and "catalogue_placement" in sql)
    assert lock < count


def test_the_placement_strings_have_english_translations():
    from django.utils import translation

    with translation.override("en"):
        assert str(S.WAITING.label) == "On the waiting list"
        from django.utils.translation import gettext

        assert gettext("Placeringar i erbjudandet") == "Placements in the offer"
