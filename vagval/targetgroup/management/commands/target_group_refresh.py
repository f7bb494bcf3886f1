"""Nightly: compute the KAA and UVAS lists of a municipality's register units on a date.

Turning 20 (or 30) happens without any import, so the lists must be recomputed every night.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from vagval.common.errors import InvalidInput, NotFound
from vagval.targetgroup import selectors
from vagval.targetgroup.services import target_group_refresh


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Ogiltigt datum: {value!r}. Ange ÅÅÅÅ-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Beräkna KAA- och UVAS-listorna för en kommuns register (eller alla kommuners, utan --kommun) "
        "på ett datum (öppnar och avslutar perioder). Kör varje natt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--kommun", default=None, help="Kommunkod, t.ex. 2085 (standard: alla kommuner med register)"
        )
        parser.add_argument("--datum", type=_date, default=None, help="Referensdatum ÅÅÅÅ-MM-DD (standard: i dag)")

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["datum"] or timezone.localdate()
        try:
            units = selectors.register_units(municipality_code=options["kommun"])
        except (InvalidInput, NotFound) as exc:
            raise CommandError(exc.message) from None
        for unit in units:
            try:
                summary = target_group_refresh(unit=unit, reference_date=day)
            except InvalidInput as exc:
                raise CommandError(exc.message) from None
            self.stdout.write(
                f"{unit} {day}: {summary.opened} nya perioder, {summary.closed} avslutade, "
                f"{summary.unchanged} oförändrade."
            )
