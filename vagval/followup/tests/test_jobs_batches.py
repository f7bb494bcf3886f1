"""The jobs' batches: exactly what the statements before the speed-up gave, and each batch reads
only its own rows (issue 12's figure).

The reference below is the jobs' batch code as it was before the batches read and wrote their rows
by primary key alone, kept verbatim as the oracle. A mixed world (SMS, e-mail, no channel,
protected, merged, follow-ups in every status, links answered and revoked between runs) goes
through two fall-due days and a fortnight of daily reminder runs, in batches of 3 so that batches
meet rows changed by earlier ones; after every run the results, the rows, the access-log entries
and the messages (tokens replaced by their follow-up) are compared.
"""

import datetime as dt
import re
import uuid

import pytest
from django.db import connection, transaction
from django.db.models import Max, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vagval.accounts.system import SystemActor, system_context
from vagval.assessments.links import token_hash
from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.audit.services import AccessContext, access_log_record_many
from vagval.common import scoping, sql
from vagval.followup import jobs
from vagval.followup.models import FollowUp, FollowUpKind, FollowUpLink, FollowUpStatus, LinkSentVia, Situation
from vagval.followup.tests.factories import ExitFactory, FollowUpFactory
from vagval.people.models import Person, Protection
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

D = dt.date(2026, 9, 1)
SENT: list[tuple[str, str, str]] = []


class RecordingSender:
    def send_email(self, *, to, subject, body):
        SENT.append(("epost", to, body))

    def send_sms(self, *, to, body):
        SENT.append(("sms", to, body))


@pytest.fixture(autouse=True)
def recording_sender(settings):
    settings.ASSESSMENT_LINK_SENDER = "vagval.followup.tests.test_jobs_batches.RecordingSender"
    SENT.clear()


# --- The reference: the batch code before the speed-up, verbatim ----------------------------------


def legacy_follow_ups_fall_due(*, today, batch=jobs.BATCH, send=True):
    ctx = system_context(SystemActor.FOLLOW_UP)
    result = jobs.JobResult()
    with scoping.activated(ctx, jobs.PURPOSE):
        ids = list(
            FollowUp.objects.filter(status=FollowUpStatus.UPCOMING, due_on__lte=today)
            .order_by("due_on", "pk")
            .values_list("pk", flat=True)
        )
        parts = jobs._url_parts()
        for chunk in jobs._chunks(ids, batch):
            _legacy_fall_due_batch(ctx=ctx, ids=chunk, today=today, result=result, parts=parts)
            if send:
                jobs._send(result)
    return result


def _legacy_fall_due_batch(*, ctx: AccessContext, ids, today, result, parts):
    now = timezone.now()
    with transaction.atomic():
        changed = FollowUp.objects.filter(pk__in=ids, status=FollowUpStatus.UPCOMING).update(
            status=FollowUpStatus.DUE, updated_at=now
        )
        result.changed += changed
        rows = (
            FollowUp.objects.filter(pk__in=ids, status=FollowUpStatus.DUE, link__isnull=True, needs_coach=False)
            .values(
                "pk",
                "person_id",
                "unit_id",
                "unit__name",
                "person__first_name",
                "person__phone",
                "person__email",
                "person__protection",
                "person__merged_into_id",
            )
            .order_by()
        )
        links, to_coach, outgoing, grants = [], [], [], []
        for row in rows:
            channel = jobs._channel(row)
            if channel is None:
                to_coach.append(row["pk"])
                continue
            via, to = channel
            link_id = uuid.uuid4()
            token = jobs.link_token(link_id)
            links.append((link_id, row["pk"], row["person_id"], row["unit_id"], token_hash(token), via))
            url = parts[0] + token + parts[1]
            body = jobs._message(
                first_name=str(row["person__first_name"]), unit_name=str(row["unit__name"]), url=url, reminder=False
            )
            outgoing.append(jobs._Outgoing(via=via, to=to, body=body))
            grants.append((row["person_id"], AccessBasis.OWN_UNIT, None))
        sql.insert_many(FollowUpLink, jobs._LINK_COLUMNS, links, shared=jobs._link_shared(now=now, today=today))
        if to_coach:
            FollowUp.objects.filter(pk__in=to_coach).update(needs_coach=True, updated_at=now)
        result.to_coach += len(to_coach)
        access_log_record_many(ctx=ctx, action="follow_up.link_sent", grants=grants, detail={"day": str(today)})
    result.messages.extend(outgoing)


