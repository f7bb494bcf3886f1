"""Persona × page for the register apps of issue 3: every named page of registers, targetgroup,
outreach and kaa, for every persona, each cell asserted (see register_world for the world).

The expected status codes come from the apps' own rules (their selectors' docstrings and tests):
- registers: the KAA-ansvarig of the unit that made an import; 403 for other roles on the list
  and the upload page, 404 for an import of another unit (before the role is looked at);
  read-only users see the list, the status and a waiting import's confirmation page but neither
  upload, download rejected rows, confirm, cancel nor undo (cancel answers POST only: 405);
- targetgroup: KAA-ansvariga and coaches, each for their own unit's list (there is no unit in
  the URL); the setting for a KAA-ansvarig's own municipality or, for an administrator, any;
  the handover for a writer at the unit that holds the episode;
- outreach: KAA-ansvariga and coaches for their unit's own persons (404 for anyone who may not
  know the person, 403 for read-only users on the write pages); a protected person's letter
  only for the responsible coach (403 for everyone else);
- kaa: register, extract and statistics for KAA-ansvariga only (403 for other roles, 404 for
  a person of another unit); measures for KAA-ansvariga and coaches of the person's unit.
Anonymous users are sent to the login page everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from tests.permissions.register_world import RegisterCase, RegisterWorld
from vagval import urls

NAMESPACES = ("registers", "targetgroup", "outreach", "kaa")


@pytest.fixture(scope="module")
def world(module_world_db) -> RegisterWorld:
    return RegisterWorld()


@pytest.fixture
def w(world, db) -> RegisterWorld:
    return world


@dataclass(frozen=True)
class Page:
    url_name: str
    args: Callable[[RegisterWorld], list[object]] = lambda w: []
    query: dict[str, str] | None = None


def _protected(w: RegisterWorld) -> RegisterCase:
    return w.cases["sekretessmarkering"]


PAGES: dict[str, Page] = {
    # registers (karin's import)
    "import_list": Page("registers:list"),
    "import_upload": Page("registers:upload"),
    "import_detail": Page("registers:detail", lambda w: [w.import_.pk]),
    "import_progress": Page("registers:progress", lambda w: [w.import_.pk]),
    "import_rejected": Page("registers:rejected", lambda w: [w.import_.pk]),
    "import_confirm": Page("registers:confirm", lambda w: [w.waiting_import.pk]),
    "import_cancel": Page("registers:cancel", lambda w: [w.waiting_import.pk]),  # POST only
    "import_undo": Page("registers:undo", lambda w: [w.latest_import.pk]),
    # targetgroup
    "target_group": Page("targetgroup:list"),
    "target_group_uvas": Page("targetgroup:list", query={"lista": "uvas"}),
    "settings": Page("targetgroup:settings"),
    "handover": Page("targetgroup:handover", lambda w: [w.handover.episode.pk]),
    # outreach (the protected person; the letter also for the unprotected one)
    "worklist": Page("outreach:worklist"),
    "followup": Page("outreach:followup"),
    "contact_create": Page("outreach:contact_create", lambda w: [_protected(w).person.pk]),
    "occupation_create": Page("outreach:occupation_create", lambda w: [_protected(w).person.pk]),
    "letter": Page("outreach:letter", lambda w: [_protected(w).person.pk]),
    "letter_unprotected": Page("outreach:letter", lambda w: [w.open.person.pk]),
    # kaa
    "kaa_register": Page("kaa:register"),
    "kaa_extract": Page("kaa:extract", lambda w: [_protected(w).person.pk]),
    "measure_create": Page("kaa:measure_create", lambda w: [_protected(w).person.pk]),
    "measure_edit": Page("kaa:measure_edit", lambda w: [_protected(w).measure.pk]),
    "statistics": Page("kaa:statistics"),
}

PERSONAS = {
    "karin": "KAA-ansvarig at the unit that holds the register",
    "rut": "read-only KAA-ansvarig at the same unit",
    "kim": "coach at the KAA unit, responsible coach of its persons",
    "alice": "coach at Ludvika's arbetsmarknadsenhet (same municipality, another unit)",
    "bob": "read-only coach at Ludvika's arbetsmarknadsenhet",
    "charlie": "coach in Smedjebacken",
    "sven": "KAA-ansvarig in Smedjebacken",
    "frida": "partner handläggare at Arbetsförmedlingen",
    "dana": "administrator",
    "erik": "evaluator",
    "anonymous": "not logged in",
}

LOGIN = 302
# One row per page: the expected status per persona (columns in the order of PERSONAS).
#                      karin rut  kim  alice bob charlie sven frida dana erik anonymous
_TABLE = """
import_list            200   200  403  403   403 403     200  403   403  403  302
import_upload          200   403  403  403   403 403     200  403   403  403  302
import_detail          200   200  403  404   404 404     404  404   404  404  302
import_progress        200   200  403  404   404 404     404  404   404  404  302
import_rejected        200   403  403  404   404 404     404  404   404  404  302
import_confirm         200   200  403  404   404 404     404  404   404  404  302
import_cancel          405   405  405  405   405 405     405  405   405  405  302
import_undo            200   403  403  404   404 404     404  404   404  404  302
target_group           200   200  200  200   200 200     200  403   403  403  302
target_group_uvas      200   200  200  200   200 200     200  403   403  403  302
settings               200   200  403  403   403 403     200  403   200  403  302
handover               200   403  200  404   404 404     404  403   403  403  302
worklist               200   200  200  200   200 200     200  403   403  403  302
followup               200   200  200  200   200 200     200  403   403  403  302
contact_create         200   403  200  404   404 404     404  404   404  404  302
occupation_create      200   403  200  404   404 404     404  404   404  404  302
letter                 403   403  200  404   404 404     404  404   404  404  302
letter_unprotected     200   403  200  404   404 404     404  404   404  404  302
kaa_register           200   200  403  403   403 403     200  403   403  403  302
kaa_extract            200   200  403  403   403 403     404  403   403  403  302
measure_create         200   403  200  404   404 404     404  404   404  404  302
measure_edit           200   403  200  404   404 404     404  404   404  404  302
statistics             200   200  403  403   403 403     200  403   403  403  302
"""


def _expected_table() -> dict[tuple[str, str], int]:
    table = {}
    for line in _TABLE.strip().splitlines():
        page, *codes = line.split()
        assert len(codes) == len(PERSONAS), page
        for persona, code in zip(PERSONAS, codes, strict=True):
            table[(page, persona)] = int(code)
    return table


EXPECTED = _expected_table()


def get(w: RegisterWorld, persona: str, page: str):
    spec = PAGES[page]
    return w.web[persona].get(reverse(spec.url_name, args=spec.args(w)), spec.query or {})


def body_of(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8-sig", errors="replace")


def test_every_named_page_of_the_four_apps_is_in_the_matrix():
    names = set()
    for pattern in urls.urlpatterns:
        if getattr(pattern, "namespace", None) in NAMESPACES:
            names |= {f"{pattern.namespace}:{p.name}" for p in pattern.url_patterns}
    assert len({n.split(":")[0] for n in names}) == len(NAMESPACES)
    assert names == {page.url_name for page in PAGES.values()}


def test_the_table_has_a_row_for_every_page():
    assert {page for page, _persona in EXPECTED} == set(PAGES)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES)
def test_status(w, page, persona):
    response = get(w, persona, page)
    assert response.status_code == EXPECTED[(page, persona)]
    if response.status_code == LOGIN:
        assert response["Location"].startswith(reverse("accounts:login"))


# Links and form targets in the page: an identity number must never be part of an address.
_LINKS = re.compile(r"""(?:href|action|hx-get|hx-post|src)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_DIGIT_RUNS = re.compile(r"(?<!\d)\d{6,8}[-+]?\d{4}(?!\d)")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES)
def test_no_identity_number_in_any_link(w, page, persona):
    response = get(w, persona, page)
    assert response.status_code != 500
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    links = _LINKS.findall(body_of(response))
    numbers = {n for case in w.ludvika_cases for n in case.numbers}
    numbers |= {n[2:] for n in numbers}  # the ten-digit forms
    for link in links:
        for run in _DIGIT_RUNS.findall(link):
            assert run not in numbers, link
            assert run.replace("-", "").replace("+", "") not in {n.replace("-", "") for n in numbers}, link
    # Also the location the page redirects to.
    location = response.get("Location", "")
    assert not any(number in location for number in numbers)
