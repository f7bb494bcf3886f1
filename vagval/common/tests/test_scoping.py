"""Person-level data only inside a scope that names the actor (issue 10, "one scoped way")."""

import pytest
from django.apps import apps
from django.test import override_settings

from conftest import ctx_for
from vagval.accounts.system import SystemActor, system_context
from vagval.common import scoping
from vagval.common.scoping import ScopedManager, UnscopedQuery
from vagval.people.models import Enrolment, Person

PERSON_LEVEL = {
    "people.Person",
    "people.PersonChange",
    "people.Enrolment",
    "people.EnrolmentChange",
    "consent.Consent",
    "consent.ConsentRecipient",
    "journal.Note",
    "kaa.Measure",
    "outreach.ContactAttempt",
    "outreach.Occupation",
    "plans.Plan",
    "plans.PlanGoal",
    "plans.PlanStep",
    "plans.PlanParticipant",
    "plans.PlanVersion",
    "referrals.Referral",
    "referrals.ReferralEvent",
    "registers.PopulationEntry",
    "registers.StudyEntry",
    "targetgroup.Episode",
    "assessments.AssessmentLink",
    "assessments.Response",
    "catalogue.Placement",
    "followup.Exit",
    "followup.FollowUp",
    # catalogue (offers): a young person's link to the open offers
    "catalogue.OfferListLink",
    # --- matching ---
    "matching.MatchingProfile",
    "matching.MatchingSuggestion",
    "matching.IntakePerson",
    "matching.IntakePair",
    # --- placements ---
    "catalogue.PlacementEvent",
    "catalogue.PlacementAssessment",
    "catalogue.Attendance",
    "catalogue.Application",
    # --- followup ---
    "followup.FollowUpAttempt",
    "followup.FollowUpLink",
    # --- worklist ---
    "worklist.ItemMark",
    "worklist.OwnViewLink",
    # --- esf ---
    "esf.EsfEntry",
    # --- evaluation ---
    "evaluation.DatasetExport",
    # --- dataprotection: a legal hold names a person record ---
    "dataprotection.LegalHold",
}


def test_an_unscoped_query_on_a_person_level_model_fails(db):
    with scoping.without_scope(), pytest.raises(UnscopedQuery, match=r"people\.Person"):
        Person.objects.count()


def test_a_related_manager_is_held_to_the_same_rule(alices_person):
    with scoping.without_scope(), pytest.raises(UnscopedQuery):
        list(alices_person.enrolments.all())


def test_a_scope_naming_a_user_or_a_system_actor_may_query(alice, alices_person):
    with scoping.without_scope():
        with scoping.activated(ctx_for(alice), "test"):
            assert Person.objects.count() == 1
        with scoping.activated(system_context(SystemActor.NIGHTLY), "test"):
            assert Enrolment.objects.filter(person=alices_person).count() == 1
        with pytest.raises(UnscopedQuery):
            Person.objects.count()


def test_a_named_exception_needs_its_reason(db):
    with scoping.without_scope():
        with scoping.unscoped("demodata skrivs utan aktör"):
            assert Person.objects.count() == 0
        with pytest.raises(ValueError, match="reason"), scoping.unscoped("  "):
            pass


@override_settings(VAGVAL_ENFORCE_SCOPE=False)
def test_production_does_not_enforce(db):
    with scoping.without_scope():
        assert Person.objects.count() == 0


def test_every_person_level_model_has_the_scoped_manager():
    scoped = {m._meta.label for m in apps.get_models() if isinstance(m._default_manager, ScopedManager)}
    assert scoped == PERSON_LEVEL


def test_a_request_starts_without_the_callers_scope_and_a_signed_in_user_is_its_actor(alice_client, alices_person):
    # The test body runs unscoped; the request must not inherit that: the person page works
    # because the middleware names alice as the actor.
    response = alice_client.get(f"/personer/{alices_person.pk}/")
    assert response.status_code == 200


def test_an_anonymous_request_that_touched_person_data_would_fail(rf, db):
    from vagval.common.scoping import ScopeMiddleware

    def view(request):
        return Person.objects.count()

    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with pytest.raises(UnscopedQuery):
        ScopeMiddleware(view)(request)