def legacy_follow_up_reminders_send(*, today, batch=jobs.BATCH, send=True):
    ctx = system_context(SystemActor.FOLLOW_UP)
    result = jobs.JobResult()
    with scoping.activated(ctx, jobs.PURPOSE):
        open_links = FollowUpLink.objects.filter(
            used_at__isnull=True,
            revoked_at__isnull=True,
            follow_up__status=FollowUpStatus.DUE,
            follow_up__needs_coach=False,
        )
        first, second = jobs.REMINDER_DAYS
        due_first = Q(reminders_sent=0, sent_on__lte=today - dt.timedelta(days=first))
        due_second = Q(reminders_sent=1, sent_on__lte=today - dt.timedelta(days=second))
        due_coach = Q(reminders_sent__gte=2, sent_on__lte=today - dt.timedelta(days=jobs.TO_COACH_AFTER_DAYS))
        ids = list(open_links.filter(due_first | due_second | due_coach).order_by("pk").values_list("pk", flat=True))
        parts = jobs._url_parts()
        for chunk in jobs._chunks(ids, batch):
            _legacy_remind_batch(ctx=ctx, ids=chunk, today=today, result=result, parts=parts)
            if send:
                jobs._send(result)
    return result


def _legacy_remind_batch(*, ctx, ids, today, result, parts):
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            FollowUpLink.objects.select_for_update()
            .filter(pk__in=ids, used_at__isnull=True, revoked_at__isnull=True)
            .values(
                "pk",
                "follow_up_id",
                "person_id",
                "reminders_sent",
                "sent_on",
                "sent_via",
                "unit__name",
                "person__first_name",
                "person__phone",
                "person__email",
            )
            .order_by()
        )
        remind = {1: [], 2: []}
        to_coach, outgoing, reminded, coached = [], [], [], []
        for row in rows:
            days = (today - row["sent_on"]).days
            sent = int(row["reminders_sent"])
            if sent < len(jobs.REMINDER_DAYS) and days >= jobs.REMINDER_DAYS[sent]:
                remind[sent + 1].append(row["pk"])
                to = row["person__phone"] if row["sent_via"] == LinkSentVia.SMS else row["person__email"]
                if to:
                    body = jobs._message(
                        first_name=str(row["person__first_name"]),
                        unit_name=str(row["unit__name"]),
                        url=jobs.link_url(row["pk"], parts),
                        reminder=True,
                    )
                    outgoing.append(jobs._Outgoing(via=str(row["sent_via"]), to=str(to), body=body))
                reminded.append((row["person_id"], AccessBasis.OWN_UNIT, None))
            elif sent >= len(jobs.REMINDER_DAYS) and days >= jobs.TO_COACH_AFTER_DAYS:
                to_coach.append(row["follow_up_id"])
                coached.append((row["person_id"], AccessBasis.OWN_UNIT, None))
        for number, link_ids in remind.items():
            if link_ids:
                FollowUpLink.objects.filter(pk__in=link_ids).update(
                    reminders_sent=number, last_reminder_on=today, updated_at=now
                )
        if to_coach:
            FollowUp.objects.filter(pk__in=to_coach, status=FollowUpStatus.DUE).update(needs_coach=True, updated_at=now)
        result.changed += len(remind[1]) + len(remind[2])
        result.to_coach += len(to_coach)
        access_log_record_many(ctx=ctx, action="follow_up.reminder_sent", grants=reminded, detail={"day": str(today)})
        access_log_record_many(ctx=ctx, action="follow_up.to_coach", grants=coached, detail={"day": str(today)})
    result.messages.extend(outgoing)


# --- The world and the scenario --------------------------------------------------------------------


def _person(unit, **fields):
    defaults = {"phone": "070-111 22 33", "email": ""}
    return PersonFactory(unit=unit, **{**defaults, **fields})


def _exit(project, person):
    enrolment = EnrolmentFactory(person=person, project=project, unit=person.unit)
    return ExitFactory(enrolment=enrolment, exit_on=D - dt.timedelta(days=40))


