"""`vagval worker` leaves a heartbeat so /halsa/redo can tell that a worker is running."""

import logging
import os
import socket
import threading

from django.db import close_old_connections
from django.utils import timezone

from vagval.health.models import WorkerHeartbeat

INTERVAL_SECONDS = 30
logger = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def beat(name: str | None = None) -> None:
    """Record that this worker is alive now (one row per worker, updated in place)."""
    WorkerHeartbeat.objects.update_or_create(name=name or worker_name(), defaults={"last_seen": timezone.now()})


def _loop(stop: threading.Event, name: str, interval: float) -> None:
    while not stop.wait(interval):
        try:
            close_old_connections()
            beat(name)
        except Exception:  # a missed beat must never stop the worker
            logger.warning("worker heartbeat failed", exc_info=True)


def start(interval: float = INTERVAL_SECONDS) -> threading.Event:
    """Beat once now, then every `interval` seconds in a daemon thread; set the event to stop."""
    name = worker_name()
    beat(name)
    stop = threading.Event()
    threading.Thread(target=_loop, args=(stop, name, interval), name="vagval-heartbeat", daemon=True).start()
    return stop
