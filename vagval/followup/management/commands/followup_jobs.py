"""Run followup's jobs by hand: follow-ups falling due (links sent), link reminders (day 3 and 7,
then to the coach) and register suggestions. The scheduler (`vagval worker`) calls the same
functions (followup.services); each acts as the system actor "uppföljning" and is idempotent, so
running this on a day the worker already ran changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from vagval.followup import services


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Ogiltigt datum: {value!r}. Ange ÅÅÅÅ-MM-DD.") from None


class Command(BaseCommand):
    help = "Gör uppföljningar som infaller till 'att göra', skicka länkar och påminnelser, hämta förslag från register."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--datum", type=_date, default=None, help="Dagens datum ÅÅÅÅ-MM-DD (standard: i dag)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["datum"] or timezone.localdate()
        due = services.follow_ups_fall_due(today=today)
        reminders = services.follow_up_reminders_send(today=today)
        register = services.register_suggestions_apply(today=today)
        self.stdout.write(
            f"{today}: {due.changed} att göra, {due.sent} länkar skickade, {due.to_coach + reminders.to_coach} "
            f"till coachen, {reminders.changed} påminnelser, {register.changed} förslag från register"
            + (f", {due.failed + reminders.failed} meddelanden misslyckades" if due.failed + reminders.failed else "")
        )
