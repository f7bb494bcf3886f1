"""The worker's heartbeat: one row per worker process, touched while it runs (no personal data)."""

from django.db import models


class WorkerHeartbeat(models.Model):
    # host:pid of the worker process.
    name = models.CharField(max_length=200, unique=True)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
