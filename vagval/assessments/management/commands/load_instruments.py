"""Load the instrument definitions in vagval/assessments/instruments/ into the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vagval.assessments import services


class Command(BaseCommand):
    help = "Läs in instrumentfilerna (instruments/<kortnamn>/v<N>.json). Kan köras flera gånger."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--directory", type=Path, default=None, help="annan mapp med instrumentfiler")

    def handle(self, *args: Any, directory: Path | None = None, **options: Any) -> None:
        report = services.instruments_load_files(directory=directory)
        for label, names in (
            ("Nya", report.created),
            ("Uppdaterade", report.updated),
            ("Oförändrade", report.unchanged),
        ):
            if names:
                self.stdout.write(f"{label}: {', '.join(names)}")
        for line in report.refused + report.invalid:
            self.stderr.write(line)
        if not report.ok:
            raise CommandError("Några instrumentfiler lästes inte in (se ovan).")
