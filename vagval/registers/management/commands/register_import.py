"""`vagval import befolkning|studier FIL --kommun KOD`: import a register extract from the command line.

The import is made as a KAA-ansvarig of the municipality (the same rules and access log as an
upload in the web), with a progress line on stderr and a closing summary. Rejected rows are
written next to the input as <name>.fel.csv / .xlsx. Exit status 1 when nothing was accepted.

An import that would take many persons out of the register (see vagval.registers.services)
writes nothing and exits with status 3 unless --bekrafta-bortfall is given; the waiting import
is cancelled, so nothing is left for the web to confirm.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vagval.accounts.models import User
from vagval.accounts.system import SystemActor, runs_as
from vagval.audit.services import AccessContext
from vagval.common.errors import VagvalError
from vagval.registers.models import ImportKind, ImportStatus, RegisterImport
from vagval.registers.selectors import register_importers
from vagval.registers.services import register_import_cancel, register_import_create, register_import_run


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Ogiltigt referensdatum {value!r}: skriv ÅÅÅÅ-MM-DD.", returncode=2) from None


class Command(BaseCommand):
    help = "Importera ett befolknings- eller studieuttag (CSV eller XLSX) till kommunens register."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ImportKind.values, help="befolkning eller studier")
        parser.add_argument("file", type=Path, help="filen att importera (CSV eller XLSX)")
        parser.add_argument("--kommun", required=True, help="kommunkod, t.ex. 2085 (den egna kommunen)")
        parser.add_argument("--anvandare", help="KAA-ansvarig som importen görs som (standard: kommunens enda)")
        parser.add_argument("--referensdatum", help="ÅÅÅÅ-MM-DD (standard: i dag)")
        parser.add_argument(
            "--bekrafta-bortfall",
            action="store_true",
            dest="confirm_leaving",
            help="importera även om många personer lämnar registret (annars stoppas en sådan import)",
        )

    @runs_as(SystemActor.COMMAND_LINE, "register_import")
    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Filen {path} finns inte.", returncode=2)
        code = str(options["kommun"]).strip().zfill(4)
        user = self._user(code, options.get("anvandare"))
        reference_date = _date(options["referensdatum"]) if options.get("referensdatum") else None
        with path.open("rb") as handle:
            try:
                imp = register_import_create(
                    ctx=AccessContext(user=user, client_address="cli"),
                    kind=options["kind"],
                    file=File(handle, name=path.name),
                    original_name=path.name,
                    reference_date=reference_date,
                    confirm_leaving=options["confirm_leaving"],
                )
            except VagvalError as exc:
                raise CommandError(exc.message, returncode=2) from exc
        imp = register_import_run(import_id=imp.pk, progress=self._progress)
        self.stderr.write("")
        if imp.status == ImportStatus.AWAITING_CONFIRMATION:
            register_import_cancel(ctx=AccessContext(user=user, client_address="cli"), import_id=imp.pk)
            raise CommandError(self._leaving_message(imp), returncode=3)
        rejected = self._copy_rejected(imp, path)
        self._summary(imp, rejected)
        if imp.status != ImportStatus.DONE:
            raise CommandError(imp.error or "Importen misslyckades.", returncode=1)

    def _user(self, code: str, username: str | None) -> User:
        kaa = register_importers(municipality_code=code)
        if username:
            user = kaa.filter(username=username).first()
            if user is not None:
                return user
            if not User.objects.filter(username=username).exists():
                raise CommandError(f"Användaren {username} finns inte.", returncode=2)
            raise CommandError(
                f"{username} är inte KAA-ansvarig i kommun {code} och kan inte importera dit.", returncode=2
            )
        found = list(kaa[:2])
        if len(found) != 1:
            what = "ingen aktiv KAA-ansvarig" if not found else "flera KAA-ansvariga"
            raise CommandError(f"Kommun {code} har {what}: ange vem importen görs som med --anvandare.", returncode=2)
        return found[0]

    @staticmethod
    def _leaving_message(imp: RegisterImport) -> str:
        lines = [
            "Importen stoppades: ingenting har ändrats i registret.",
            f"{imp.persons_left} av {imp.persons_present_before} personer i registret skulle lämna det.",
        ]
        if imp.previous_rows:
            lines.append(f"Filen har {imp.rows_accepted} godkända rader; förra uttaget hade {imp.previous_rows}.")
        lines.append(
            "Kontrollera att filen är hela uttaget. Om den är det, kör kommandot igen med --bekrafta-bortfall."
        )
        return "\n".join(lines)

    def _progress(self, imp: RegisterImport) -> None:
        self.stderr.write(
            f"\rLästa rader: {imp.rows_read}  godkända: {imp.rows_accepted}  avvisade: {imp.rows_rejected}",
            ending="",
        )
        self.stderr.flush()

    def _copy_rejected(self, imp: RegisterImport, path: Path) -> Path | None:
        if not imp.rejected_file:
            return None
        suffix = Path(imp.rejected_file.name or "").suffix
        target = path.with_name(f"{path.stem}.fel{suffix}")
        with imp.rejected_file.open("rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out)
        return target

    def _summary(self, imp: RegisterImport, rejected: Path | None) -> None:
        lines = [
            f"Lästa rader: {imp.rows_read}",
            f"Godkända: {imp.rows_accepted}",
            f"Avvisade: {imp.rows_rejected}",
            f"Nya: {imp.persons_new}",
            f"Ändrade: {imp.persons_changed}",
            f"Lämnat registret: {imp.persons_left}",
        ]
        if rejected is not None:
            lines.append(f"Avvisade rader med orsak (kolumnen fel): {rejected}")
        if imp.status == ImportStatus.DONE:
            lines.insert(0, f"Importen är klar ({imp.municipality_id}, referensdatum {imp.reference_date}).")
        self.stdout.write("\n".join(lines))