@pytest.fixture
def world(alice, charlie, project):
    """Two units; follow-ups due on both fall-due days, not yet due, and in every other status."""
    units = [alice.unit, charlie.unit]
    survivor = _person(alice.unit)
    people = [
        *(_person(units[i % 2], first_name=f"Sms{i}") for i in range(9)),
        *(_person(units[i % 2], first_name=f"Post{i}", phone="  ", email=f"p{i}@example.org") for i in range(4)),
        _person(alice.unit, phone="", email=""),
        _person(alice.unit, protection=Protection.CONFIDENTIALITY_MARK),
        _person(charlie.unit, protection=Protection.PROTECTED_REGISTRATION),
        _person(alice.unit, merged_into=survivor),
    ]
    for i, person in enumerate(people):
        exit_ = _exit(project, person)
        FollowUpFactory(exit=exit_, kind=FollowUpKind.WEEKS_4, due_on=D - dt.timedelta(days=4 + i % 3))
        FollowUpFactory(exit=exit_, kind=FollowUpKind.DAYS_90, due_on=D - dt.timedelta(days=i % 2))
        FollowUpFactory(exit=exit_, kind=FollowUpKind.MONTHS_6, due_on=D + dt.timedelta(days=1))
    odd = _exit(project, _person(alice.unit, first_name="Annan"))
    earlier = D - dt.timedelta(days=9)
    FollowUpFactory(exit=odd, kind=FollowUpKind.WEEKS_4, due_on=earlier, status=FollowUpStatus.DUE)
    FollowUpFactory(exit=odd, kind=FollowUpKind.DAYS_90, due_on=earlier, status=FollowUpStatus.DUE, needs_coach=True)
    FollowUpFactory(exit=odd, kind=FollowUpKind.MONTHS_6, due_on=earlier, status=FollowUpStatus.NOT_APPLICABLE)
    done = _exit(project, _person(charlie.unit, first_name="Klar"))
    FollowUpFactory(
        exit=done, kind=FollowUpKind.WEEKS_4, due_on=earlier, status=FollowUpStatus.DONE, outcome=Situation.WORKING
    )
    FollowUpFactory(exit=done, kind=FollowUpKind.DAYS_90, due_on=earlier, status=FollowUpStatus.NOT_REACHED)
    return people


def _links_by_token():
    return {
        jobs.link_token(pk): str(follow_up_id)
        for pk, follow_up_id in FollowUpLink.objects.values_list("pk", "follow_up_id")
    }


def _snapshot(result, log_after):
    tokens = _links_by_token()
    messages = sorted(
        (via, to, re.sub(r"/([A-Za-z0-9_-]{43})/", lambda m: "/" + tokens[m.group(1)] + "/", body))
        for via, to, body in SENT
    )
    SENT.clear()
    entries = sorted(
        (e.action, str(e.person_id), e.basis, e.username, repr(sorted(e.detail.items())))
        for e in AccessLogEntry.objects.filter(id__gt=log_after)
    )
    follow_ups = sorted(
        (str(pk), status, needs_coach)
        for pk, status, needs_coach in FollowUp.objects.values_list("pk", "status", "needs_coach")
    )
    links = sorted(
        (
            str(link.follow_up_id),
            link.person_id,
            link.unit_id,
            link.sent_via,
            link.sent_on,
            link.reminders_sent,
            link.last_reminder_on,
            link.used_at is None,
            link.revoked_at is None,
            link.token_hash == token_hash(jobs.link_token(link.pk)),
            link.expires_at - link.created_at,
        )
        for link in FollowUpLink.objects.all()
    )
    counts = (result.changed, result.sent, result.to_coach, result.failed)
    return counts, messages, entries, follow_ups, links


def _between_runs(day):
    """What young people and coaches do meanwhile: an answer, a revoked link, a closed follow-up."""
    links = list(FollowUpLink.objects.order_by("follow_up__due_on", "follow_up_id"))
    now = timezone.now()
    if day == 2 and len(links) > 4:
        FollowUpLink.objects.filter(pk=links[1].pk).update(used_at=now)
        FollowUp.objects.filter(pk=links[1].follow_up_id).update(
            status=FollowUpStatus.DONE, outcome=Situation.STUDYING, source="ungdomen"
        )
        FollowUpLink.objects.filter(pk=links[4].pk).update(revoked_at=now)
    if day == 8 and len(links) > 7:
        FollowUpLink.objects.filter(pk=links[7].pk).update(used_at=now)


