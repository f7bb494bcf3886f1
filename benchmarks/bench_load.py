"""Figure: mixed load of staff users against `vagval serve`, vs the same server's minimal view.

    .venv/bin/python benchmarks/bench_load.py [--persons 2000000] [--log-rows 50000000]
        [--users 50,200] [--seconds 60] [--port 8766]

On the national data set of benchmarks/_national.py (built set-based once and reused; on
PostgreSQL when DATABASE_URL points at one, else on an SQLite file under var/bench/), this
script starts `vagval serve` itself (the production server: gunicorn, threads, DEBUG off) on
127.0.0.1 and sends it traffic from this process only, bounded in time, and stops it again.

Every simulated user is a member of staff with an account of their own (made by the
generator, password, no second factor): a coach (most at the big-city unit, whose lists are
the country's longest) or a partner who sees persons through consents. Each user signs in
through the login form first (not timed: password hashing is slow on purpose), then loops:
a page, a pause of 1–3 s as a person reading it would, the next page. The pages, by weight:
the caseload (mine, or all at the unit; the partner list for partners), a person page, a
name search (the as-you-type POST), the to-do list, the outreach worklist, a note written on
a person of one's own (POST with the CSRF token, answered by a redirect), and the follow-up
figures (a report page).

Phases, each for --seconds: every number in --users with pauses (p95 must stay under
200 ms at 50 users, with 0 errors), then the highest rate without pauses: as many users as
the server has threads, once on the mixed pages and once on the minimal view (`/halsa/live`,
through the same middleware with the same session), so the ratio is the figure. `--no-rate`
runs only the phases with pauses (the SQLite figure is the 50 users alone: `--users 50 --no-rate`).

Why no locust: its gevent workers would be a second server framework to install and keep;
a thread per user with http.client (one keep-alive connection each) is the few lines below,
and its own overhead is the same for the pages and the minimal view it is compared to.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field

import _common
import _national

HOST = "127.0.0.1"  # the load goes to this machine only
PAUSE = (1.0, 3.0)
TARGET_P95_MS = 200.0
SEARCH_PREFIXES = ("an", "jo", "ma", "er", "li", "sv", "ka", "ni", "ol", "be", "ha", "pe")
# page name -> weight, per role
COACH_MIX = {
    "caseload": 5,
    "caseload_all": 1,
    "person": 5,
    "search": 4,
    "todo": 3,
    "worklist": 1,
    "note": 2,
    "report": 1,
}
PARTNER_MIX = {"partner_list": 5, "person": 4, "search": 3, "todo": 2}


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    messages: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, page: str, seconds: float, ok: bool, message: str = "") -> None:
        with self.lock:
            self.times[page].append(seconds)
            if not ok:
                self.errors[page] += 1
                if len(self.messages) < 10:
                    self.messages.append(f"{page}: {message}")

    def all_times(self) -> list[float]:
        return [t for values in self.times.values() for t in values]


class Browser:
    """One user: a keep-alive connection, the session and CSRF cookies."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        headers = {"Host": f"{HOST}:{self.port}", "Connection": "keep-alive"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        for attempt in (1, 2):  # the server may close an idle keep-alive connection
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self._reconnect()
                if attempt == 2:
                    raise
            except BaseException:
                self._reconnect()  # a timed-out connection cannot send the next request
                raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _eq, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", text

    def _reconnect(self) -> None:
        self.conn.close()
        self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)

    def login(self, username: str) -> None:
        status, _location, _text = self.request("GET", "/konto/logga-in/")
        status, location, text = self.request(
            "POST", "/konto/logga-in/", {"username": username, "password": _national.PASSWORD}
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login of {username} failed: {status} {location} {text[:300]}")


@dataclass(frozen=True)
class User:
    username: str
    partner: bool
    persons: list[str]  # person ids this user may open (own unit's, or consented)


def _users(national: _national.National, count: int, seed: int) -> list[User]:
    """`count` users, one partner in ten, each with persons of their own to open."""
    from vagval.accounts.models import User as Account
    from vagval.common import scoping
    from vagval.consent.models import ConsentRecipient
    from vagval.people.models import Enrolment

    rng = random.Random(seed)
    partners = national.partners
    coaches = national.coaches
    users: list[User] = []
    with scoping.unscoped("benchmark set-up: persons each load user may open"):
        consented = [
            str(p)
            for p in ConsentRecipient.objects.filter(unit__name="Partnerenheten")
            .exclude(consent__person__protection="sekretessmarkering")
            .values_list("consent__person_id", flat=True)[:2000]
        ]
        by_coach: dict[str, list[str]] = {}
        accounts = dict(Account.objects.filter(username__in=coaches).values_list("pk", "username"))
        for coach_id, person_id in Enrolment.objects.filter(coach_id__in=list(accounts)).values_list(
            "coach_id", "person_id"
        ):
            by_coach.setdefault(accounts[coach_id], []).append(str(person_id))
    coach_cycle = [c for c in coaches if by_coach.get(c)]
    for n in range(count):
        if n % 10 == 9 and partners:
            users.append(User(partners[(n // 10) % len(partners)], True, consented))
        else:
            name = coach_cycle[n % len(coach_cycle)]
            users.append(User(name, False, by_coach[name]))
    rng.shuffle(users)
    return users


def _visit(browser: Browser, user: User, page: str, rng: random.Random) -> tuple[bool, str]:
    """One page as the user would open it; (ok, what went wrong)."""
    person = rng.choice(user.persons) if user.persons else None
    if page in ("caseload",):
        status, _l, text = browser.request("GET", "/personer/")
    elif page in ("caseload_all", "partner_list"):
        status, _l, text = browser.request("GET", "/personer/?visa=alla")
    elif page == "person":
        status, _l, text = browser.request("GET", f"/personer/{person}/")
    elif page == "search":
        status, _l, text = browser.request("POST", "/personer/sok/resultat/", {"q": rng.choice(SEARCH_PREFIXES)})
    elif page == "todo":
        status, _l, text = browser.request("GET", "/att-gora/")
    elif page == "worklist":
        status, _l, text = browser.request("GET", "/uppsokande/")
    elif page == "report":
        status, _l, text = browser.request("GET", "/uppfoljning/siffror/")
    elif page == "note":
        form = {"text": "Samtal om praktik (lasttest).", "context": "allmant", "visibility": "egen_enhet"}
        status, _location, text = browser.request("POST", f"/anteckningar/person/{person}/", form)
        return status == 302, f"{status} {text[:200]}"
    elif page == "minimal":
        status, _l, text = browser.request("GET", "/halsa/live")
    else:
        raise AssertionError(page)
    return status == 200, f"{status} {text[:200]}"


def _pick(mix: dict[str, int], rng: random.Random) -> str:
    return rng.choices(list(mix), weights=list(mix.values()))[0]


def _run(
    browsers: list[tuple[Browser, User]], *, seconds: float, pause: bool, only: str | None, seed: int
) -> tuple[Stats, float]:
    """Every browser loops over pages for `seconds`; returns the stats and the wall time."""
    stats = Stats()
    deadline = time.perf_counter() + seconds
    start_gate = threading.Barrier(len(browsers) + 1)

    def loop(n: int, browser: Browser, user: User) -> None:
        rng = random.Random(seed * 1000 + n)
        start_gate.wait()
        if pause:  # spread the first pages over the first pause, as people arrive
            time.sleep(rng.uniform(0, PAUSE[1]))
        while time.perf_counter() < deadline:
            page = only or _pick(PARTNER_MIX if user.partner else COACH_MIX, rng)
            started = time.perf_counter()
            try:
                ok, message = _visit(browser, user, page, rng)
            except (OSError, http.client.HTTPException) as exc:
                ok, message = False, repr(exc)
            stats.add(page, time.perf_counter() - started, ok, message)
            if pause:
                time.sleep(min(rng.uniform(*PAUSE), max(deadline - time.perf_counter(), 0)))

    threads = [threading.Thread(target=loop, args=(n, b, u), daemon=True) for n, (b, u) in enumerate(browsers)]
    for thread in threads:
        thread.start()
    start_gate.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join(seconds + 120)
    return stats, time.perf_counter() - began


def _login_all(port: int, users: list[User]) -> list[tuple[Browser, User]]:
    browsers = [(Browser(port), user) for user in users]
    errors: list[BaseException] = []

    def login(browser: Browser, user: User) -> None:
        try:
            browser.login(user.username)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=login, args=pair) for pair in browsers]
    for n, thread in enumerate(threads):
        thread.start()
        if n % 8 == 7:
            thread.join()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{len(errors)} logins failed, the first: {errors[0]}")
    return browsers


def _report(label: str, stats: Stats, wall: float) -> tuple[float, int, float]:
    times = stats.all_times()
    errors = sum(stats.errors.values())
    if not times:
        print(f"  {label}: no requests")
        return 0.0, errors, 0.0
    median, p95 = _common.summary_ms(times)
    rate = len(times) / wall
    print(
        f"  {label}: {len(times):,} requests, {errors} errors, {rate:,.1f} req/s"
        f" | median {median:.1f} ms | p95 {p95:.1f} ms"
    )
    for page in sorted(stats.times):
        page_median, page_p95 = _common.summary_ms(stats.times[page])
        print(
            f"      {page:13s} {len(stats.times[page]):6,d} | median {page_median:7.1f} ms | p95 {page_p95:7.1f} ms"
            f" | errors {stats.errors.get(page, 0)}"
        )
    for message in stats.messages[:5]:
        print(f"      error: {message}")
    return p95, errors, rate


def _serve(port: int, workers: int | None) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DEBUG": "false",
        "VAGVAL_ENFORCE_SCOPE": "false",
        "PYTHONPATH": str(_common.PROJECT_DIR),
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": f"{HOST},localhost",
    }
    command = [sys.executable, "-m", "vagval.cli", "serve", "--host", HOST, "--port", str(port)]
    if workers:
        command += ["--workers", str(workers)]
    log = open(_common.BENCH_DIR / "bench_load_server.log", "wb")  # noqa: SIM115 - closed with the process
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)  # noqa: S603 - our own interpreter and module
    deadline = time.time() + 120
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"vagval serve exited with {server.returncode}; see {log.name}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/halsa/live")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.5)
    _stop(server)
    raise SystemExit("vagval serve did not answer within 120 s")


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # gunicorn and its workers: the group we started
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _threads_of_server(workers: int | None) -> int:
    from django.conf import settings

    count = workers or settings.SERVE_WORKERS or max(2, 2 * (os.cpu_count() or 1) + 1)
    return count * settings.SERVE_THREADS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=2_000_000)
    parser.add_argument("--log-rows", type=int, default=50_000_000)
    parser.add_argument("--users", default="50,200", help="concurrent users per phase, comma-separated")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn processes (default: vagval serve's)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--no-rate", action="store_true", help="only the phases with pauses, not the highest rate without them"
    )
    args = parser.parse_args()
    counts = [int(n) for n in args.users.split(",") if n.strip()]

    national = _national.build_national(persons=args.persons, log_rows=args.log_rows)
    threads = _threads_of_server(args.workers)
    users = _users(national, max(*counts, threads), args.seed)
    from django.db import connections

    connections.close_all()  # this process only reads the set-up; the server does the rest
    server = _serve(args.port, args.workers)
    try:
        print(
            f"bench_load: {national.persons:,} persons, {national.log_rows:,} access-log entries, {national.where};"
            f" vagval serve on {HOST}:{args.port} ({threads} threads), {args.seconds:.0f} s per phase;"
            f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        results = {}
        started = time.perf_counter()
        signed_in = _login_all(args.port, users[: max(*counts, threads)])  # once: hashing is slow on purpose
        print(f"  {len(signed_in)} users signed in through the login form in {time.perf_counter() - started:.0f} s")
        for count in counts:
            stats, wall = _run(signed_in[:count], seconds=args.seconds, pause=True, only=None, seed=args.seed)
            results[count] = _report(f"{count} users, 1–3 s pauses", stats, wall)
        page_errors = minimal_errors = 0
        if not args.no_rate:
            browsers = signed_in[:threads]
            stats, wall = _run(browsers, seconds=args.seconds, pause=False, only=None, seed=args.seed)
            _p95, page_errors, page_rate = _report(f"{threads} users, no pauses, mixed pages", stats, wall)
            stats, wall = _run(browsers, seconds=args.seconds, pause=False, only="minimal", seed=args.seed)
            _p95, minimal_errors, minimal_rate = _report(f"{threads} users, no pauses, minimal view", stats, wall)
    finally:
        _stop(server)
    errors = sum(e for _p, e, _r in results.values()) + page_errors + minimal_errors
    if not args.no_rate:
        ratio = page_rate / max(minimal_rate, 1e-9)
        print(f"  highest rate, mixed pages / minimal view: {page_rate:,.1f} / {minimal_rate:,.1f} req/s = {ratio:.3f}")
    first = counts[0]
    verdict = "OK" if results[first][1] == 0 and results[first][0] < TARGET_P95_MS and errors == 0 else "MISS"
    print(
        f"  p95 at {first} users: {results[first][0]:.1f} ms (target < {TARGET_P95_MS:.0f} ms),"
        f" errors in all phases: {errors} {verdict}; load average at the end {os.getloadavg()[0]:.1f}"
    )
    for count in counts[1:]:
        print(f"  p95 at {count} users: {results[count][0]:.1f} ms")


if __name__ == "__main__":
    main()
