"""The `vagval` console script: createuser, api-token and manage."""

import io
import threading

import pytest

from vagval.accounts.models import Role, User
from vagval.accounts.services import api_token_user
from vagval.audit.models import AccessLogEntry
from vagval.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def password_file(tmp_path):
    path = tmp_path / "losenord.txt"
    path.write_text("ett-langt-losenord-42\n", encoding="utf-8")
    return path


def test_api_token_prints_a_token_that_authenticates_the_user(alice):
    code, out, _err = run("api-token", "alice", "--name", "integration")

    assert code == 0
    token = out.strip()
    assert token.startswith("vv_")
    assert api_token_user(raw=token) == alice
    assert alice.api_tokens.get().name == "integration"


def test_api_token_for_an_unknown_user_fails_with_a_message(db):
    code, out, err = run("api-token", "ingen-sadan")

    assert code == 1
    assert out == ""
    assert "finns inte" in err


def test_api_token_refuses_an_inactive_user(alice):
    alice.is_active = False
    alice.save()

    code, _out, err = run("api-token", "alice")

    assert code == 1
    assert "inaktiverad" in err
    assert not alice.api_tokens.exists()


def test_createuser_creates_a_user_with_role_and_unit(ludvika_unit, password_file):
    code, out, _err = run(
        "createuser",
        "maja",
        "--role",
        "kaa",
        "--unit",
        "Ludvika kommun/Arbetsmarknadsenheten",
        "--password-file",
        str(password_file),
        "--first-name",
        "Maja",
        "--last-name",
        "Provsson",
        "--email",
        "maja@example.com",
        "--read-only",
    )

    assert code == 0, out
    user = User.objects.get(username="maja")
    assert user.role == Role.KAA
    assert user.unit == ludvika_unit
    assert user.read_only
    assert user.get_full_name() == "Maja Provsson"
    assert user.check_password("ett-langt-losenord-42")


def test_createuser_accepts_a_unit_name_with_a_slash(password_file, db):
    from vagval.organisations.tests.factories import OrganisationFactory, UnitFactory

    unit = UnitFactory(organisation=OrganisationFactory(name="Ludvika kommun"), name="KAA/Gymnasieskolan")

    code, _out, _err = run(
        "createuser", "kim", "--role", "kaa", "--unit", "Ludvika kommun/KAA/Gymnasieskolan",
        "--password-file", str(password_file),
    )  # fmt: skip

    assert code == 0
    assert User.objects.get(username="kim").unit == unit


def test_createuser_creates_an_administrator_without_unit(db, password_file):
    code, _out, _err = run("createuser", "drift", "--role", "admin", "--password-file", str(password_file))

    assert code == 0
    admin = User.objects.get(username="drift")
    assert admin.role == Role.ADMIN
    assert admin.unit is None


