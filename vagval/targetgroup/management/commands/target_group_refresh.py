"""Nightly: compute the KAA and UVAS lists of a municipality's register units on a date.

Turning 20 (or 30) happens without any import, so the lists must be recomputed every night.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from vagval.common.errors import InvalidInput
from vagval.organisations.models import Municipality, Unit
from vagval.registers.models import PopulationEntry
from vagval.targetgroup.models import Episode
from vagval.targetgroup.services import target_group_refresh


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Ogiltigt datum: {value!r}. Ange ÅÅÅÅ-MM-DD.") from None


class Command(BaseCommand):
    help = "Beräkna KAA- och UVAS-listorna för en kommuns register på ett datum (öppnar och avslutar perioder)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kommun", required=True, help="Kommunkod, t.ex. 2085")
        parser.add_argument("--datum", type=_date, default=None, help="Referensdatum ÅÅÅÅ-MM-DD (standard: i dag)")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(code=options["kommun"]).first()
        if municipality is None:
            raise CommandError(f"Okänd kommunkod: {options['kommun']!r}.")
        day = options["datum"] or timezone.localdate()
        with_register = PopulationEntry.objects.filter(municipality=municipality).order_by().values("unit_id")
        with_episodes = Episode.objects.filter(municipality=municipality).order_by().values("unit_id")
        units = Unit.objects.select_related("organisation__municipality").filter(
            pk__in=with_register.union(with_episodes)
        )
        if not units:
            raise CommandError(f"{municipality} har inget register att beräkna.")
        for unit in units:
            try:
                summary = target_group_refresh(unit=unit, reference_date=day)
            except InvalidInput as exc:
                raise CommandError(exc.message) from None
            self.stdout.write(
                f"{unit} {day}: {summary.opened} nya perioder, {summary.closed} avslutade, "
                f"{summary.unchanged} oförändrade."
            )
