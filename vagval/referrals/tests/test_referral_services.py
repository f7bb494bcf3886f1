"""Sending and answering referrals: consent gates the sender, the access check gates the recipient."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from conftest import ctx_for
from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.audit.models import AccessLogEntry
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.consent import services as consent_services
from vagval.consent.models import ConsentCategory
from vagval.consent.tests.factories import share
from vagval.people.models import Protection
from vagval.people.tests.factories import EnrolmentFactory
from vagval.referrals import selectors, services
from vagval.referrals.models import Referral, ReferralEventKind, ReferralStatus

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def _data(unit, **overrides):
    values = dict(to_unit_id=unit.pk, reason="Behöver stöd med att söka arbete", requested_measure="Praktik")
    values.update(overrides)
    return services.ReferralData(**values)


def _send(alice, person, unit, **overrides):
    return services.referral_send(ctx=ctx_for(alice), person=person, data=_data(unit, **overrides))


@pytest.fixture
def consent(alice, af_unit, alices_person):
    return share(alices_person, documented_by=alice, to_unit=af_unit, categories=[ConsentCategory.PLAN])


@pytest.fixture
def referral(alice, af_unit, alices_person, consent):
    return _send(alice, alices_person, af_unit)


def test_a_coach_refers_when_a_valid_consent_names_the_recipient(alice, af_unit, alices_person, consent):
    referral = _send(alice, alices_person, af_unit)
    assert referral.status == ReferralStatus.SENT
    assert referral.consent == consent
    assert (referral.from_unit, referral.from_user, referral.to_unit) == (alice.unit, alice, af_unit)
    assert [e.kind for e in referral.events.all()] == [ReferralEventKind.SENT]
    entry = AccessLogEntry.objects.get(action="referral.sent")
    assert (entry.person_id, entry.consent_id) == (alices_person.pk, consent.pk)


def test_without_consent_the_coach_is_told_a_consent_for_that_recipient_is_needed(alice, af_unit, alices_person):
    with pytest.raises(InvalidInput) as error:
        _send(alice, alices_person, af_unit)
    assert "samtycke som omfattar den här mottagaren" in error.value.field_errors["to_unit"][0]
    assert not Referral.objects.exists()


def test_a_consent_for_another_recipient_is_not_enough(alice, af_unit, ifo_unit, alices_person):
    share(alices_person, documented_by=alice, to_unit=ifo_unit)
    with pytest.raises(InvalidInput, match="Remissen innehåller fel"):
        _send(alice, alices_person, af_unit)


def test_a_consent_documented_by_another_unit_is_not_enough(alice, charlie, af_unit, alices_person, project):
    # Smedjebacken also works with the person and documented its own consent naming AF.
    EnrolmentFactory(person=alices_person, project=project, unit=charlie.unit, coach=charlie)
    share(alices_person, documented_by=charlie, to_unit=af_unit)
    with pytest.raises(InvalidInput):
        _send(alice, alices_person, af_unit)


def test_withdrawn_or_expired_consent_is_not_enough(alice, af_unit, alices_person, consent):
    consent_services.consent_withdraw(ctx=ctx_for(alice), consent=consent)
    today = timezone.localdate()
    share(
        alices_person,
        documented_by=alice,
        to_unit=af_unit,
        valid_from=today - dt.timedelta(days=30),
        valid_to=today - dt.timedelta(days=1),
    )
    with pytest.raises(InvalidInput):
        _send(alice, alices_person, af_unit)


def test_reason_and_requested_measure_are_required(alice, af_unit, alices_person, consent):
    with pytest.raises(InvalidInput) as error:
        _send(alice, alices_person, af_unit, reason=" ", requested_measure="")
    assert set(error.value.field_errors) == {"reason", "requested_measure"}


def test_a_protected_person_is_never_referred_to_a_partner(alice, af_unit, alices_person, consent):
    alices_person.protection = Protection.PROTECTED_REGISTRATION
    alices_person.save()
    with pytest.raises(InvalidInput, match="skyddade personuppgifter"):
        _send(alice, alices_person, af_unit)


def test_bob_cannot_refer_and_charlie_does_not_find_the_person(bob, charlie, af_unit, alices_person, consent):
    with pytest.raises(PermissionDenied):
        _send(bob, alices_person, af_unit)
    with pytest.raises(NotFound):
        _send(charlie, alices_person, af_unit)


def test_a_partner_who_sees_the_person_under_consent_cannot_refer_onwards(frida, ifo_unit, alices_person, consent):
    with pytest.raises(PermissionDenied):
        _send(frida, alices_person, ifo_unit)


def test_the_deadline_is_five_working_days_after_sending(monkeypatch, alice, af_unit, alices_person, consent):
    sent = dt.datetime(2026, 4, 2, 9, 30, tzinfo=STOCKHOLM)  # skärtorsdagen
    monkeypatch.setattr(services.timezone, "now", lambda: sent)
    referral = _send(alice, alices_person, af_unit)
    assert referral.response_deadline == dt.date(2026, 4, 13)


def test_the_deadline_uses_the_swedish_date_late_in_the_evening(monkeypatch, alice, af_unit, alices_person, consent):
    # 23:30 UTC on Wednesday 1 April is already Thursday 2 April in Sweden.
    monkeypatch.setattr(services.timezone, "now", lambda: dt.datetime(2026, 4, 1, 23, 30, tzinfo=dt.UTC))
    assert _send(alice, alices_person, af_unit).response_deadline == dt.date(2026, 4, 13)


def test_the_recipient_accepts_and_the_plan_step_text_is_kept(frida, referral):
    services.referral_accept(ctx=ctx_for(frida), referral_id=referral.pk, response="Välkommen på måndag")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.accepted_step_text == "Praktik"
    assert referral.responded_by == frida
    assert referral.first_action_at == referral.responded_at
    entry = AccessLogEntry.objects.get(action="referral.accepted")
    assert (entry.basis, entry.consent_id) == ("consent", referral.consent_id)


def test_declining_needs_a_reason(frida, referral):
    with pytest.raises(InvalidInput) as error:
        services.referral_decline(ctx=ctx_for(frida), referral_id=referral.pk, reason="  ")
    assert "decline_reason" in error.value.field_errors
    services.referral_decline(ctx=ctx_for(frida), referral_id=referral.pk, reason="Ingen plats just nu")
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == (ReferralStatus.DECLINED, "Ingen plats just nu")
    assert referral.first_action_at is not None


def test_asking_for_more_is_the_first_action_and_the_referrer_answers(alice, frida, referral):
    asked = services.referral_request_info(ctx=ctx_for(frida), referral_id=referral.pk, question="Har hen körkort?")
    assert asked.status == ReferralStatus.MORE_INFO_REQUESTED
    first_action = asked.first_action_at
    assert first_action is not None
    answered = services.referral_add_info(ctx=ctx_for(alice), referral_id=referral.pk, text="Ja, B-körkort")
    assert answered.status == ReferralStatus.SENT
    accepted = services.referral_accept(ctx=ctx_for(frida), referral_id=referral.pk)
    assert accepted.first_action_at == first_action
    kinds = [e.kind for e in referral.events.all()]
    assert kinds == ["skickad", "komplettering_begard", "kompletterad", "accepterad"]
    assert referral.events.get(kind="kompletterad").text == "Ja, B-körkort"


def test_answering_gives_the_recipient_a_fresh_deadline(monkeypatch, alice, frida, af_unit, alices_person, consent):
    monkeypatch.setattr(services.timezone, "now", lambda: dt.datetime(2026, 4, 2, 9, tzinfo=STOCKHOLM))
    referral = _send(alice, alices_person, af_unit)
    services.referral_request_info(ctx=ctx_for(frida), referral_id=referral.pk, question="Mer?")
    monkeypatch.setattr(services.timezone, "now", lambda: dt.datetime(2026, 4, 20, 9, tzinfo=STOCKHOLM))
    answered = services.referral_add_info(ctx=ctx_for(alice), referral_id=referral.pk, text="Här")
    assert answered.response_deadline == dt.date(2026, 4, 27)


def test_only_the_right_side_may_act(alice, frida, referral):
    with pytest.raises(PermissionDenied):
        services.referral_accept(ctx=ctx_for(alice), referral_id=referral.pk)
    with pytest.raises(PermissionDenied):
        services.referral_withdraw(ctx=ctx_for(frida), referral_id=referral.pk)
    with pytest.raises(InvalidInput, match="inte begärt"):
        services.referral_add_info(ctx=ctx_for(alice), referral_id=referral.pk, text="Svar")


def test_read_only_users_on_either_side_cannot_act(bob, greta, referral):
    with pytest.raises(PermissionDenied):
        services.referral_accept(ctx=ctx_for(greta), referral_id=referral.pk)
    with pytest.raises(PermissionDenied):
        services.referral_withdraw(ctx=ctx_for(bob), referral_id=referral.pk)


def test_outsiders_do_not_find_the_referral(charlie, harald, referral):
    for outsider in (charlie, harald):
        with pytest.raises(NotFound):
            services.referral_accept(ctx=ctx_for(outsider), referral_id=referral.pk)


def test_an_answered_referral_cannot_be_answered_again(frida, referral):
    services.referral_accept(ctx=ctx_for(frida), referral_id=referral.pk)
    with pytest.raises(InvalidInput):
        services.referral_decline(ctx=ctx_for(frida), referral_id=referral.pk, reason="Ändrat oss")
    with pytest.raises(InvalidInput):
        services.referral_request_info(ctx=ctx_for(frida), referral_id=referral.pk, question="?")


def test_the_referrer_withdraws_an_open_referral(alice, frida, referral):
    services.referral_withdraw(ctx=ctx_for(alice), referral_id=referral.pk, note="Hen har fått jobb")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN
    assert referral.first_action_at is None
    with pytest.raises(InvalidInput):
        services.referral_accept(ctx=ctx_for(frida), referral_id=referral.pk)


def test_withdrawing_the_consent_closes_the_referral_for_the_recipient_only(alice, frida, referral, consent):
    consent_services.consent_withdraw(ctx=ctx_for(alice), consent=consent)
    with pytest.raises(NotFound):
        selectors.referral_get(viewer=frida, ctx=ctx_for(frida), referral_id=referral.pk)
    with pytest.raises(NotFound):
        services.referral_accept(ctx=ctx_for(frida), referral_id=referral.pk)
    view = selectors.referral_get(viewer=alice, ctx=ctx_for(alice), referral_id=referral.pk)
    assert not view.consent_active


def test_the_recipient_loses_the_referral_when_the_person_becomes_protected(frida, referral, alices_person):
    alices_person.protection = Protection.CONFIDENTIALITY_MARK
    alices_person.save()
    with pytest.raises(NotFound):
        selectors.referral_get(viewer=frida, ctx=ctx_for(frida), referral_id=referral.pk)


def test_viewing_logs_the_consent_on_the_recipient_side(alice, frida, referral):
    selectors.referral_get(viewer=frida, ctx=ctx_for(frida), referral_id=referral.pk)
    selectors.referral_get(viewer=alice, ctx=ctx_for(alice), referral_id=referral.pk)
    entries = {e.username: e for e in AccessLogEntry.objects.filter(action="referral.viewed")}
    assert (entries["frida"].basis, entries["frida"].consent_id) == ("consent", referral.consent_id)
    assert (entries["alice"].basis, entries["alice"].consent_id) == ("own_unit", None)


def test_what_each_side_may_do_is_shown_on_the_referral(alice, bob, frida, greta, referral):
    sender = selectors.referral_get(viewer=alice, ctx=ctx_for(alice), referral_id=referral.pk)
    assert (sender.may_withdraw, sender.may_respond, sender.may_add_info) == (True, False, False)
    recipient = selectors.referral_get(viewer=frida, ctx=ctx_for(frida), referral_id=referral.pk)
    assert (recipient.may_respond, recipient.may_request_info, recipient.may_withdraw) == (True, True, False)
    for reader in (bob, greta):
        view = selectors.referral_get(viewer=reader, ctx=ctx_for(reader), referral_id=referral.pk)
        assert [view.may_respond, view.may_request_info, view.may_add_info, view.may_withdraw] == [False] * 4


def test_a_kaa_coach_may_also_refer(af_unit, alices_person, alice):
    kaa = UserFactory(username="kaa", unit=alice.unit, role=Role.KAA)
    share(alices_person, documented_by=kaa, to_unit=af_unit)
    assert _send(kaa, alices_person, af_unit).from_user == kaa


def test_an_accepted_referral_becomes_a_step_in_the_referring_units_plan(frida, alice, referral, project):
    from vagval.plans.models import PlanStep
    from vagval.plans.tests.factories import make_plan

    plan = make_plan(referral.person, by=alice, project=project, goals=["Jag vill jobba"])
    services.referral_accept(ctx=ctx_for(frida), referral_id=referral.pk, response="Välkommen")
    step = PlanStep.objects.get(plan=plan)
    assert (step.content, step.responsible_unit_id) == ("Praktik", frida.unit_id)


def test_accepting_without_a_plan_keeps_the_step_text_on_the_referral(frida, referral):
    from vagval.plans.models import PlanStep

    services.referral_accept(ctx=ctx_for(frida), referral_id=referral.pk, response="Välkommen")
    assert not PlanStep.objects.exists()
