"""The `vagval` command line: demo, serve, worker, createuser, api-token, matcha, manage.

Run `vagval --help` for the list. Every command uses vagval.settings (or the module named
by DJANGO_SETTINGS_MODULE) and the database from DATABASE_URL.
"""

from __future__ import annotations

import argparse
import getpass
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

# `vagval import ...` runs `manage register_import ...`, and so on.
MANAGEMENT_ALIASES = {"import": "register_import", "kaa-statistik": "kaa_statistik"}

PRODUCTION_REFUSAL = (
    "vagval demo vägrar att köra i produktionsläge (VAGVAL_MODE=production): demodata hör inte hemma där.\n"
    "vagval demo refuses to run in production mode (VAGVAL_MODE=production): demo data does not belong there."
)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vagval.settings")
    import django

    django.setup()


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ogiltig port: {value!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"porten måste vara 1–65535, inte {port}")
    return port


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ogiltigt antal sekunder: {value!r}") from None
    if not seconds > 0 or seconds == float("inf"):
        raise argparse.ArgumentTypeError(f"tidsgränsen måste vara ett positivt antal sekunder, inte {value}")
    return seconds


def _default_port() -> int:
    try:
        return _port(os.environ.get("PORT") or "8000")
    except argparse.ArgumentTypeError as exc:
        raise SystemExit(f"PORT: {exc}") from None


