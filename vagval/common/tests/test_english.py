"""The interface is written in Swedish and is available in English through locale/en."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from vagval.accounts.tests.factories import PASSWORD

LOGIN_URL = reverse("accounts:login")
CASELOAD_URL = reverse("people:caseload")
LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
# The project's catalogue, and one per app that keeps its own (vagval/<app>/locale/en/...).
PO_FILES = [PO_FILE, *sorted(Path(settings.LOCALE_PATHS[0]).parent.glob("*/locale/en/LC_MESSAGES/django.po"))]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@pytest.fixture(autouse=True)
def _swedish_again_afterwards():
    """A request in English leaves English active in the thread: later tests expect Swedish."""
    yield
    translation.deactivate()


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    body = text.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), body)


def _po_entries(path: Path) -> list[dict]:
    """The entries of a .po file: msgid, msgid_plural, msgstr (list), flags. Small and strict."""
    entries: list[dict] = []
    entry: dict | None = None
    key: tuple[str, int] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if entry is not None and entry["msgid"] is not None:
                entries.append(entry)
                entry = None
            if entry is None:
                entry = {"msgid": None, "msgid_plural": None, "msgstr": {}, "flags": set()}
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line)
        if match:
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if keyword == "msgid" and entry is not None and entry["msgid"] is not None:
                entries.append(entry)
                entry = None
            if entry is None:
                entry = {"msgid": None, "msgid_plural": None, "msgstr": {}, "flags": set()}
            if keyword.startswith("msgstr"):
                key = ("msgstr", int(index or 0))
                entry["msgstr"][key[1]] = value
            else:
                key = (keyword, 0)
                entry[keyword] = value
            continue
        assert line.startswith('"'), f"Unexpected line in {path}: {line}"
        assert entry is not None
        assert key is not None
        if key[0] == "msgstr":
            entry["msgstr"][key[1]] += _unquote(line)
        else:
            entry[key[0]] += _unquote(line)
    if entry is not None and entry["msgid"] is not None:
        entries.append(entry)
    return entries


@pytest.fixture(scope="module", params=PO_FILES, ids=lambda path: path.parts[-5] if path != PO_FILE else "vagval")
def po_file(request) -> Path:
    return request.param


@pytest.fixture(scope="module")
def entries(po_file) -> list[dict]:
    return [entry for entry in _po_entries(po_file) if entry["msgid"]]


def test_the_login_page_is_in_swedish_by_default(db):
    html = Client().get(LOGIN_URL).content.decode()
    assert '<html lang="sv">' in html
    assert '<label for="id_username">Användarnamn' in html
    assert '<button type="submit">Logga in</button>' in html


def test_the_login_page_is_in_english_when_the_browser_asks_for_english(db):
    html = Client().get(LOGIN_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert '<label for="id_username">Username' in html
    assert '<label for="id_password">Password' in html
    assert '<button type="submit">Log in</button>' in html
    assert "<h1>Log in</h1>" in html
    assert "Användarnamn" not in html


def test_choosing_english_in_the_language_switcher_sticks_for_later_pages(db):
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": LOGIN_URL})
    assert response.status_code == 302
    html = client.get(LOGIN_URL).content.decode()
    assert '<label for="id_username">Username' in html
    assert "Change language" in html


def test_a_failed_login_explains_itself_in_english(db):
    html = (
        Client()
        .post(LOGIN_URL, {"username": "nobody", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "Wrong username or password." in html


def test_alices_caseload_has_an_english_heading_and_menu(alice_client, alices_person):
    html = alice_client.get(CASELOAD_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>My participants</h1>" in html
    assert "Find a person" in html
    assert "Log out" in html
    assert "Mina deltagare" not in html


def test_alices_caseload_is_in_swedish_by_default(alice_client, alices_person):
    html = alice_client.get(CASELOAD_URL).content.decode()
    assert "<h1>Mina deltagare</h1>" in html


def test_alice_can_log_in_with_the_english_interface(alice):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(LOGIN_URL, {"username": "alice", "password": PASSWORD})
    assert response["Location"] == CASELOAD_URL
    assert "<h1>My participants</h1>" in client.get(CASELOAD_URL).content.decode()


def test_the_catalogue_header_is_for_english_with_two_plural_forms(po_file):
    header = _po_entries(po_file)[0]
    assert header["msgid"] == ""
    assert "fuzzy" not in header["flags"]
    text = header["msgstr"][0]
    assert "Language: en\n" in text
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in text
    assert "charset=UTF-8" in text


def test_every_swedish_string_has_an_english_translation(entries):
    """After `make messages`, translate every new string in the app's or the project's
    locale/en/LC_MESSAGES/django.po."""
    assert entries
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values()) or not e["msgstr"]]
    assert untranslated == []
    missing_plural = [e["msgid"] for e in entries if e["msgid_plural"] is not None and sorted(e["msgstr"]) != [0, 1]]
    assert missing_plural == []
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert fuzzy == []


def test_translations_keep_the_placeholders(entries):
    wrong = []
    for e in entries:
        if e["msgid_plural"] is None:
            if sorted(PLACEHOLDER.findall(e["msgstr"][0])) != sorted(PLACEHOLDER.findall(e["msgid"])):
                wrong.append(e["msgid"])
        else:
            allowed = set(PLACEHOLDER.findall(e["msgid_plural"]))
            if (
                set(PLACEHOLDER.findall(e["msgstr"][1])) != allowed
                or not set(PLACEHOLDER.findall(e["msgstr"][0])) <= allowed
            ):
                wrong.append(e["msgid"])
    assert wrong == []


def test_the_project_catalogue_holds_the_shared_strings():
    assert len(_po_entries(PO_FILE)) > 100


def test_the_compiled_catalogue_matches_the_po_file(po_file, entries):
    """The .mo is committed; run `make messages` (it compiles) after editing the .po."""
    with po_file.with_suffix(".mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = []
    for e in entries:
        if e["msgid_plural"] is None:
            if catalog.gettext(e["msgid"]) != e["msgstr"][0]:
                stale.append(e["msgid"])
        elif catalog.ngettext(e["msgid"], e["msgid_plural"], 2) != e["msgstr"][1]:
            stale.append(e["msgid"])
    assert stale == []


def _gettext_tools_present() -> bool:
    """makemessages runs GNU gettext's xgettext; CI installs gettext (.ci/run)."""
    return all(shutil.which(tool) for tool in ("xgettext", "msgmerge", "msguniq"))


