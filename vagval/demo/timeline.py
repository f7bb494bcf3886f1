"""Time in the demo: date arithmetic, and service calls run at moments in the past.

The demo generators (vagval.demo.activity, vagval.demo.registers) date their work by running
each service call with django.utils.timezone.now patched (unittest.mock) to the moment it
"happened", so records, deadlines and access-log entries carry believable dates.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest import mock

from django.utils import timezone

from vagval.common.errors import VagvalError
from vagval.common.workdays import is_working_day

logger = logging.getLogger(__name__)


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (earlier when negative); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def working_day_on_or_before(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def working_day_on_or_after(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


class Clock:
    """Stands in for django.utils.timezone.now while an event runs."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@contextmanager
def clock_at(when: dt.datetime) -> Iterator[None]:
    """Run the block with timezone.now fixed at `when`."""
    with mock.patch("django.utils.timezone.now", new=Clock(when.astimezone(dt.UTC))):
        yield


@dataclass(order=True)
class _Event:
    when: dt.datetime
    seq: int
    action: Callable[[], object] = field(compare=False)


class Timeline:
    """Events scheduled at moments in the past, run in time order with the clock set to each.

    Events of one chain (a consent, then a referral under it, then its answer) are scheduled at
    increasing moments, so running in time order keeps every chain in order. Moments later
    than now (today after the current time) are moved to just before now, keeping their order.
    """

    def __init__(self, *, now: dt.datetime) -> None:
        self.real_now = now
        today_start = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time(0, 0)))
        self.latest = max(today_start, now - dt.timedelta(minutes=1))
        self.events: list[_Event] = []
        self.refused = 0

    def at(self, day: dt.date, action: Callable[[], object], *, hour: int = 9, minute: int = 0) -> None:
        when = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
        self.events.append(_Event(min(when, self.latest), len(self.events), action))

    def run(self) -> None:
        clock = Clock(self.real_now)
        with mock.patch("django.utils.timezone.now", new=clock):
            for event in sorted(self.events):
                clock.now = event.when.astimezone(dt.UTC)
                try:
                    event.action()
                except VagvalError as exc:
                    # A refusal means the generator asked for something the rules forbid: count it
                    # (the tests require none) instead of losing the rest of the demo.
                    self.refused += 1
                    logger.warning("Demoaktivitet nekades: %s", exc.message)
