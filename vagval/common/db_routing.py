"""Reads for reports and exports may go to a read replica; nothing is ever written there.

With `REPLICA_DATABASE_URL` set, settings add the database alias "replica". Code that runs a
report or an export wraps its reads in `with reporting_reads():` (a view, a streaming file, a
command); inside it, ReplicaRouter sends reads to the replica. Writes (the access-log entries
an export writes, anything else) always go to the primary, and so do all reads outside such a
block, so a page never reads a replica that lags behind what the user just saved. Without a
replica everything goes to the primary, unchanged.

On SQLite the block also maps the database file into memory (settings.SQLITE_REPORT_MMAP_SIZE)
for the connection that reads it, and unmaps it after. A report passes over a project's
hundreds of thousands of rows several times, and the map saves a copy of each page (the
steering report at 300,000 persons: 9.4 s with it, 10.8 s without). The pages read a few rows
each, and for them a map costs more than it saves: with every connection mapped, 50 users at
the national size spent a third of the server's CPU in the kernel, faulting pages in and out
(docs/ARCHITECTURE.md, "Databases").
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PRIMARY = "default"

_reporting: ContextVar[bool] = ContextVar("vagval_reporting_reads", default=False)


@contextlib.contextmanager
def reporting_reads() -> Iterator[None]:
    outermost = not _reporting.get()
    if outermost:
        _sqlite_map(settings.SQLITE_REPORT_MMAP_SIZE)
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)
        if outermost:
            _sqlite_map(settings.SQLITE_PRAGMAS["mmap_size"])


def _sqlite_map(size: int | str) -> None:
    """Set the memory map of the primary SQLite connection, when it is open (a report's view
    has read its user and what it reports on by then; a connection opened later has the
    settings' map, and so has the next after one closed inside the block). Through the
    driver's own connection, so that it is not one of the queries a page is counted by."""
    primary = connections[PRIMARY]
    if primary.vendor == "sqlite" and primary.connection is not None:
        primary.connection.execute(f"PRAGMA mmap_size={int(size)}")


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