def _production_requested() -> bool:
    mode_file = os.environ.get("VAGVAL_MODE_FILE")
    if mode_file:
        return Path(mode_file).read_text(encoding="utf-8").strip() == "production"
    return os.environ.get("VAGVAL_MODE", "") == "production"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vagval", description="Vägval – kommandon för demo, drift och administration."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")

    demo = commands.add_parser("demo", help="skapa demodata och starta appen på 127.0.0.1 (inte i produktion)")
    demo.add_argument("--persons", type=int, default=1000, help="antal syntetiska personer (standard 1000)")
    demo.add_argument("--no-serve", action="store_true", help="bygg bara demodatabasen, starta inte servern")
    demo.add_argument("--reset", action="store_true", help="släng demodatabasen och bygg om den")
    demo.add_argument("--port", type=_port, default=None, help="port (standard: PORT eller 8000)")
    demo.add_argument("--seed", type=int, default=1, help="slumpfrö för personerna (standard 1)")

    serve = commands.add_parser("serve", help="kör appen med gunicorn (för drift)")
    serve.add_argument("--host", default="127.0.0.1", help="adress att lyssna på (standard 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=None, help="port (standard: PORT eller 8000)")
    serve.add_argument(
        "--workers",
        type=int,
        default=None,
        help="antal gunicorn-processer (standard: SERVE_WORKERS, annars 2 × kärnor + 1)",
    )

    commands.add_parser("worker", help="kör bakgrundsjobben (django-tasks db_worker)", add_help=False)

    createuser = commands.add_parser("createuser", help="skapa en användare")
    createuser.add_argument("username")
    createuser.add_argument("--role", required=True, help="coach, kaa, partner, project_leader, evaluator, admin")
    createuser.add_argument("--unit", default="", help='enhet som "Organisation/Enhet" (alla utom admin)')
    createuser.add_argument("--password-file", type=Path, help="läs lösenordet från en fil (annars frågas det efter)")
    createuser.add_argument("--first-name", default="")
    createuser.add_argument("--last-name", default="")
    createuser.add_argument("--email", default="")
    createuser.add_argument("--read-only", action="store_true", help="endast läsbehörighet")

    token = commands.add_parser(
        "api-token",
        help="skapa en API-nyckel åt en användare och skriv ut den; lista eller återkalla nycklar",
        description=(
            "`vagval api-token ANVÄNDARE` skapar en nyckel (bara den skrivs på standard ut; när den går ut "
            "skrivs på standard fel). `--list` visar användarens nycklar med id, `--revoke ID` återkallar en "
            "nyckel och `--revoke-all` alla användarens nycklar. Själva nyckeln tas aldrig emot som argument."
        ),
    )
    token.add_argument("username", nargs="?", help="användarnamnet (behövs utom med --revoke ID)")
    token.add_argument("--name", default="", help="vad nyckeln används till")
    token_action = token.add_mutually_exclusive_group()
    token_action.add_argument("--list", action="store_true", help="lista användarens nycklar")
    token_action.add_argument("--revoke", metavar="ID", help="återkalla nyckeln med detta id (se --list)")
    token_action.add_argument("--revoke-all", action="store_true", help="återkalla alla användarens nycklar")

    backup = commands.add_parser(
        "backup", help="säkerhetskopiera databasen och de uppladdade filerna till en fil: `vagval backup FIL`"
    )
    backup.add_argument("file", type=Path, help="filen som skapas (en tar-fil; skrivs aldrig över)")
    restore = commands.add_parser(
        "restore", help="återställ databasen och de uppladdade filerna från en säkerhetskopia: `vagval restore FIL`"
    )
    restore.add_argument("file", type=Path, help="säkerhetskopian (från `vagval backup`)")
    restore.add_argument(
        "--bekrafta", action="store_true", help="ersätt en databas som redan innehåller data (allt i den försvinner)"
    )

    commands.add_parser(
        "import",
        help="importera ett registeruttag: `vagval import befolkning|studier FIL --kommun KOD [--bekrafta-bortfall]`",
        add_help=False,
    )
    commands.add_parser(
        "kaa-statistik",
        help="KAA-statistik per halvår: `vagval kaa-statistik --kommun KOD --halvar 2026H1 --format csv|xlsx`",
        add_help=False,
    )
    matcha = commands.add_parser(
        "matcha",
        help="lös en matchningsinstans i en JSON-fil och skriv resultatet som JSON (ingen databas)",
        description=(
            "`vagval matcha FIL.json` läser en instans (personer, erbjudanden med kapacitet, tillåtna par med "
            "poäng) och skriver den optimala tilldelningen som JSON på standard ut; `-` läser standard in. "
            "Slutstatus 0 vid ett resultat, 2 om filen inte är en giltig instans (eller inte är JSON), "
            "1 vid andra fel (t.ex. filen kan inte läsas)."
        ),
    )
    matcha.add_argument("file", metavar="FIL", help="instansfilen (JSON), eller - för standard in")
    matcha.add_argument(
        "--time-limit",
        type=_seconds,
        default=None,
        metavar="SEKUNDER",
        help="längsta tid för sökningen med könsbalansregeln; stoppas den tidigt blir optimal false och bound anges",
    )

    commands.add_parser("manage", help="Djangos managementkommandon, t.ex. `vagval manage migrate`", add_help=False)
    return parser


# --- demo ---------------------------------------------------------------------------------


def _print_logins(out: TextIO, logins: list[tuple[str, str]], password: str) -> None:
    out.write("\nDemoinloggningar (demo logins):\n")
    width = max(len(name) for name, _ in logins)
    for name, description in logins:
        out.write(f"  {name.ljust(width)}  {description}\n")
    out.write(f"Lösenord: {password}\n")
    out.write(
        "admin ställer in tvåstegsverifiering (TOTP) med en autentiseringsapp vid första inloggningen "
        "(admin sets up two-factor authentication at first login).\n"
    )


def _cmd_demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if _production_requested():
        err.write(PRODUCTION_REFUSAL + "\n")
        return 2
    _setup_django()
    from django.conf import settings

    from vagval.common.errors import VagvalError
    from vagval.demo.build import demo_build
    from vagval.demo.world import demo_password

    if getattr(settings, "PRODUCTION", False):
        err.write(PRODUCTION_REFUSAL + "\n")
        return 2

    password = demo_password()
    if args.persons < 0:
        err.write("--persons kan inte vara negativt.\n")
        return 2

    def progress(done: int, total: int) -> None:
        if total >= 20000:
            err.write(f"  {done:,} av {total:,} personer\n".replace(",", " "))

    out.write("Förbereder demodatabasen …\n")
    out.flush()
    try:
        summary = demo_build(
            persons=args.persons, seed=args.seed, password=password, reset=args.reset, progress=progress
        )
    except VagvalError as exc:
        err.write(f"{exc.message}\n")
        for field, messages in exc.field_errors.items():
            err.write(f"  {field}: {' '.join(messages)}\n")
        return 2
    if summary.generated is not None:
        g = summary.generated
        out.write(
            f"Skapade {g.persons} personer med {g.enrolments} deltaganden ({g.rows} rader på {g.seconds:.1f} s).\n"
        )
        if summary.activity is not None:
            a = summary.activity
            out.write(
                f"Skapade ett års arbete: {a.consents} samtycken, {a.plans} planer, {a.referrals} remisser, "
                f"{a.notes} anteckningar och {a.responses} skattningar ({a.seconds:.1f} s).\n"
            )
        if summary.registers is not None:
            r = summary.registers
            out.write(
                f"KAA-ansvarig i Ludvika importerade {r.imports} registeruttag: {r.kaa} på KAA-listan, "
                f"{r.uvas} på UVAS-listan, {r.left} har lämnat listorna; {r.contacts} kontaktförsök, "
                f"{r.occupations} sysselsättningar och {r.measures} insatser ({r.seconds:.1f} s).\n"
            )
    else:
        out.write(f"Demodata finns redan ({summary.persons} personer) och behålls; --reset bygger om den.\n")
    _print_logins(out, summary.logins, password)
    out.flush()
    if args.no_serve:
        return 0
    return _serve_demo(port=args.port or _default_port(), out=out)


def _serve_demo(*, port: int, out: TextIO) -> int:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    worker = subprocess.Popen(  # our own interpreter and module, fixed arguments
        [sys.executable, "-m", "django", "db_worker"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]},
    )
    out.write(f"\nBakgrundsjobb körs (pid {worker.pid}). Appen: http://127.0.0.1:{port}/  (Ctrl-C avslutar)\n")
    out.flush()
    # A plain `kill` (SIGTERM) or a closed terminal must stop the worker too, not orphan it.
    previous = {sig: signal.signal(sig, _exit_on_signal) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
    except KeyboardInterrupt:
        pass
    except SystemExit as exc:  # runserver exits on Ctrl-C
        return int(exc.code or 0)
    finally:
        _stop(worker)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- serve, worker, manage -------------------------------------------------------------------


def gunicorn_arguments(host: str, port: int, workers: int | None = None) -> list[str]:
    """The gunicorn command line of `vagval serve`: threaded workers, so a slow client holds one
    thread, not the whole server. Sizes and timeouts come from the SERVE_* settings."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    if workers is not None and workers < 1:
        raise ImproperlyConfigured(f"--workers must be at least 1, got {workers}")
    count = workers or settings.SERVE_WORKERS or max(2, 2 * (os.cpu_count() or 1) + 1)
    return [
        "vagval.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(count),
        "--threads",
        str(settings.SERVE_THREADS),
        "--timeout",
        str(settings.SERVE_TIMEOUT),
        "--graceful-timeout",
        str(settings.SERVE_GRACEFUL_TIMEOUT),
        "--keep-alive",
        str(settings.SERVE_KEEP_ALIVE),
    ]


def _cmd_serve(args: argparse.Namespace, out: TextIO) -> int:
    _setup_django()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    port = args.port or _default_port()
    command = [sys.executable, "-m", "gunicorn", *gunicorn_arguments(args.host, port, args.workers)]
    out.write(f"Vägval lyssnar på http://{args.host}:{port}/\n")
    out.flush()
    # Replace this process, so signals from a service manager reach gunicorn directly.
    os.execv(sys.executable, command)  # noqa: S606 - fixed program: our own interpreter
    return 0  # pragma: no cover


def _cmd_worker(extra: list[str]) -> int:
    _setup_django()
    from django.core.management import call_command

    from vagval.health import heartbeat
    from vagval.worklist import jobs

    stop = heartbeat.start()
    # The periodic jobs (nightly lists, the daily e-mail, …) run from the worker itself: no cron.
    stop_jobs = jobs.start()
    try:
        call_command("db_worker", *extra)
    finally:
        stop.set()
        stop_jobs.set()
    return 0


def _cmd_manage(extra: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vagval.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["vagval manage", *extra])
    return 0


# --- matcha ------------------------------------------------------------------------------


def _cmd_matcha(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Solve one instance file. No Django set-up and no database: the solver is pure Python."""
    from vagval.matching.solver import InstanceError, SolverFailure, instance_from_json, solve

    try:
        if args.file == "-":
            stdin = sys.stdin
            raw: bytes | str = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
        else:
            raw = Path(args.file).read_bytes()
    except OSError as exc:
        err.write(f"Kan inte läsa {args.file}: {exc.strerror or exc}\n")
        return 1
    try:
        # Text that is not JSON is not an instance either: exit status 2, like any invalid file.
        instance = instance_from_json(raw)
    except InstanceError as exc:
        err.write(f"Ogiltig instans: {exc}\n")
        return 2
    try:
        result = solve(instance, time_limit=args.time_limit)
    except SolverFailure as exc:
        err.write(f"Lösaren misslyckades: {exc}\n")
        return 1
    out.write(result.to_json_text() + "\n")
    out.flush()
    return 0


# --- users and tokens ----------------------------------------------------------------------


def _read_password(args: argparse.Namespace, err: TextIO) -> str | None:
    if args.password_file is not None:
        try:
            return args.password_file.read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            err.write(f"Kan inte läsa lösenordsfilen: {exc.strerror}\n")
            return None
    first = getpass.getpass("Lösenord: ")
    second = getpass.getpass("Lösenord igen: ")
    if first != second:
        err.write("Lösenorden är inte lika.\n")
        return None
    return first


def _cmd_createuser(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _setup_django()
    from vagval.accounts.models import Role
    from vagval.accounts.services import UserData, user_create
    from vagval.accounts.system import command_line_context
    from vagval.common.errors import VagvalError
    from vagval.organisations.models import Unit

    if args.role not in Role.values or args.role == Role.SYSTEM:
        staff = [value for value in Role.values if value != Role.SYSTEM]
        err.write(f"Okänd roll {args.role!r}. Välj en av: {', '.join(staff)}.\n")
        return 1
    unit = None
    if args.unit:
        organisation_name, _slash, unit_name = args.unit.partition("/")
        unit = Unit.objects.filter(organisation__name=organisation_name.strip(), name=unit_name.strip()).first()
        if unit is None:
            err.write(f'Enheten {args.unit!r} finns inte (ange den som "Organisation/Enhet").\n')
            return 1
    password = _read_password(args, err)
    if password is None:
        return 1
    try:
        user = user_create(
            ctx=command_line_context(),
            data=UserData(
                username=args.username,
                first_name=args.first_name,
                last_name=args.last_name,
                email=args.email,
                unit=unit,
                role=args.role,
                read_only=args.read_only,
            ),
            password=password,
        )
    except VagvalError as exc:
        err.write(f"{exc.message}\n")
        for field, messages in exc.field_errors.items():
            err.write(f"  {field}: {' '.join(messages)}\n")
        return 1
    out.write(f"Skapade användaren {user.username} ({user.get_role_display()}).\n")
    return 0


def _operator() -> str:
    """The operating-system user running a command, for the access log ("" if unknown)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _cmd_api_token(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _setup_django()
    import uuid

    from django.utils import timezone

    from vagval.accounts import selectors
    from vagval.accounts.models import User
    from vagval.accounts.services import api_token_issue, api_token_revoke, api_token_revoke_all
    from vagval.accounts.system import SystemActor, system_context
    from vagval.common.errors import NotFound, VagvalError

    if args.username is None and not args.revoke:
        err.write("Ange ett användarnamn (give a user name).\n")
        return 2
    user = None
    if args.username is not None:
        user = User.objects.filter(username=args.username).first()
        if user is None:
            err.write(f"Användaren {args.username!r} finns inte (no such user).\n")
            return 1
    ctx = system_context(SystemActor.COMMAND_LINE, detail=_operator())

    if args.list:
        assert user is not None
        now = timezone.now()
        tokens = selectors.api_token_list(viewer=ctx.user, owner=user)
        if not tokens:
            out.write(f"{user.username} har inga API-nycklar.\n")
        for token in tokens:
            if token.revoked_at is not None:
                status = f"återkallad {timezone.localdate(token.revoked_at)} ({token.get_revoked_reason_display()})"
            elif token.expires_at <= now:
                status = "har gått ut"
            else:
                status = "gäller"
            used = timezone.localdate(token.last_used_at).isoformat() if token.last_used_at else "aldrig"
            out.write(
                f"{token.pk}  {token.name or '-'}  skapad {timezone.localdate(token.created_at)}  "
                f"går ut {timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}  senast använd {used}  {status}\n"
            )
        return 0

    if args.revoke:
        try:
            token_id = uuid.UUID(args.revoke)
        except ValueError:
            err.write("--revoke tar nyckelns id (ett UUID från --list), aldrig själva nyckeln.\n")
            return 2
        try:
            token = selectors.api_token_get(viewer=ctx.user, token_id=token_id, owner=user)
        except NotFound:
            err.write(f"Det finns ingen API-nyckel med id {token_id}{' för ' + user.username if user else ''}.\n")
            return 1
        if api_token_revoke(ctx=ctx, token=token):
            out.write(f"Återkallade API-nyckeln {token.pk} för {token.user.username}.\n")
        else:
            out.write(f"API-nyckeln {token.pk} var redan återkallad.\n")
        return 0

    assert user is not None
    if args.revoke_all:
        count = api_token_revoke_all(ctx=ctx, user=user)
        out.write(f"Återkallade {count} API-nycklar för {user.username}.\n")
        return 0

    if not user.is_active:
        err.write(f"Användaren {args.username!r} är inaktiverad (user is inactive).\n")
        return 1
    try:
        issued = api_token_issue(ctx=ctx, user=user, name=args.name)
    except VagvalError as exc:
        err.write(f"{exc.message}\n")
        return 1
    # Only the token goes to standard output, so that a script can capture it alone.
    out.write(issued.raw + "\n")
    err.write(
        f"API-nyckeln (id {issued.token.pk}) går ut {timezone.localtime(issued.token.expires_at):%Y-%m-%d %H:%M}. "
        "Den visas bara nu.\n"
    )
    return 0


# --- backup and restore -----------------------------------------------------------------------------


def _cmd_backup(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _setup_django()
    from vagval.accounts.system import command_line_context
    from vagval.audit.services import access_log_record
    from vagval.operations.backup import BackupError, backup

    try:
        made = backup(args.file)
    except BackupError as exc:
        err.write(f"{exc}\n")
        return 1
    access_log_record(ctx=command_line_context(), action="system.backup_made", detail={"rows": str(made.rows)})
    out.write(f"Säkerhetskopian {args.file} innehåller {made.rows} rader i {len(made.tables)} tabeller.\n")
    return 0


def _cmd_restore(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _setup_django()
    from vagval.accounts.system import command_line_context
    from vagval.audit.services import access_log_record
    from vagval.operations.backup import BackupError, differences, restore

    try:
        manifest, restored = restore(args.file, confirm=args.bekrafta)
    except BackupError as exc:
        err.write(f"{exc}\n")
        return 2 if "--bekrafta" in str(exc) else 1
    problems = differences(manifest, restored)
    if problems:
        err.write("Återställningen stämmer inte med säkerhetskopian:\n")
        err.writelines(f"  {problem}\n" for problem in problems)
        return 1
    # Logged after the check: the entry is not part of what the backup held.
    access_log_record(
        ctx=command_line_context(), action="system.restored", detail={"backup_made": manifest["created_at"]}
    )
    out.write(
        f"Återställde säkerhetskopian från {manifest['created_at']}: {restored.rows} rader i "
        f"{len(restored.tables)} tabeller och åtkomstloggens kontrollsumma stämmer med kopian.\n"
    )
    return 0


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    arguments = list(sys.argv[1:] if argv is None else argv)
    # `manage` and `worker` pass everything after them on unchanged (including --help), and so
    # do the commands that are Django management commands under a Swedish name.
    if arguments and arguments[0] in ("manage", "worker"):
        return _cmd_manage(arguments[1:]) if arguments[0] == "manage" else _cmd_worker(arguments[1:])
    if arguments and arguments[0] in MANAGEMENT_ALIASES:
        return _cmd_manage([MANAGEMENT_ALIASES[arguments[0]], *arguments[1:]])
    args = _parser().parse_args(arguments)
    if args.command == "matcha":
        return _cmd_matcha(args, out, err)
    from django.core.exceptions import ImproperlyConfigured

    try:
        if args.command == "demo":
            return _cmd_demo(args, out, err)
        if args.command == "serve":
            return _cmd_serve(args, out)
        if args.command == "createuser":
            return _cmd_createuser(args, out, err)
        if args.command == "api-token":
            return _cmd_api_token(args, out, err)
        if args.command == "backup":
            return _cmd_backup(args, out, err)
        if args.command == "restore":
            return _cmd_restore(args, out, err)
    except ImproperlyConfigured as exc:
        err.write(f"Felaktig konfiguration (configuration error): {exc}\n")
        return 2
    raise AssertionError(f"unhandled command {args.command}")  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
