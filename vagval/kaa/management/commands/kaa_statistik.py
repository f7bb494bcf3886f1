"""`vagval kaa-statistik --kommun 2085 --halvar 2026H1 --format csv|xlsx [--utfil PATH] [--anvandare NAMN]`.

Without --anvandare the command acts as the system actor "kommandorad" (accounts.system) for the
units holding the municipality's KAA register (usually its one KAA unit): the file covers every
person with a KAA episode there in the half-year, and the access log names the actor
("system:kommandorad", basis own unit) with the operating-system user who ran the command in the
client-address field. With --anvandare (a KAA-ansvarig of that municipality) it covers that
user's unit through the access check and is logged as theirs. Every person in the file gets one
"kaa.statistics_exported" entry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vagval.accounts.system import SystemActor, command_line_context, runs_as
from vagval.common.db_routing import reporting_reads
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.kaa.services import statistics_export_from_command_line
from vagval.kaa.statistics import FORMATS


class Command(BaseCommand):
    help = "Halvårsstatistik för KAA till SCB: en rad per ung person i KAA under halvåret."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kommun", required=True, help="Kommunkod, till exempel 2085.")
        parser.add_argument("--halvar", required=True, help="Halvår, till exempel 2026H1.")
        parser.add_argument("--format", choices=FORMATS, default="csv", dest="file_format")
        parser.add_argument("--utfil", default="", help="Filnamn (standard: kaa-statistik-KOMMUN-HALVÅR.FORMAT).")
        parser.add_argument("--anvandare", default="", help="KAA-ansvarig vars enhet filen gäller.")

    @runs_as(SystemActor.COMMAND_LINE, "kaa_statistics")
    def handle(self, *args: Any, **options: Any) -> None:
        code = options["kommun"].strip()
        try:
            with reporting_reads():  # a read replica, when there is one (common/db_routing.py)
                exported = statistics_export_from_command_line(
                    ctx=command_line_context(),
                    municipality_code=code,
                    half_year=options["halvar"],
                    file_format=options["file_format"],
                    username=options["anvandare"].strip(),
                )
        except NotFound:
            message = f"Okänd kommunkod: {code!r}. Ange kommunens fyrsiffriga kod, till exempel 2085."
            raise CommandError(message) from None
        except (InvalidInput, PermissionDenied) as exc:  # a bad half-year, a user who may not, a broken code file
            raise CommandError(exc.message) from None
        path = Path(options["utfil"] or exported.filename)
        try:
            path.write_bytes(exported.content)
        except OSError as exc:
            raise CommandError(f"Kunde inte skriva filen {path}: {exc.strerror}.") from None
        self.stdout.write(f"{len(exported.person_ids)} personer skrivna till {path}.")
        for name, count in sorted(exported.unknown.items()):
            self.stdout.write(f"Okända koder i kodlistan {name}: {count} (redovisade som okand).")
