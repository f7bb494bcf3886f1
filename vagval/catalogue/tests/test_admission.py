"""Admission to a study offer with intakes: rounds, applications through the steps, the board."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.catalogue import admission_selectors as selectors
from vagval.catalogue import admission_services as services
from vagval.catalogue.models import (
    AdmissionDecision,
    AdmissionStep,
    Application,
    ApplicationSource,
    OfferKind,
    StudyKind,
)
from vagval.catalogue.tests.factories import OfferFactory, ProviderFactory
from vagval.catalogue.tests.offer_helpers import take_part
from vagval.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from vagval.common.versions import version_of
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

DAY = dt.date(2027, 3, 1)


@pytest.fixture
def school(alice, charlie, project):
    # Rounds are maintained like the offer: by its organisation while it takes part in a project.
    take_part(project, alice.unit, charlie.unit)
    provider = ProviderFactory(name="Second Chance School Ludvika", owner=alice.unit.organisation)
    return OfferFactory(
        kind=OfferKind.STUDY, study_kind=StudyKind.SECOND_CHANCE, title="Second Chance School", provider=provider
    )


@pytest.fixture
def term(alice, school):
    data = services.RoundData(name="Hösten 2027", starts_on=dt.date(2027, 8, 16), places=2)
    return services.round_create(ctx=ctx_for(alice), offer=school, data=data)


def _enrolment(user, project):
    person = PersonFactory(unit=user.unit)
    return EnrolmentFactory(person=person, project=project, unit=user.unit, coach=user)


def _apply(user, term, project, source=ApplicationSource.KAA):
    enrolment = _enrolment(user, project)
    return services.application_create(
        ctx=ctx_for(user), admission_round=term, enrolment_id=enrolment.pk, source=source, applied_on=DAY
    )


def _advance(user, application, **data):
    return services.application_advance(
        ctx=ctx_for(user), application_id=application.pk, data=services.StepData(on=DAY, **data)
    )


def _to_decision(user, application, decision, reason=""):
    _advance(user, application)  # vägledningssamtal
    _advance(user, application, notes="Motiverad, vill bli undersköterska.")  # intervju
    return _advance(user, application, decision=decision, reason=reason)


def test_a_round_is_created_by_staff_of_the_organisation_that_owns_the_offer(term, school):
    assert term.offer == school
    assert term.places == 2
    assert AccessLogEntry.objects.filter(action="admission.round_created").count() == 1


def test_staff_of_another_organisation_and_read_only_staff_may_not_create_a_round(charlie, bob, pia, school):
    data = services.RoundData(name="Våren 2028", starts_on=dt.date(2028, 1, 10), places=5)
    for user in (charlie, bob, pia):  # pia leads the project: she reads the catalogue, as for offers
        with pytest.raises(PermissionDenied):
            services.round_create(ctx=ctx_for(user), offer=school, data=data)


def test_a_round_needs_a_study_offer_a_name_and_at_least_one_place(alice, school):
    internship = OfferFactory(kind=OfferKind.INTERNSHIP, owner=alice.unit.organisation)
    data = services.RoundData(name=" ", starts_on=DAY, places=0, applications_close_on=DAY + dt.timedelta(days=1))
    with pytest.raises(InvalidInput) as caught:
        services.round_create(ctx=ctx_for(alice), offer=internship, data=data)
    assert set(caught.value.field_errors) == {"name", "places", "applications_close_on", "offer"}


def test_an_application_moves_through_every_step_in_order(alice, term, project):
    application = _apply(alice, term, project)
    assert application.step == AdmissionStep.APPLIED
    _to_decision(alice, application, AdmissionDecision.ADMITTED)
    started = _advance(alice, application)
    assert started.step == AdmissionStep.STARTED
    assert started.started_on == DAY
    assert started.interview_notes.startswith("Motiverad")
    assert AccessLogEntry.objects.filter(action="admission.step_recorded", person_id=started.person_id).count() == 4
    with pytest.raises(InvalidInput):
        _advance(alice, application)


def test_rejecting_or_setting_as_reserve_needs_a_reason(alice, term, project):
    application = _apply(alice, term, project)
    _advance(alice, application)
    _advance(alice, application)
    for decision in (AdmissionDecision.REJECTED, AdmissionDecision.RESERVE):
        with pytest.raises(InvalidInput) as caught:
            _advance(alice, application, decision=decision)
        assert "reason" in caught.value.field_errors
    assert Application.objects.get(pk=application.pk).step == AdmissionStep.INTERVIEW


def test_a_person_not_admitted_cannot_start(alice, term, project):
    application = _to_decision(alice, _apply(alice, term, project), AdmissionDecision.RESERVE, "Platserna räckte inte.")
    with pytest.raises(InvalidInput):
        _advance(alice, application)


def test_admitting_never_exceeds_the_rounds_places(alice, term, project):
    first, second, third = (_apply(alice, term, project) for _ in range(3))
    _to_decision(alice, first, AdmissionDecision.ADMITTED)
    _to_decision(alice, second, AdmissionDecision.ADMITTED)
    with pytest.raises(InvalidInput) as caught:
        _to_decision(alice, third, AdmissionDecision.ADMITTED)
    assert "decision" in caught.value.field_errors
    assert services.admitted_count(term) == 2


def test_fewer_places_than_already_admitted_is_refused(alice, term, project):
    _to_decision(alice, _apply(alice, term, project), AdmissionDecision.ADMITTED)
    _to_decision(alice, _apply(alice, term, project), AdmissionDecision.ADMITTED)
    data = services.RoundData(name=term.name, starts_on=term.starts_on, places=1)
    with pytest.raises(InvalidInput):
        services.round_update(ctx=ctx_for(alice), admission_round=term, data=data, expected_version=version_of(term))


def test_a_stale_round_edit_is_a_conflict(alice, term):
    seen = version_of(term)
    data = services.RoundData(name=term.name, starts_on=term.starts_on, places=3)
    services.round_update(ctx=ctx_for(alice), admission_round=term, data=data, expected_version=seen)
    with pytest.raises(Conflict):
        services.round_update(ctx=ctx_for(alice), admission_round=term, data=data, expected_version=seen)


def test_a_stale_step_is_a_conflict(alice, term, project):
    application = _apply(alice, term, project)
    seen = version_of(application)
    _advance(alice, application)
    with pytest.raises(Conflict):
        services.application_advance(
            ctx=ctx_for(alice), application_id=application.pk, data=services.StepData(on=DAY), expected_version=seen
        )


def test_only_the_persons_own_unit_may_apply_for_them(charlie, term, alices_person):
    enrolment = alices_person.enrolments.get()
    with pytest.raises(NotFound):
        services.application_create(
            ctx=ctx_for(charlie), admission_round=term, enrolment_id=enrolment.pk, source="kaa", applied_on=DAY
        )
    assert not Application.objects.exists()


def test_read_only_staff_may_not_apply(bob, term, alices_person):
    with pytest.raises(PermissionDenied):
        services.application_create(
            ctx=ctx_for(bob),
            admission_round=term,
            enrolment_id=alices_person.enrolments.get().pk,
            source="kaa",
            applied_on=DAY,
        )


def test_a_person_applies_once_per_round(alice, term, alices_person):
    enrolment = alices_person.enrolments.get()
    services.application_create(
        ctx=ctx_for(alice), admission_round=term, enrolment_id=enrolment.pk, source="syv", applied_on=DAY
    )
    with pytest.raises(InvalidInput):
        services.application_create(
            ctx=ctx_for(alice), admission_round=term, enrolment_id=enrolment.pk, source="af", applied_on=DAY
        )


def test_another_unit_cannot_advance_an_application(alice, charlie, term, project):
    application = _apply(alice, term, project)
    with pytest.raises(NotFound):
        _advance(charlie, application)


def test_the_board_counts_per_step_and_source_and_logs_each_person_shown(alice, term, project):
    kaa = _apply(alice, term, project, ApplicationSource.KAA)
    _apply(alice, term, project, ApplicationSource.KAA)
    _apply(alice, term, project, ApplicationSource.AF)
    _advance(alice, kaa)
    listed_before = AccessLogEntry.objects.filter(action="person.listed").count()
    board = selectors.round_board(viewer=alice, round_id=term.pk)
    counts = {label: (per_step, total) for label, per_step, total in board.counts}
    assert counts["KAA"] == ([1, 1, 0, 0, 0], 2)
    assert counts["Arbetsförmedlingen"] == ([1, 0, 0, 0, 0], 1)
    assert counts["Totalt"] == ([2, 1, 0, 0, 0], 3)
    assert [len(c.applications) for c in board.columns] == [2, 1, 0, 0, 0]
    assert AccessLogEntry.objects.filter(action="person.listed").count() - listed_before == 3


def test_the_board_shows_another_unit_nothing_of_the_applications(alice, charlie, term, project):
    _apply(alice, term, project)
    board = selectors.round_board(viewer=charlie, round_id=term.pk)
    assert all(not c.applications for c in board.columns)
    assert board.counts[-1][2] == 0


def test_an_admitted_student_gets_an_accepted_placement_in_the_offer_which_starts_with_them(alice, term, project):
    application = _to_decision(alice, _apply(alice, term, project), AdmissionDecision.ADMITTED)
    placement = application.placement
    assert placement is not None
    assert (placement.offer, placement.status, placement.starts_on) == (term.offer, "accepterad", term.starts_on)
    assert placement.person_id == application.person_id
    started = _advance(alice, application)
    placement.refresh_from_db()
    assert placement.status == "paborjad"
    assert placement.starts_on == started.started_on


def test_a_full_offer_refuses_the_admission_and_nothing_is_saved(alice, term, project):
    term.offer.capacity = 0
    term.offer.save()
    application = _apply(alice, term, project)
    _advance(alice, application)
    _advance(alice, application)
    with pytest.raises(InvalidInput) as caught:
        _advance(alice, application, decision=AdmissionDecision.ADMITTED)
    assert "fullt" in caught.value.field_errors["decision"][0]
    application.refresh_from_db()
    assert (application.step, application.decision, application.placement) == (AdmissionStep.INTERVIEW, "", None)
    assert not term.offer.placements.exists()


def test_the_offer_the_board_and_the_placement_show_how_the_intake_and_the_offer_belong_together(
    alice, alice_client, term, project
):
    application = _to_decision(alice, _apply(alice, term, project), AdmissionDecision.ADMITTED)
    offer_page = alice_client.get(reverse("catalogue:offer_detail", args=[term.offer.pk])).content.decode()
    assert reverse("catalogue:admission_board", args=[term.pk]) in offer_page
    assert reverse("catalogue:admission_round_create", args=[term.offer.pk]) in offer_page
    board = alice_client.get(reverse("catalogue:admission_board", args=[term.pk])).content.decode()
    assert reverse("catalogue:offer_detail", args=[term.offer.pk]) in board
    assert reverse("catalogue:placement_detail", args=[application.placement_id]) in board
    placement_page = alice_client.get(reverse("catalogue:placement_detail", args=[application.placement_id]))
    assert "Antagen i omgången Hösten 2027" in placement_page.content.decode()


def test_a_reader_of_the_catalogue_sees_the_rounds_but_gets_no_link_to_create_one(pia_client, term):
    offer_page = pia_client.get(reverse("catalogue:offer_detail", args=[term.offer.pk])).content.decode()
    assert reverse("catalogue:admission_board", args=[term.pk]) in offer_page
    assert reverse("catalogue:admission_round_create", args=[term.offer.pk]) not in offer_page
