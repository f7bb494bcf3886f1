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
        for unit in self._units(options["kommun"]):
            try:
                summary = target_group_refresh(unit=unit, reference_date=day)
            except InvalidInput as exc:
                raise CommandError(exc.message) from None
            self.stdout.write(
                f"{unit} {day}: {summary.opened} nya perioder, {summary.closed} avslutade, "
                f"{summary.unchanged} oförändrade."
            )

    def _units(self, code: str | None) -> list[Unit]:
        """The units holding a register: of one municipality, or of all."""
        registers = PopulationEntry.objects.order_by()
        episodes = Episode.objects.order_by()
        if code is not None:
            municipality = Municipality.objects.filter(code=code).first()
            if municipality is None:
                raise CommandError(f"Okänd kommunkod: {code!r}.")
            registers = registers.filter(municipality=municipality)
            episodes = episodes.filter(municipality=municipality)
        units = list(
            Unit.objects.select_related("organisation__municipality")
            .filter(pk__in=registers.values("unit_id").union(episodes.values("unit_id")))
            .order_by("organisation__name", "name")
        )
        if not units:
            raise CommandError(
                "Det finns inget register att beräkna."
                if code is None
                else f"Kommunen {code} har inget register att beräkna."
            )
        return units
