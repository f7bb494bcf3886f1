"""Periodic jobs that `vagval worker` runs by itself, so no cron is needed.

A registry (JOBS) names each job, when in the day it is due and which system actor it acts as.
The scheduler (start()) is a daemon thread next to the worker's heartbeat: every minute it runs
the jobs whose time of day has come and that have not run for today's period.

Several workers may share one database: each job runs once per period because running starts
with inserting a JobRun row, and the unique (job, period) constraint lets only one insert win.
A run that fails is kept with status "misslyckad" and the error's type and code lines (never its
message, which may hold personal data); the administrator sees it on the jobs page. A failed
period is not retried automatically: the administrator can run the command by hand.

This module sits in the top layer next to the to-do list, so it may call any app's job function.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vagval.accounts.system import SystemActor, system_context
from vagval.common import scoping
from vagval.common.errors import InvalidInput
from vagval.worklist.models import JobRun, JobRunStatus

logger = logging.getLogger(__name__)
INTERVAL_SECONDS = 60


@dataclass(frozen=True)
class Job:
    name: str
    label: Promise
    at: dt.time  # local time of day after which the day's run is due
    actor: SystemActor
    run: Callable[[dt.date], str]  # the day → a summary without personal data


def _target_group_refresh(day: dt.date) -> str:
    """The nightly KAA/UVAS lists of every unit with a register (as the command does)."""
    from vagval.targetgroup import selectors
    from vagval.targetgroup.services import target_group_refresh

    try:
        units = selectors.register_units(municipality_code=None)
    except InvalidInput:
        return "inget register"
    ctx = system_context(SystemActor.NIGHTLY)
    failed = 0
    opened = closed = 0
    for unit in units:
        try:
            summary = target_group_refresh(unit=unit, reference_date=day, ctx=ctx)
        except Exception:  # one unit must not stop the others; the run is marked failed below
            logger.exception("target group refresh of unit %s on %s failed", unit.pk, day)
            failed += 1
            continue
        opened += summary.opened
        closed += summary.closed
    if failed:
        raise RuntimeError(f"{failed} av {len(units)} enheter kunde inte beräknas")
    return f"{len(units)} enheter, {opened} nya perioder, {closed} avslutade"


def _daily_email(day: dt.date) -> str:
    from vagval.worklist.mail import daily_email_send

    return f"{daily_email_send(today=day)} brev skickade"


def _follow_ups_due(day: dt.date) -> str:
    from vagval.followup.jobs import follow_ups_fall_due

    result = follow_ups_fall_due(today=day)
    return f"{result.changed} att göra, {result.sent} länkar skickade, {result.failed} misslyckades"


def _reminders(day: dt.date) -> str:
    from vagval.followup.jobs import follow_up_reminders_send

    result = follow_up_reminders_send(today=day)
    return f"{result.sent} påminnelser, {result.to_coach} till coach, {result.failed} misslyckades"


def _suggestions(day: dt.date) -> str:
    from vagval.followup.jobs import register_suggestions_apply

    return f"{register_suggestions_apply(today=day).changed} förslag"


def _retention(day: dt.date) -> str:
    from vagval.dataprotection.retention_services import retention_run_due

    return retention_run_due(ctx=system_context(SystemActor.RETENTION), today=day)


def _access_log(day: dt.date) -> str:
    from vagval.audit.retention_services import access_log_maintain

    return str(access_log_maintain(today=day, ctx=system_context(SystemActor.NIGHTLY)))


JOBS: tuple[Job, ...] = (
    Job(
        "atkomstlogg_partitioner",
        _("Åtkomstloggens månadspartitioner och gallring"),
        dt.time(1, 0),
        SystemActor.NIGHTLY,
        _access_log,
    ),
    Job(
        "malgrupp_nattlig",
        _("Målgruppslistorna (KAA och UVAS)"),
        dt.time(2, 0),
        SystemActor.NIGHTLY,
        _target_group_refresh,
    ),
    Job("att_gora_epost", _("Dagligt e-postmeddelande om att göra"), dt.time(6, 0), SystemActor.WORKER, _daily_email),
    Job(
        "uppfoljning_forfaller",
        _("Uppföljningar som har kommit fram"),
        dt.time(5, 0),
        SystemActor.FOLLOW_UP,
        _follow_ups_due,
    ),
    Job(
        "uppfoljning_paminnelser",
        _("Påminnelser om uppföljningslänkar"),
        dt.time(5, 30),
        SystemActor.FOLLOW_UP,
        _reminders,
    ),
    Job("uppfoljning_register", _("Förslag från studieregistret"), dt.time(3, 0), SystemActor.FOLLOW_UP, _suggestions),
    Job("gallring", _("Gallring enligt godkända provkörningar"), dt.time(3, 30), SystemActor.RETENTION, _retention),
)


def job_for(name: str) -> Job | None:
    return next((job for job in JOBS if job.name == name), None)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:200]


def period_of(job: Job, now: dt.datetime) -> str | None:
    """Today's period (the local date) once the job's time of day has come, else None."""
    local = timezone.localtime(now)
    return local.date().isoformat() if local.time() >= job.at else None


def safe_error(exc: BaseException) -> str:
    """The exception's type and the code lines it passed: enough to find the fault, and no
    message or value, which could hold a name or an identity number."""
    frames = traceback.extract_tb(exc.__traceback__)
    lines = [f"{type(exc).__module__}.{type(exc).__qualname__}"]
    lines += [f"  {frame.filename}:{frame.lineno} i {frame.name}" for frame in frames[-8:]]
    return "\n".join(lines)


def job_claim(*, job: Job, period: str, worker: str = "") -> JobRun | None:
    """Claim the job's period for this worker: the JobRun row, or None when another has it."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job.name, period=period, worker=worker or worker_name())
    except IntegrityError:
        return None


def job_run(*, job: Job, period: str, day: dt.date, worker: str = "") -> JobRun | None:
    """Run the job for the period unless another worker claimed it; the finished JobRun, or None."""
    run = job_claim(job=job, period=period, worker=worker)
    if run is None:
        return None
    try:
        with scoping.activated(system_context(job.actor), job.name):
            run.summary = job.run(day)[:500]
        run.status = JobRunStatus.SUCCEEDED
    except Exception as exc:  # a failed job is recorded and shown, and must not stop the worker
        logger.error("periodic job %s (%s) failed: %s", job.name, period, type(exc).__qualname__)
        run.status = JobRunStatus.FAILED
        run.error = safe_error(exc)
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "summary", "error", "finished_at"])
    return run


def run_due_jobs(*, now: dt.datetime | None = None, worker: str = "") -> list[JobRun]:
    """Run every job that is due now and not yet run for its period (by any worker)."""
    now = now or timezone.now()
    done = []
    for job in JOBS:
        period = period_of(job, now)
        if period is None or JobRun.objects.filter(job=job.name, period=period).exists():
            continue
        run = job_run(job=job, period=period, day=timezone.localtime(now).date(), worker=worker)
        if run is not None:
            done.append(run)
    return done


def _loop(stop: threading.Event, interval: float) -> None:
    while not stop.wait(interval):
        try:
            close_old_connections()
            run_due_jobs()
        except Exception:  # the scheduler must outlive a database hiccup
            logger.warning("periodic job scheduler failed", exc_info=True)


def start(interval: float = INTERVAL_SECONDS) -> threading.Event:
    """Start the scheduler thread (`vagval worker`); set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(target=_loop, args=(stop, interval), name="vagval-jobs", daemon=True).start()
    return stop
