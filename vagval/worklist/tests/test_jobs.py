"""The periodic jobs: due once a day after their time, once per period however many workers run."""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo

import pytest
from django.db import connection

from vagval.accounts.system import system_user
from vagval.worklist import jobs
from vagval.worklist.models import JobRun, JobRunStatus

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
MORNING = dt.datetime(2026, 3, 5, 7, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def counted(monkeypatch):
    """Every job replaced by one that counts its runs (per job name)."""
    runs: dict[str, int] = {}
    lock = threading.Lock()

    def counting(name):
        def run(day):
            with lock:
                runs[name] = runs.get(name, 0) + 1
            return "ok"

        return run

    monkeypatch.setattr(
        jobs, "JOBS", tuple(jobs.Job(j.name, j.label, j.at, j.actor, counting(j.name)) for j in jobs.JOBS)
    )
    return runs


def test_the_registry_names_the_nightly_lists_and_the_daily_email():
    assert {job.name for job in jobs.JOBS} >= {
        "malgrupp_nattlig",
        "att_gora_epost",
        "uppfoljning_forfaller",
        "uppfoljning_paminnelser",
        "uppfoljning_register",
    }


def test_a_job_is_due_only_after_its_time_of_day():
    job = jobs.job_for("att_gora_epost")
    assert jobs.period_of(job, dt.datetime(2026, 3, 5, 5, 59, tzinfo=STOCKHOLM)) is None
    assert jobs.period_of(job, MORNING) == "2026-03-05"


@pytest.mark.django_db
def test_each_job_runs_once_per_day(counted):
    jobs.run_due_jobs(now=MORNING, worker="a")
    jobs.run_due_jobs(now=MORNING + dt.timedelta(hours=3), worker="b")

    assert counted == {job.name: 1 for job in jobs.JOBS}
    jobs.run_due_jobs(now=MORNING + dt.timedelta(days=1), worker="b")
    assert counted == {job.name: 2 for job in jobs.JOBS}
    assert set(JobRun.objects.values_list("status", flat=True)) == {JobRunStatus.SUCCEEDED}


@pytest.mark.django_db
def test_a_claimed_period_is_not_run_by_a_second_worker(counted):
    job = jobs.job_for("att_gora_epost")
    assert jobs.job_claim(job=job, period="2026-03-05", worker="a") is not None

    assert jobs.job_run(job=job, period="2026-03-05", day=MORNING.date(), worker="b") is None
    assert counted == {}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_the_same_moment_run_each_job_once(counted):
    # On SQLite's in-memory test database the threads share one cache, where a write waiting on
    # another fails at once with "table is locked"; the worker below then tries again, as the
    # scheduler's next tick would.
    # The jobs' system users are made once, before the race: on the shared in-memory database a
    # thread that must create one while the other writes fails at once ("table is locked") inside
    # the job, which is then recorded as failed and not counted. (On a database file the second
    # writer waits for the first.) The race under test is the claim of each job's period.
    for actor in {job.actor for job in jobs.JOBS}:
        system_user(actor)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker(name):
        try:
            start.wait()
            for _attempt in range(20):
                try:
                    jobs.run_due_jobs(now=MORNING, worker=name)
                    break
                except Exception as exc:  # a locked table on SQLite: the next tick tries again
                    if "locked" not in str(exc):
                        raise
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert counted == {job.name: 1 for job in jobs.JOBS}
    assert JobRun.objects.count() == len(jobs.JOBS)


@pytest.mark.django_db
def test_a_failed_job_is_recorded_without_its_message(monkeypatch):
    def failing(day):
        raise ValueError("Moa Provsson 200001019876")

    job = jobs.Job("prov", "Prov", dt.time(0, 0), jobs.SystemActor.WORKER, failing)
    monkeypatch.setattr(jobs, "JOBS", (job,))

    [run] = jobs.run_due_jobs(now=MORNING)

    assert run.status == JobRunStatus.FAILED
    assert "ValueError" in run.error
    assert "test_jobs.py" in run.error
    assert "Moa" not in run.error
    assert "200001019876" not in run.error


@pytest.mark.django_db
def test_the_nightly_refresh_runs_without_registers():
    assert jobs._target_group_refresh(MORNING.date()) == "inget register"


def test_the_worker_starts_the_scheduler_next_to_the_heartbeat(monkeypatch):
    from vagval.cli import main

    calls, started = [], []
    monkeypatch.setattr("django.core.management.call_command", lambda *args, **kwargs: calls.append(args))
    monkeypatch.setattr("vagval.health.heartbeat.start", lambda: threading.Event())
    monkeypatch.setattr(jobs, "start", lambda: started.append(1) or threading.Event())

    assert main(["worker", "--batch"]) == 0

    assert started == [1]
    assert calls == [("db_worker", "--batch")]
