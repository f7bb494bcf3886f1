"""Nightly: compute the KAA and UVAS lists of a municipality's register units on a date.

Turning 20 (or 30) happens without any import, so the lists must be recomputed every night.
The run acts as the system actor "nattlig-korning" (accounts.system), which the access log names
for every episode it opens or closes. A person the rules cannot decide is skipped and counted;
a unit whose refresh fails does not stop the others, but the command then ends with an error.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from vagval.accounts.system import SystemActor, runs_as, system_context
from vagval.common.errors import InvalidInput, NotFound
from vagval.targetgroup import selectors
from vagval.targetgroup.services import target_group_refresh

logger = logging.getLogger(__name__)


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

    @runs_as(SystemActor.NIGHTLY, "target_group_refresh")
    def handle(self, *args: Any, **options: Any) -> None:
        day = options["datum"] or timezone.localdate()
        try:
            units = selectors.register_units(municipality_code=options["kommun"])
        except (InvalidInput, NotFound) as exc:
            raise CommandError(exc.message) from None
        ctx = system_context(SystemActor.NIGHTLY)
        failed = []
        for unit in units:
            try:
                summary = target_group_refresh(unit=unit, reference_date=day, ctx=ctx)
            except InvalidInput as exc:
                self.stderr.write(f"{unit} {day}: {exc.message}")
                failed.append(unit)
                continue
            except Exception:
                logger.exception("target group refresh of unit %s on %s failed", unit.pk, day)
                self.stderr.write(f"{unit} {day}: beräkningen misslyckades av ett tekniskt fel (se loggen).")
                failed.append(unit)
                continue
            line = (
                f"{unit} {day}: {summary.opened} nya perioder, {summary.closed} avslutade, "
                f"{summary.unchanged} oförändrade."
            )
            if summary.skipped:
                who = "1 person" if summary.skipped == 1 else f"{summary.skipped} personer"
                line += (
                    f" {who} hoppades över: deras uppgifter i registret går inte att bedöma "
                    "(till exempel ett omöjligt födelsedatum). Personernas id finns i loggen."
                )
            self.stdout.write(line)
        if failed:
            raise CommandError(f"Listorna kunde inte beräknas för {len(failed)} av {len(units)} enheter.")