def test_createuser_prompts_for_the_password_twice(ludvika_unit, monkeypatch):
    answers = iter(["ett-langt-losenord-42", "ett-langt-losenord-42"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    code, _out, _err = run("createuser", "nils", "--role", "coach", "--unit", "Ludvika kommun/Arbetsmarknadsenheten")

    assert code == 0
    assert User.objects.get(username="nils").check_password("ett-langt-losenord-42")


def test_createuser_refuses_different_passwords(ludvika_unit, monkeypatch):
    answers = iter(["ett-langt-losenord-42", "ett-annat-losenord-42"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    code, _out, err = run("createuser", "nils", "--role", "coach", "--unit", "Ludvika kommun/Arbetsmarknadsenheten")

    assert code == 1
    assert "inte lika" in err
    assert not User.objects.filter(username="nils").exists()


def test_createuser_reports_an_unknown_unit(db, password_file):
    code, _out, err = run(
        "createuser",
        "olle",
        "--role",
        "coach",
        "--unit",
        "Ingen kommun/Ingen enhet",
        "--password-file",
        str(password_file),
    )

    assert code == 1
    assert "finns inte" in err
    assert not User.objects.filter(username="olle").exists()


def test_createuser_reports_a_missing_unit_for_a_coach(db, password_file):
    code, _out, err = run("createuser", "olle", "--role", "coach", "--password-file", str(password_file))

    assert code == 1
    assert "unit" in err


def test_createuser_reports_a_weak_password(ludvika_unit, tmp_path):
    weak = tmp_path / "svagt.txt"
    weak.write_text("123", encoding="utf-8")

    code, _out, err = run(
        "createuser", "olle", "--role", "coach", "--unit", "Ludvika kommun/Arbetsmarknadsenheten",
        "--password-file", str(weak),
    )  # fmt: skip

    assert code == 1
    assert "password" in err
    assert not User.objects.filter(username="olle").exists()


def test_createuser_reports_an_unknown_role(db, password_file):
    code, _out, err = run("createuser", "olle", "--role", "chef", "--password-file", str(password_file))

    assert code == 1
    assert "Okänd roll" in err


def test_manage_check_runs_djangos_system_checks(capsys):
    assert main(["manage", "check"]) == 0

    assert "System check identified no issues" in capsys.readouterr().out


def test_manage_passes_help_on_to_django(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["manage", "check", "--help"])

    assert exit_info.value.code == 0
    assert "--deploy" in capsys.readouterr().out


def test_a_command_is_required(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([])

    assert exit_info.value.code == 2


def test_worker_runs_the_database_task_worker_in_process(monkeypatch):
    calls = []
    monkeypatch.setattr("django.core.management.call_command", lambda *args, **kwargs: calls.append(args))

    beats = []
    monkeypatch.setattr("vagval.health.heartbeat.start", lambda: beats.append(1) or threading.Event())

    assert main(["worker", "--batch"]) == 0

    assert calls == [("db_worker", "--batch")]
    assert beats == [1]  # the worker leaves a heartbeat for /halsa/redo


def test_serve_collects_static_files_and_execs_gunicorn_on_localhost(monkeypatch):
    calls, execs = [], []
    monkeypatch.setattr("django.core.management.call_command", lambda *args, **kwargs: calls.append(args))
    monkeypatch.setattr("os.execv", lambda program, argv: execs.append(argv))
    monkeypatch.setenv("PORT", "8123")

    assert run("serve")[0] == 0

    assert calls == [("collectstatic",)]
    argv = execs[0]
    assert argv[1:4] == ["-m", "gunicorn", "vagval.wsgi:application"]
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8123"


def test_serve_takes_host_port_and_workers(monkeypatch):
    execs = []
    monkeypatch.setattr("django.core.management.call_command", lambda *args, **kwargs: None)
    monkeypatch.setattr("os.execv", lambda program, argv: execs.append(argv))

    run("serve", "--host", "0.0.0.0", "--port", "9000", "--workers", "3")  # noqa: S104

    argv = execs[0]
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:9000"
    assert argv[argv.index("--workers") + 1] == "3"


class FakeWorker:
    pid = 4242

    def __init__(self, argv, env):
        self.argv = argv
        self.stopped = False

    def poll(self):
        return 0 if self.stopped else None

    def send_signal(self, signum):
        self.stopped = True

    def wait(self, timeout=None):
        return 0


def test_demo_serves_on_localhost_with_a_worker_that_is_stopped_afterwards(db, monkeypatch):
    workers, calls = [], []

    def popen(argv, env):
        workers.append(FakeWorker(argv, env))
        return workers[-1]

    def call_command(*args, **kwargs):
        calls.append((args, kwargs))
        if args[0] == "runserver":
            raise KeyboardInterrupt

    monkeypatch.setattr("subprocess.Popen", popen)
    monkeypatch.setattr("vagval.demo.build.call_command", lambda *args, **kwargs: None)  # migrate
    monkeypatch.setattr("django.core.management.call_command", call_command)

    code, out, _err = run("demo", "--persons", "0", "--port", "8765")

    assert code == 0
    assert workers[0].argv[-1] == "db_worker"
    assert workers[0].stopped
    runserver = next(c for c in calls if c[0][0] == "runserver")
    assert runserver == (("runserver", "127.0.0.1:8765"), {"use_reloader": False})
    assert "http://127.0.0.1:8765/" in out


def test_createuser_is_logged_as_the_command_line_with_the_operating_system_user(
    ludvika_unit, password_file, monkeypatch
):
    monkeypatch.setattr("getpass.getuser", lambda: "drift-anna")
    code, out, _err = run(
        "createuser",
        "maja",
        "--role",
        "coach",
        "--unit",
        "Ludvika kommun/Arbetsmarknadsenheten",
        "--password-file",
        str(password_file),
    )
    assert code == 0, out
    entry = AccessLogEntry.objects.get(action="user.created")
    assert (entry.username, entry.client_address, entry.detail["username"]) == (
        "system:kommandorad",
        "drift-anna",
        "maja",
    )
