"""The jobs: follow-ups falling due with the young person's link, reminders on day 3 and 7 with a
controllable clock, then the coach; the register's suggestion; the answer through the link."""

import datetime as dt

import pytest

from conftest import ctx_for
from vagval.accounts.system import SystemActor, system_context
from vagval.accounts.tests.factories import UserFactory
from vagval.assessments.links import LinkRefused
from vagval.audit.models import AccessLogEntry
from vagval.common import scoping
from vagval.followup import jobs, services
from vagval.followup.models import FollowUp, FollowUpKind, FollowUpLink, FollowUpStatus, Situation, Source
from vagval.people.models import Protection
from vagval.registers.models import StudyEntry

SENT: list[dict] = []


class RecordingSender:
    def send_email(self, *, to, subject, body):
        SENT.append({"via": "epost", "to": to, "body": body})

    def send_sms(self, *, to, body):
        SENT.append({"via": "sms", "to": to, "body": body})


@pytest.fixture(autouse=True)
def recording_sender(settings):
    settings.ASSESSMENT_LINK_SENDER = "vagval.followup.tests.test_jobs.RecordingSender"
    SENT.clear()
    return SENT


@pytest.fixture
def first(exited):
    return FollowUp.objects.get(exit=exited, kind=FollowUpKind.WEEKS_4)


DUE = dt.date(2026, 7, 28)  # 28 days after the exit on 30 June


def _phone(person, phone="070-123 45 67"):
    type(person).objects.filter(pk=person.pk).update(phone=phone, email="")


def test_nothing_falls_due_the_day_before(alices_person, first):
    _phone(alices_person)
    result = services.follow_ups_fall_due(today=DUE - dt.timedelta(days=1))
    assert result.changed == 0
    assert not SENT


def test_on_the_due_date_the_follow_up_is_to_do_and_the_link_is_sent_by_sms(alices_person, first):
    _phone(alices_person)
    result = services.follow_ups_fall_due(today=DUE)
    first.refresh_from_db()
    assert first.status == FollowUpStatus.DUE
    assert result.changed == 1
    assert len(SENT) == 1
    assert SENT[0]["via"] == "sms"
    assert "Hej Moa!" in SENT[0]["body"]
    link = FollowUpLink.objects.get(follow_up=first)
    assert jobs.link_url(link.pk) in SENT[0]["body"]
    entry = AccessLogEntry.objects.get(action="follow_up.link_sent")
    assert entry.person_id == alices_person.pk
    assert entry.user.username == "system:uppfoljning"


def test_falling_due_is_idempotent(alices_person, first):
    _phone(alices_person)
    services.follow_ups_fall_due(today=DUE)
    again = services.follow_ups_fall_due(today=DUE)
    assert again.changed == 0
    assert len(SENT) == 1
    assert FollowUpLink.objects.count() == 1


def test_without_phone_or_email_the_follow_up_goes_straight_to_the_coach(alices_person, first):
    type(alices_person).objects.filter(pk=alices_person.pk).update(phone="", email="")
    services.follow_ups_fall_due(today=DUE)
    first.refresh_from_db()
    assert first.status == FollowUpStatus.DUE
    assert first.needs_coach
    assert not SENT


def test_a_protected_person_is_never_sent_an_automatic_message(alices_person, first):
    type(alices_person).objects.filter(pk=alices_person.pk).update(
        phone="070-1", protection=Protection.CONFIDENTIALITY_MARK
    )
    services.follow_ups_fall_due(today=DUE)
    first.refresh_from_db()
    assert first.needs_coach
    assert not SENT


def test_reminders_on_day_3_and_7_then_the_coach_on_day_10(alices_person, first):
    _phone(alices_person)
    services.follow_ups_fall_due(today=DUE)
    SENT.clear()

    def run(day):
        return services.follow_up_reminders_send(today=DUE + dt.timedelta(days=day))

    assert run(2).changed == 0
    assert run(3).changed == 1
    assert run(3).changed == 0  # the same day again: nothing new
    assert run(6).changed == 0
    assert run(7).changed == 1
    assert [m["body"].startswith("Påminnelse") for m in SENT] == [True, True]
    assert run(9).to_coach == 0
    assert run(10).to_coach == 1
    first.refresh_from_db()
    assert first.needs_coach
    assert first.status == FollowUpStatus.DUE
    assert run(11).to_coach == 0
    assert len(SENT) == 2
    link = FollowUpLink.objects.get(follow_up=first)
    assert (link.reminders_sent, link.last_reminder_on) == (2, DUE + dt.timedelta(days=7))


def test_an_answered_link_gets_no_reminder(alices_person, first):
    _phone(alices_person)
    services.follow_ups_fall_due(today=DUE)
    link = FollowUpLink.objects.get(follow_up=first)
    _answer(link, "jobbar")
    SENT.clear()
    assert services.follow_up_reminders_send(today=DUE + dt.timedelta(days=3)).changed == 0
    assert not SENT


def _answer(link, doing_now, qualification=False, contact=False):
    ctx = system_context(SystemActor.PERSONAL_LINK)
    with scoping.activated(ctx, "personal_link"):
        found = jobs.link_for_token(token=jobs.link_token(link.pk), ctx=ctx)
        return jobs.follow_up_answer(
            ctx=ctx, link=found, doing_now=doing_now, qualification=qualification, contact=contact
        )