def _meanwhile(ids):
    """What others do between a run's listing and its batches (a coach, the young person, another
    worker): each batch must judge its rows as they are when it locks them, as before."""
    now = timezone.now()
    follow_ups = FollowUp.objects.filter(pk__in=ids)
    follow_ups.filter(person__first_name="Sms3").update(status=FollowUpStatus.DUE)
    follow_ups.filter(person__first_name="Sms5").update(status=FollowUpStatus.NOT_APPLICABLE)
    follow_ups.filter(person__first_name="Post1").update(status=FollowUpStatus.DUE, needs_coach=True)
    links = FollowUpLink.objects.filter(pk__in=ids)
    links.filter(person__first_name="Sms6").update(used_at=now)
    links.filter(person__first_name="Sms7").update(revoked_at=now)
    FollowUp.objects.filter(
        link__in=links.filter(person__first_name="Sms8", reminders_sent=2), status=FollowUpStatus.DUE
    ).update(status=FollowUpStatus.NOT_APPLICABLE)


@pytest.fixture(autouse=True)
def others_act_after_the_listing(monkeypatch):
    chunks = jobs._chunks

    def meanwhile_then_chunks(ids, size):
        _meanwhile(ids)
        yield from chunks(ids, size)

    monkeypatch.setattr(jobs, "_chunks", meanwhile_then_chunks)


def _scenario(fall_due, remind):
    log_after = AccessLogEntry.objects.aggregate(m=Max("id"))["m"] or 0
    snapshots = []

    def run(call, **kwargs):
        nonlocal log_after
        result = call(batch=3, **kwargs)
        snapshots.append(_snapshot(result, log_after))
        log_after = AccessLogEntry.objects.aggregate(m=Max("id"))["m"] or 0

    run(fall_due, today=D - dt.timedelta(days=4))
    for day in range(-3, 15):
        if day == 0:
            run(fall_due, today=D)
            run(fall_due, today=D)  # again the same day: nothing
        _between_runs(day)
        run(remind, today=D + dt.timedelta(days=day))
        run(remind, today=D + dt.timedelta(days=day))
    return snapshots


def test_the_jobs_change_send_and_log_exactly_what_the_statements_before_did(world):
    with transaction.atomic():
        before = _scenario(legacy_follow_ups_fall_due, legacy_follow_up_reminders_send)
        transaction.set_rollback(True)
    now = _scenario(jobs.follow_ups_fall_due, jobs.follow_up_reminders_send)
    assert [s[0] for s in now] == [s[0] for s in before]  # the counts first: the clearest message
    assert now == before
    # The world exercised every branch: links by SMS and e-mail, reminders, coaches, answers.
    assert {m[0] for s in now for m in s[1]} == {"sms", "epost"}
    assert sum(s[0][2] for s in now) > 0
    assert sum(s[0][0] for s in now) > 0
    assert FollowUpLink.objects.filter(reminders_sent=2).exists()
    assert Person.objects.filter(merged_into__isnull=False).exists()


# --- Each batch reads only its own rows --------------------------------------------------------------


def _batch_plans(call, **kwargs):
    """SQLite's plan of every statement of a run that names its rows by primary key (the batches';
    the run's one listing query has no IN list)."""
    with CaptureQueriesContext(connection) as captured:
        call(batch=3, **kwargs)
    plans = []
    for query in captured.captured_queries:
        statement = query["sql"]
        if " IN (" in statement and statement.startswith(("SELECT", "UPDATE")) and "followup_" in statement:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN QUERY PLAN {statement}")  # the captured SQL has its values inline
                plans.append((statement, [row[-1] for row in cursor.fetchall()]))
    return plans


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner, which chooses without statistics")
def test_each_batch_reaches_its_rows_by_primary_key_not_by_an_index_on_their_state(world):
    """Regression (issue 12's figure): with `status = …` or `used_at IS NULL` beside `pk IN (…)`
    SQLite went through that index and read every row in the state for each batch, so the day-10
    hand-over took 366 s for 300,000 persons against 4 s for 30,000."""
    plans = _batch_plans(jobs.follow_ups_fall_due, today=D)
    for day in (3, 7, 10):
        plans += _batch_plans(jobs.follow_up_reminders_send, today=D + dt.timedelta(days=day))
    assert len(plans) > 10
    for statement, plan in plans:
        followup_steps = [step for step in plan if re.search(r"\bfollowup_followup(link)?\b", step)]
        assert followup_steps, statement
        for step in followup_steps:
            assert step.startswith("SEARCH"), (step, statement)
            assert "USING INDEX followup_fo_" not in step, (step, statement)
