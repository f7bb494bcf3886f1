"""Reads for reports and exports may go to a read replica; nothing is ever written there.

With `REPLICA_DATABASE_URL` set, settings add the database alias "replica". Code that runs a
report or an export wraps its reads in `with reporting_reads():` (a view, a streaming file, a
command); inside it, ReplicaRouter sends reads to the replica. Writes (the access-log entries
an export writes, anything else) always go to the primary, and so do all reads outside such a
block, so a page never reads a replica that lags behind what the user just saved. Without a
replica everything goes to the primary, unchanged.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.conf import settings

REPLICA = "replica"
PRIMARY = "default"

_reporting: ContextVar[bool] = ContextVar("vagval_reporting_reads", default=False)


@contextlib.contextmanager
def reporting_reads() -> Iterator[None]:
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def reporting_iterator(items: Iterator[Any]) -> Iterator[Any]:
    """A streaming answer's rows read inside reporting_reads (a generator runs after the view)."""
    with reporting_reads():
        yield from items


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        use_replica = getattr(settings, "REPLICA_READS", False) and REPLICA in settings.DATABASES
        return REPLICA if use_replica and _reporting.get() else PRIMARY

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, copied

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY  # the replica gets the primary's schema by replication