def test_the_young_persons_answer_closes_the_follow_up_with_source_the_young_person(alices_person, first):
    _phone(alices_person)
    services.follow_ups_fall_due(today=DUE)
    link = FollowUpLink.objects.get(follow_up=first)
    answered = _answer(link, "studerar")
    assert (answered.status, answered.outcome, answered.source) == (
        FollowUpStatus.DONE,
        Situation.STUDYING,
        Source.YOUNG_PERSON,
    )
    entry = AccessLogEntry.objects.get(action="follow_up_link.answered")
    assert entry.basis == "self"
    with pytest.raises(LinkRefused) as refused:
        _answer(link, "jobbar")
    assert refused.value.reason == "used"


def test_a_qualification_counts_when_the_young_person_is_not_in_work_or_studies(alices_person, first):
    _phone(alices_person)
    services.follow_ups_fall_due(today=DUE)
    answered = _answer(FollowUpLink.objects.get(follow_up=first), "soker_jobb", qualification=True)
    assert answered.outcome == Situation.QUALIFIED


def test_a_wrong_token_is_unknown(db):
    ctx = system_context(SystemActor.PERSONAL_LINK)
    with scoping.activated(ctx, "personal_link"), pytest.raises(LinkRefused) as refused:
        jobs.link_for_token(token="fel", ctx=ctx)
    assert refused.value.reason == "unknown"


def test_the_coach_recording_an_outcome_closes_the_link(alice, alices_person, first):
    _phone(alices_person)
    services.follow_ups_fall_due(today=DUE)
    first.refresh_from_db()
    services.follow_up_record(ctx=ctx_for(alice), follow_up=first, outcome="i_arbete", source="partner", today=DUE)
    assert FollowUpLink.objects.get(follow_up=first).revoked_at is not None


# --- The register's suggestion ---------------------------------------------------------------------


def _study(person, unit, start, end=None, status="pagaende"):
    from vagval.organisations.models import Municipality
    from vagval.registers.models import ImportKind, RegisterImport

    register_import = RegisterImport.objects.create(
        kind=ImportKind.STUDIES,
        municipality=Municipality.objects.first() or Municipality.objects.create(code="2085", name="Ludvika"),
        unit=unit,
        imported_by=UserFactory(unit=unit),
        reference_date=start,
    )
    return StudyEntry.objects.create(
        unit=unit,
        person=person,
        school_form="KOMVUX",
        status=status,
        start_date=start,
        end_date=end,
        row_hash=f"{start}{end}",
        last_import=register_import,
    )


def test_a_studies_extract_showing_the_person_enrolled_on_the_due_date_suggests_in_education(
    alice, alices_person, first
):
    _study(alices_person, alice.unit, dt.date(2026, 7, 1))
    services.follow_ups_fall_due(today=DUE)
    result = services.register_suggestions_apply(today=DUE)
    first.refresh_from_db()
    assert result.changed == 1
    assert first.suggested_outcome == Situation.STUDYING
    assert first.status == FollowUpStatus.DUE
    assert services.register_suggestions_apply(today=DUE).changed == 0  # idempotent

    services.follow_up_suggestion_confirm(ctx=ctx_for(alice), follow_up=first, today=DUE)
    first.refresh_from_db()
    assert (first.status, first.outcome, first.source) == (FollowUpStatus.DONE, Situation.STUDYING, Source.REGISTER)


def test_studies_that_ended_before_the_due_date_suggest_nothing(alice, alices_person, first):
    _study(alices_person, alice.unit, dt.date(2026, 1, 1), end=dt.date(2026, 7, 1), status="avbrott")
    services.follow_ups_fall_due(today=DUE)
    assert services.register_suggestions_apply(today=DUE).changed == 0


def test_another_units_extract_suggests_nothing(charlie, alices_person, first):
    _study(alices_person, charlie.unit, dt.date(2026, 7, 1))
    services.follow_ups_fall_due(today=DUE)
    assert services.register_suggestions_apply(today=DUE).changed == 0


# --- The coach's way -------------------------------------------------------------------------------


def test_not_reached_needs_a_listed_attempt(alice, first):
    services.follow_ups_fall_due(today=DUE)
    first.refresh_from_db()
    from vagval.common.errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.follow_up_not_reached(ctx=ctx_for(alice), follow_up=first, today=DUE)
    services.follow_up_attempt_add(ctx=ctx_for(alice), follow_up=first, attempted_on=DUE, method="telefon", today=DUE)
    first.refresh_from_db()
    services.follow_up_not_reached(ctx=ctx_for(alice), follow_up=first, today=DUE)
    first.refresh_from_db()
    assert first.status == FollowUpStatus.NOT_REACHED


def test_an_outcome_cannot_be_recorded_before_the_due_date(alice, first):
    from vagval.common.errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.follow_up_record(
            ctx=ctx_for(alice), follow_up=first, outcome="i_arbete", source="ungdomen", today=DUE - dt.timedelta(1)
        )


def test_the_command_runs_the_jobs_for_a_given_day(alices_person, first):
    from io import StringIO

    from django.core.management import call_command

    _phone(alices_person)
    out = StringIO()
    call_command("followup_jobs", "--datum", DUE.isoformat(), stdout=out)
    assert "1 att göra, 1 länkar skickade" in out.getvalue()
    first.refresh_from_db()
    assert first.status == FollowUpStatus.DUE
