"""`vagval serve`: threaded gunicorn workers, so one slow client cannot stall everyone else."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from vagval.cli import gunicorn_arguments


def _option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_gunicorn_runs_threaded_workers_sized_from_the_cores(settings, monkeypatch):
    settings.SERVE_WORKERS = 0
    monkeypatch.setattr("os.cpu_count", lambda: 4)

    argv = gunicorn_arguments("127.0.0.1", 8000)

    assert argv[0] == "vagval.wsgi:application"
    assert _option(argv, "--worker-class") == "gthread"
    assert _option(argv, "--workers") == "9"
    assert int(_option(argv, "--threads")) > 1
    assert _option(argv, "--timeout") == str(settings.SERVE_TIMEOUT)
    assert "--graceful-timeout" in argv
    assert "--keep-alive" in argv


def test_at_least_two_workers_on_one_core(settings, monkeypatch):
    settings.SERVE_WORKERS = 0
    monkeypatch.setattr("os.cpu_count", lambda: None)
    assert int(_option(gunicorn_arguments("127.0.0.1", 8000), "--workers")) >= 2


def test_settings_and_the_workers_option_change_the_sizes(settings):
    settings.SERVE_WORKERS = 5
    settings.SERVE_THREADS = 7
    settings.SERVE_TIMEOUT = 60
    argv = gunicorn_arguments("127.0.0.1", 8000)
    assert (_option(argv, "--workers"), _option(argv, "--threads"), _option(argv, "--timeout")) == ("5", "7", "60")
    assert _option(gunicorn_arguments("127.0.0.1", 8000, workers=3), "--workers") == "3"


def test_zero_workers_option_is_refused():
    with pytest.raises(ImproperlyConfigured):
        gunicorn_arguments("127.0.0.1", 8000, workers=-1)


@pytest.mark.parametrize(
    ("name", "value"), [("SERVE_THREADS", "0"), ("SERVE_TIMEOUT", "many"), ("SERVE_WORKERS", "-1")]
)
def test_bad_settings_fail_loudly(name, value):
    environment = {**os.environ, name: value}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='vagval.settings'; django.setup()",
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert name in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_listening(port: int, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


def test_a_slow_client_does_not_stall_the_server(tmp_path: Path):
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "SERVE_WORKERS": "1",  # one process: only its threads can keep the server answering
        "SERVE_THREADS": "4",
        "SERVE_TIMEOUT": "30",
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    vagval = [sys.executable, "-m", "vagval.cli"]
    subprocess.run([*vagval, "manage", "migrate", "-v", "0"], env=environment, check=True, timeout=120)  # noqa: S603
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and command
        [*vagval, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    slow = None
    try:
        _wait_until_listening(port, server)
        slow = socket.create_connection(("127.0.0.1", port), timeout=10)
        slow.sendall(b"GET /halsa/li")  # half a request line, then nothing more
        time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/halsa/live", timeout=10) as response:
            assert response.status == 200
            assert response.read() == b'{"status": "ok"}'
        assert slow.fileno() != -1
    finally:
        if slow is not None:
            slow.close()
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)