def test_every_string_marked_in_the_code_is_in_an_english_catalogue(tmp_path):
    """The catalogues above are only complete if `make messages` has been run: extract the
    strings again from a copy of the code (as `make messages` does) and every entry the copy's
    catalogues then hold must already be translated. Fails on a new _("…") never extracted."""
    if not _gettext_tools_present():
        message = "GNU gettext saknas (apt-get install gettext): katalogens fullständighet kan inte provas"
        if os.environ.get("CI") in {"true", "1"}:
            pytest.fail(message + " — CI=true, så testet får inte hoppas över")
        pytest.skip(message)
    source = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    shutil.copytree(
        source, copy / source.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "tests", "static")
    )
    shutil.copy(source.parent / "manage.py", copy / "manage.py")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vagval.settings", "PYTHONPATH": str(copy)}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale=en", "--add-location=file", "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    never_translated = {}
    for po in sorted(copy.glob("**/locale/en/LC_MESSAGES/django.po")):
        entries = [e for e in _po_entries(po) if e["msgid"]]
        missing = [e["msgid"] for e in entries if not all(e["msgstr"].values()) or "fuzzy" in e["flags"]]
        if missing:
            never_translated[str(po.relative_to(copy))] = missing
    assert never_translated == {}, "run `make messages` and translate the new strings"
