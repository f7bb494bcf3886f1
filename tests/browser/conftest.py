"""Browser tests: Playwright (sync API) with Debian's Chromium against pytest-django's live_server.

Helpers for the tests in this folder:
  login(page, username, totp_device=None)  log in through the real login form (and the TOTP form)
  assert_accessible(page)                  axe-core, WCAG 2.0/2.1 level A and AA rules
  assert_fits_phone(page)                  no horizontal scrolling at 360 px
  assert_no_browser_errors(page)           no console errors (CSP violations, 404s) or script errors
  assert_page_ok(page)                     what every page must pass: one h1 and the three above
  visit_and_check(page, url)               go to url, which answers 200 without a redirect, and assert_page_ok

Seed data comes from the personas and factories in the root conftest.py. The live server needs
transactional_db; serialized rollback restores the rows that migrations load (municipalities)
after each test's flush.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from django.urls import Resolver404, resolve, reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from vagval.accounts.tests.factories import PASSWORD

CHROMIUM = os.environ.get("VAGVAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE_WIDTH = 360
DESKTOP = {"width": 1280, "height": 900}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Browsers ask for /favicon.ico on their own when a page names no icon.
IGNORED_MISSING = {"/favicon.ico"}

_axe = Axe()
# The URL name of every page axe has checked in this session (test_zz_every_page_checked.py).
AXE_CHECKED: set[str] = set()
# Console errors and uncaught script errors per open page, keyed by id(page).
_browser_errors: dict[int, list[str]] = {}


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def browser(django_db_setup: None) -> Iterator[Browser]:
    # (After django_db_setup, so the serialized migration data below already exists.)
    if not Path(CHROMIUM).exists():
        message = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API keeps an event loop running in this thread, and Django refuses
    # ORM calls from a thread with a running loop. The tests and fixtures are plain sync code,
    # so allow it for as long as the browser is open (and only then).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Django keeps connections in context-local storage, and the test code runs in another context
    # once Playwright is running: hand the serialized migration data on to those connections too,
    # so serialized rollback keeps restoring it after each test's flush.
    serialized = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    try:
        with sync_playwright() as playwright:
            for alias, contents in serialized.items():
                if contents is not None and not hasattr(connections[alias], "_test_serialized_contents"):
                    connections[alias]._test_serialized_contents = contents
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _restore_migration_data(django_db_serialized_rollback: None) -> None:
    """Reload rows created by data migrations (municipalities) that the live-server flush removed."""


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    _browser_errors[id(page)] = errors

    def on_console(message: ConsoleMessage) -> None:
        # Failed loads are reported with their address by on_response below.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(f"console error on {_path(page)}: {message.text}")

    def on_response(response: Response) -> None:
        request = response.request
        if response.status < 400 or (request.is_navigation_request() and request.frame == page.main_frame):
            return  # the tests check the status of the page itself
        path = re.sub(r"^https?://[^/]+", "", response.url)
        if path not in IGNORED_MISSING:
            errors.append(f"{request.method} {path} answered {response.status} (on {_path(page)})")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda exc: errors.append(f"script error on {page.url}: {exc}"))
    try:
        yield page
    finally:
        _browser_errors.pop(id(page), None)
        # Let in-flight requests (as-you-type htmx searches) finish before the live server and
        # the shared in-memory database are torn down; otherwise a server thread may close a
        # connection that already belongs to the next test.
        with contextlib.suppress(PlaywrightError):
            page.wait_for_load_state("networkidle", timeout=5_000)
        context.close()
        join_request_threads()


def join_request_threads(timeout: float = 10.0) -> None:
    """Wait for the live server's request threads to finish.

    The live server answers each connection in a daemon thread that nobody waits for. A thread
    still closing its (shared, in-memory SQLite) connection when the next test flushes the
    database, or when the session stops the server, fails with "DatabaseWrapper objects created
    in a thread can only be used in that same thread". Closing the browser context closes its
    connections, so the threads end promptly.
    """
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and "process_request_thread" in thread.name:
            thread.join(max(deadline - time.monotonic(), 0.0))


def _path(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


# --- logging in ------------------------------------------------------------------------------


def totp_token(device: TOTPDevice) -> str:
    """The current token of a TOTP device, as an authenticator app would show it."""
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    return f"{token:0{device.digits}d}"


def login(page: Page, username: str, *, password: str = PASSWORD, totp_device: TOTPDevice | None = None) -> None:
    """Log in through the real login form; with totp_device, also pass the TOTP form."""
    page.goto(reverse("accounts:login"))
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    if _path(page).startswith(reverse("accounts:login")):
        pytest.fail(f"logging in as {username} failed; the login page says: {page.locator('main').inner_text()}")
    if totp_device is not None:
        pass_two_factor(page, totp_device)


def pass_two_factor(page: Page, device: TOTPDevice) -> None:
    """Type the device's current token into the two-factor form and submit it."""
    two_factor = reverse("accounts:two_factor")
    if not _path(page).startswith(two_factor):
        page.goto(two_factor)
    main = page.locator("main")
    field = (
        main.get_by_label(re.compile("kod", re.IGNORECASE))
        .or_(main.locator("input[autocomplete='one-time-code']:visible"))
        .first
    )
    field.fill(totp_token(device))
    field.press("Enter")
    page.wait_for_load_state()
    if _path(page).startswith(two_factor):
        pytest.fail(f"two-factor verification failed; the page says: {main.inner_text()}")


