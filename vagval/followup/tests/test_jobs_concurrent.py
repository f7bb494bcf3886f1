"""Two runs of a follow-up job at the same moment (two workers, or the command beside the worker):
each follow-up still falls due once, gets one link and one message.

Real concurrency needs real row locks: on PostgreSQL each thread has its own connection. The first
run holds its first batch's locks until the second run's locking read waits for them; the second
then reads rows the first one changed after its statement began.
"""

import datetime as dt
import threading
import time

import pytest
from django.db import connection, connections

from vagval.audit import services as audit_services
from vagval.followup import jobs
from vagval.followup.models import FollowUp, FollowUpLink, FollowUpStatus
from vagval.followup.tests.factories import FollowUpFactory
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections need PostgreSQL"),
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DUE = dt.date(2026, 9, 1)
SENT: list[str] = []


class CountingSender:
    def send_email(self, *, to, subject, body):
        SENT.append(to)

    def send_sms(self, *, to, body):
        SENT.append(to)


def _wait_until_another_backend_waits_for_a_lock():
    with connections["default"].cursor() as cursor:
        for _ in range(200):  # a bound on the wait, not on the code under test
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)


def test_two_runs_at_once_give_each_follow_up_one_link_and_one_message(settings, monkeypatch, alice, project):
    settings.ASSESSMENT_LINK_SENDER = "vagval.followup.tests.test_jobs_concurrent.CountingSender"
    SENT.clear()
    for i in range(6):
        person = PersonFactory(unit=alice.unit, phone=f"070-{i}")
        enrolment = EnrolmentFactory(person=person, project=project, unit=alice.unit)
        FollowUpFactory(exit__enrolment=enrolment, due_on=DUE)
    first_batch_held = threading.Event()
    record_many = audit_services.access_log_record_many

    def hold_the_first_batch(**kwargs):
        written = record_many(**kwargs)
        if not first_batch_held.is_set():
            first_batch_held.set()
            _wait_until_another_backend_waits_for_a_lock()
        return written

    monkeypatch.setattr(jobs, "access_log_record_many", hold_the_first_batch)
    results, errors = [], []

    def run():
        try:
            results.append(jobs.follow_ups_fall_due(today=DUE, batch=4))
        except Exception as error:  # reported below, in the test's own thread
            errors.append(error)
            first_batch_held.set()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    threads[0].start()
    first_batch_held.wait()
    threads[1].start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(r.changed for r in results) == 6
    assert FollowUp.objects.filter(status=FollowUpStatus.DUE).count() == 6
    assert FollowUpLink.objects.count() == 6
    assert len(SENT) == 6
    assert sum(r.failed for r in results) == 0