# --- assertions ------------------------------------------------------------------------------


def _describe_violation(violation: dict) -> str:
    lines = [f"- {violation['id']} ({violation.get('impact') or 'unknown impact'}): {violation['help']}"]
    lines.append(f"  {violation.get('helpUrl', '')}")
    for node in violation["nodes"][:10]:
        target = " ".join(str(t) for t in node.get("target", []))
        summary = " ".join((node.get("failureSummary") or "").split())
        lines.append(f"    at {target}: {summary}")
        lines.append(f"       {' '.join(node.get('html', '').split())[:200]}")
    if len(violation["nodes"]) > 10:
        lines.append(f"    … and {len(violation['nodes']) - 10} more elements")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Run axe-core with the WCAG 2.0 and 2.1 level A and AA rules; fail listing every violation."""
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = _axe.run(page, options=options)
    violations = results.response["violations"]
    with contextlib.suppress(Resolver404):
        AXE_CHECKED.add(resolve(urlsplit(page.url).path).view_name)
    if violations:
        report = "\n".join(_describe_violation(v) for v in violations)
        pytest.fail(f"{len(violations)} accessibility violation(s) (WCAG 2.1 AA) on {_path(page)}:\n{report}")


_WIDE_ELEMENTS_JS = """
(width) => Array.from(document.querySelectorAll('body *'))
  .filter((el) => el.getBoundingClientRect().right > width + 1)
  .filter((el) => !Array.from(el.children).some((c) => c.getBoundingClientRect().right > width + 1))
  .slice(0, 10)
  .map((el) => {
    const r = el.getBoundingClientRect();
    const names = typeof el.className === 'string' ? el.className.trim().split(/\\s+/) : [];
    const cls = names.filter(Boolean).map((n) => '.' + n).join('');
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls} ends at ${Math.round(r.right)}px`;
  })
"""


def assert_fits_phone(page: Page, width: int = PHONE_WIDTH) -> None:
    """At a phone-wide viewport the page must not scroll sideways."""
    original = page.viewport_size or DESKTOP
    page.set_viewport_size({"width": width, "height": 740})
    try:
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            wide = page.evaluate(_WIDE_ELEMENTS_JS, width)
            listing = "\n".join(f"  {w}" for w in wide)
            pytest.fail(
                f"{_path(page)} scrolls sideways at {width}px: scrollWidth is {scroll_width}px. Too wide:\n{listing}"
            )
    finally:
        page.set_viewport_size(original)


def assert_no_browser_errors(page: Page) -> None:
    """No console errors (CSP violations, failed requests) and no uncaught script errors so far."""
    errors = _browser_errors.get(id(page), [])
    if errors:
        pytest.fail("the browser reported errors:\n" + "\n".join(f"  {e}" for e in errors))


def assert_page_ok(page: Page) -> None:
    """What every page must pass: exactly one h1, axe, no sideways scrolling at 360 px, no browser errors."""
    assert page.locator("h1").count() == 1, f"{_path(page)} should have exactly one h1"
    assert_accessible(page)
    assert_fits_phone(page)
    assert_no_browser_errors(page)


def visit_and_check(page: Page, url: str) -> None:
    """Go to url (a path, with its query if any): it answers 200, itself and not after a redirect; assert_page_ok."""
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, f"{url} answered {response.status} (ended at {page.url})"
    assert _path(page) == url, f"{url} sent the browser on to {page.url}"
    assert_page_ok(page)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The check that every page went through axe (test_zz_every_page_checked.py) runs after
    every other test, whatever order pytest-django sorted them into."""
    last = [item for item in items if item.nodeid.startswith("tests/browser/test_zz_every_page_checked.py")]
    items[:] = [item for item in items if item not in last] + last
