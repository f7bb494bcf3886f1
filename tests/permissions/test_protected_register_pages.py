"""Protected identity on the register pages of issue 3: imports, target group, outreach and KAA.

The world (register_world): two protected persons in Ludvika's KAA register, one with
sekretessmarkering and one with skyddad folkbokföring, each with an address, phone and e-mail,
a school (studies entry), a workplace (occupation) and an activity site (measure); kim is their
responsible coach (open enrolment as coach at the KAA unit). A third protected person waits
for the handover at 20. The control is an unprotected person with the same kinds of data.

The rules (issue 4, "Protected identity, everywhere", and ARCHITECTURE.md):
- the address, phone and e-mail of a protected person are visible only to the responsible
  coach; none of these pages is a contact page, so they appear on none of them, for anyone;
- location-revealing fields (school, workplace, activity site) likewise only for the
  responsible coach;
- a letter is refused without the responsible coach's confirmation and never carries the address;
- the KAA statistics file includes protected persons, without address;
- another municipality (charlie, sven) never sees any Ludvika person;
- a page that lists or shows persons writes access-log entries naming them.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from tests.permissions.conftest import PROTECTIONS
from tests.permissions.register_world import RegisterCase, RegisterWorld
from tests.permissions.test_register_pages_matrix import PAGES, PERSONAS, body_of, get
from vagval.audit.models import AccessLogEntry
from vagval.outreach import services as outreach_services
from vagval.outreach.models import Channel, ContactAttempt


@pytest.fixture(scope="module")
def world(module_world_db) -> RegisterWorld:
    return RegisterWorld()


@pytest.fixture
def w(world, db) -> RegisterWorld:
    return world


def _half_year(w: RegisterWorld) -> str:
    return f"{w.today.year}H{1 if w.today.month <= 6 else 2}"


# Downloads and posts, in addition to every page of the matrix.
def _statistics(fmt: str):
    return lambda w, persona: w.web[persona].post(
        reverse("kaa:statistics"), {"half_year": _half_year(w), "file_format": fmt}
    )


def _letter_post(case_of, data):
    return lambda w, persona: w.web[persona].post(reverse("outreach:letter", args=[case_of(w).person.pk]), data)


def _worklist_by_school(case_of):
    return lambda w, persona: w.web[persona].get(reverse("outreach:worklist"), {"school": case_of(w).location[0]})


def _sek(w: RegisterWorld) -> RegisterCase:
    return w.cases["sekretessmarkering"]


def _skydd(w: RegisterWorld) -> RegisterCase:
    return w.cases["skyddad_folkbokforing"]


REQUESTS = {
    **{name: (lambda page: lambda w, persona: get(w, persona, page))(name) for name in PAGES},
    "statistics_csv": _statistics("csv"),
    "statistics_xlsx_sheet": _statistics("xlsx"),
    "letter_sek_unconfirmed": _letter_post(_sek, {}),
    "letter_skydd_confirmed": _letter_post(_skydd, {"confirm_protected": "on"}),
    "worklist_by_school_sek": _worklist_by_school(_sek),
    "kaa_register_with_left": lambda w, persona: w.web[persona].get(
        reverse("kaa:register"), {"left_from": w.opened_on.isoformat()}
    ),
    "extract_skydd": lambda w, persona: w.web[persona].get(reverse("kaa:extract", args=[_skydd(w).person.pk])),
    # The person page carries the outreach and measure sections of these apps.
    "person_page_sek": lambda w, persona: w.web[persona].get(reverse("people:detail", args=[_sek(w).person.pk])),
    "person_page_skydd": lambda w, persona: w.web[persona].get(reverse("people:detail", args=[_skydd(w).person.pk])),
}


def text_of(response) -> str:
    """The answer as text; an XLSX file as the text of its cells."""
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.content), read_only=True)
        rows = (row for sheet in book for row in sheet.iter_rows(values_only=True))
        return "\n".join(";".join("" if v is None else str(v) for v in row) for row in rows)
    if response.get("Content-Type", "") == "application/pdf":
        return ""  # checked through the HTML it was made from (test_the_letter_* below)
    return body_of(response)


@pytest.mark.parametrize("request_name", REQUESTS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_address_phone_or_email_of_a_protected_person_on_any_page(w, persona, request_name):
    response = REQUESTS[request_name](w, persona)
    assert response.status_code != 500
    body = text_of(response)
    if persona == "kim" and request_name.startswith("person_page"):
        return  # the responsible coach's own person page is where the contact details are kept
    for case in [*w.cases.values(), w.handover]:
        assert [detail for detail in case.contact if detail in body] == [], case.person.last_name


def test_the_control_karin_does_see_an_unprotected_persons_contact_details_in_the_register(w):
    body = body_of(get(w, "karin", "kaa_register"))
    assert [detail for detail in w.open.contact if detail in body] == list(w.open.contact)
    # And the protected persons are in the register, contact details hidden.
    for case in w.cases.values():
        assert case.person.last_name in body
        assert case.numbers[1] in body
    assert body.count("Dolda (skyddade personuppgifter)") == len(w.cases)


# --- Location-revealing fields: school, workplace, activity site -------------------------------

LOCATION_PAGES = [
    name
    for name in REQUESTS
    # The measure's edit form is the unit's own record being changed: it shows what was written.
    # Filtering by a school shows the viewer's own choice back: see the test below instead.
    if name not in {"measure_edit", "worklist_by_school_sek"}
]


@pytest.mark.parametrize("request_name", LOCATION_PAGES)
@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "kim"])
def test_no_school_workplace_or_site_of_a_protected_person_for_anyone_but_the_responsible_coach(
    w, persona, request_name
):
    response = REQUESTS[request_name](w, persona)
    body = text_of(response)
    for case in [*w.cases.values(), w.handover]:
        assert [place for place in case.location if place in body] == [], case.person.last_name


@pytest.mark.parametrize("persona", ["karin", "rut"])
@pytest.mark.parametrize("protection", PROTECTIONS)
def test_the_worklist_does_not_offer_a_protected_persons_school(w, persona, protection):
    body = body_of(get(w, persona, "worklist"))
    assert w.cases[protection].location[0] not in body


def test_the_worklist_does_offer_schools_for_the_control_and_for_the_responsible_coach(w):
    assert w.open.location[0] in body_of(get(w, "karin", "worklist"))
    body = body_of(get(w, "kim", "worklist"))
    assert all(case.location[0] in body for case in w.cases.values())


@pytest.mark.parametrize("persona", ["karin", "rut"])
@pytest.mark.parametrize("protection", PROTECTIONS)
def test_the_register_extract_does_not_show_a_protected_persons_workplace(w, persona, protection):
    case = w.cases[protection]
    response = w.web[persona].get(reverse("kaa:extract", args=[case.person.pk]))
    assert response.status_code == 200
    assert case.location[1] not in body_of(response)


def test_the_register_extract_shows_the_workplace_of_an_unprotected_person(w):
    """The control for the test above."""
    assert w.open.location[1] in body_of(w.web["karin"].get(reverse("kaa:extract", args=[w.open.person.pk])))


# --- Letters ------------------------------------------------------------------------------------


@pytest.fixture
def spy(monkeypatch):
    """Keeps the HTML each letter PDF was made from, and still makes the real PDF."""
    made: list[str] = []
    real = outreach_services.render_pdf

    def render(*, html):
        made.append(html)
        return real(html=html)

    monkeypatch.setattr(outreach_services, "render_pdf", render)
    return made


def _letters(case: RegisterCase) -> int:
    return ContactAttempt.objects.filter(person=case.person, channel=Channel.LETTER).count()


@pytest.mark.parametrize("persona", ["karin", "rut", "alice", "charlie", "sven"])
@pytest.mark.parametrize("protection", PROTECTIONS)
def test_a_letter_to_a_protected_person_is_refused_to_anyone_but_the_responsible_coach(w, spy, persona, protection):
    case = w.cases[protection]
    response = w.web[persona].post(reverse("outreach:letter", args=[case.person.pk]), {"confirm_protected": "on"})
    # The KAA unit's own staff may know the person but not print (403); anyone else may not know them (404).
    assert response.status_code == (403 if persona in {"karin", "rut"} else 404)
    assert response.get("Content-Type", "").startswith("text/html")
    assert spy == []
    assert _letters(case) == 0


@pytest.mark.parametrize("protection", PROTECTIONS)
def test_the_responsible_coach_gets_no_letter_without_confirming(w, spy, protection):
    case = w.cases[protection]
    response = w.web["kim"].post(reverse("outreach:letter", args=[case.person.pk]), {})
    assert response.status_code == 400
    assert "confirm_protected" in body_of(response)
    assert spy == []
    assert _letters(case) == 0


@pytest.mark.parametrize("protection", PROTECTIONS)
def test_the_confirmed_letter_never_carries_the_address_or_the_number(w, spy, protection):
    case = w.cases[protection]
    response = w.web["kim"].post(reverse("outreach:letter", args=[case.person.pk]), {"confirm_protected": "on"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    [html] = spy
    assert case.person.first_name in html
    assert [detail for detail in case.contact if detail in html] == []
    assert [place for place in case.location if place in html] == []
    assert not any(number in html for number in case.numbers)
    assert not any(number in response["Content-Disposition"] for number in case.numbers)
    assert _letters(case) == 1
    entry = AccessLogEntry.objects.get(action="outreach.letter_printed", person_id=case.person.pk)
    assert entry.detail["protected"] is True


def test_the_letter_to_an_unprotected_person_does_carry_the_address(w, spy):
    """The control for the test above."""
    response = w.web["karin"].post(reverse("outreach:letter", args=[w.open.person.pk]), {})
    assert response.status_code == 200
    assert w.open.contact[0] in spy[0]


# --- KAA statistics ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_statistics_file_includes_protected_persons_without_address(w, fmt):
    response = _statistics(fmt)(w, "karin")
    assert response.status_code == 200
    text = text_of(response)
    for case in [*w.cases.values(), w.open]:
        assert case.numbers[0] in text  # included: a statutory report
        assert [detail for detail in case.contact if detail in text] == []
        assert [place for place in case.location if place in text] == []
        assert case.person.last_name not in text
    logged = set(
        AccessLogEntry.objects.filter(action="kaa.statistics_exported", user=w.users["karin"]).values_list(
            "person_id", flat=True
        )
    )
    assert {case.person.pk for case in w.cases.values()} <= logged


def test_the_statistics_columns_hold_no_contact_details(w):
    response = _statistics("csv")(w, "karin")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(text_of(response)), delimiter=";"))
    assert rows[0][0] == "personnummer"  # the header row of the file, not some other answer
    header = ",".join(rows[0]).lower()
    for word in ("adress", "postnummer", "postort", "telefon", "epost", "e-post", "namn"):
        assert word not in header


# --- Rejected rows -------------------------------------------------------------------------------


def test_the_rejected_rows_file_goes_only_to_the_importing_units_kaa_writer_and_is_logged(w):
    """Finding (reported, not marked a bug): the file echoes the rejected rows as uploaded, so a
    protected person's rejected row carries their address, phone and e-mail. It is the uploader's
    own file returned to correct and re-import, and only the KAA writer of the importing unit gets it."""
    statuses = {persona: get(w, persona, "import_rejected").status_code for persona in PERSONAS}
    assert {p for p, status in statuses.items() if status == 200} == {"karin"}
    response = get(w, "karin", "import_rejected")
    text = body_of(response)
    assert "Avvisadsdotter" in text  # the rejected protected row
    for case in w.ludvika_cases:  # nobody else's data
        assert case.person.last_name not in text
    assert AccessLogEntry.objects.filter(
        action="register.rejected_downloaded", user=w.users["karin"], detail__import_id=str(w.import_.pk)
    ).exists()


def test_no_page_of_an_import_shows_a_rejected_rows_contact_details(w):
    for page in ("import_list", "import_detail", "import_progress"):
        for persona in ("karin", "rut"):
            body = body_of(get(w, persona, page))
            assert "Avvisade gränd 5" not in body
            assert "073-555 99 99" not in body
            numbers = {n for number in w.rejected_numbers for n in (number, number.replace("-", ""))}
            assert not any(number in body for number in numbers)


# --- Another municipality -------------------------------------------------------------------------


def _mentions(body: str, name: str) -> bool:
    return re.search(rf"\b{re.escape(name)}\b", body) is not None


@pytest.mark.parametrize("request_name", REQUESTS)
@pytest.mark.parametrize("persona", ["charlie", "sven"])
def test_another_municipality_never_sees_a_ludvika_person(w, persona, request_name):
    response = REQUESTS[request_name](w, persona)
    assert response.status_code != 500
    body = text_of(response)
    for case in w.ludvika_cases:
        assert not any(_mentions(body, name) for name in case.names), case.person.last_name
        assert not any(number in body for number in case.numbers)
    assert "Avvisadsdotter" not in body


def test_the_control_sven_does_see_his_own_person(w):
    assert w.smedjebacken_person.last_name in body_of(get(w, "sven", "kaa_register"))
    assert w.smedjebacken_person.last_name in body_of(get(w, "sven", "worklist"))
    assert w.smedjebacken_person.last_name in body_of(get(w, "sven", "target_group"))


# --- The access log -------------------------------------------------------------------------------


@pytest.fixture
def since(w):
    """Access-log entries written from here on (the world's building wrote some of karin's own)."""
    return AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _logged(w: RegisterWorld, persona: str, action: str | None = None, *, since: int = 0) -> set:
    entries = AccessLogEntry.objects.filter(user=w.users[persona], pk__gt=since)
    if action:
        entries = entries.filter(action=action)
    return set(entries.values_list("person_id", flat=True))


@pytest.mark.parametrize(
    ("persona", "page", "action", "cases"),
    [
        ("karin", "target_group", "person.listed", lambda w: [*w.cases.values(), w.open]),
        ("kim", "target_group", "person.listed", lambda w: [*w.cases.values(), w.open]),
        ("karin", "worklist", "person.listed", lambda w: [*w.cases.values(), w.open]),
        ("rut", "worklist", "person.listed", lambda w: [*w.cases.values(), w.open]),
        ("kim", "worklist", "person.listed", lambda w: [*w.cases.values(), w.open]),
        ("karin", "kaa_register", "kaa.register_viewed", lambda w: [*w.cases.values(), w.open]),
        ("rut", "kaa_register", "kaa.register_viewed", lambda w: [*w.cases.values(), w.open]),
        ("karin", "kaa_extract", "kaa.register_viewed", lambda w: [w.cases["sekretessmarkering"]]),
    ],
)
def test_a_list_page_logs_the_persons_it_shows(w, since, persona, page, action, cases):
    assert _logged(w, persona, since=since) == set()
    response = get(w, persona, page)
    assert response.status_code == 200
    logged = _logged(w, persona, action, since=since)
    assert {case.person.pk for case in cases(w)} <= logged
    # Only persons the page shows: every case logged is on the page.
    body = body_of(response)
    assert all(case.person.last_name in body for case in w.ludvika_cases if case.person.pk in logged)


@pytest.mark.parametrize("page", ["target_group", "worklist", "kaa_register"])
def test_another_municipality_writes_no_entry_about_ludvikas_persons(w, since, page):
    assert get(w, "sven", page).status_code == 200
    logged = _logged(w, "sven", since=since)
    ludvika = {case.person.pk for case in w.ludvika_cases}
    assert logged & ludvika == set()
    # The control: the page does log the persons it shows, here sven's own.
    assert w.smedjebacken_person.pk in logged


PERSON_FORM_PAGES = ["handover", "contact_create", "occupation_create", "letter", "measure_create", "measure_edit"]


@pytest.mark.parametrize("page", PERSON_FORM_PAGES)
def test_a_person_form_page_logs_the_view(w, since, page):
    response = get(w, "kim", page)
    assert response.status_code == 200
    person = w.handover.person if page == "handover" else w.cases["sekretessmarkering"].person
    assert person.last_name in body_of(response)
    assert person.pk in _logged(w, "kim", since=since)


@pytest.mark.parametrize("persona", ["karin", "rut", "kim"])
def test_the_worklist_school_filter_finds_a_protected_person_only_for_the_responsible_coach(w, persona):
    """The selector itself (the page's form also refuses a school it does not offer)."""
    from conftest import ctx_for
    from vagval.outreach.selectors import WorklistFilters, worklist

    viewer = w.users[persona]
    found = worklist(viewer=viewer, ctx=ctx_for(viewer), filters=WorklistFilters(school=_sek(w).location[0]))
    names = {row.person.last_name for row in found.rows}
    assert (_sek(w).person.last_name in names) == (persona == "kim")


def test_the_confirmation_page_of_a_waiting_import_names_the_control_but_no_protected_person(w):
    html = body_of(get(w, "karin", "import_confirm"))

    assert " ".join(w.open.names) in html
    for case in w.cases.values():
        assert case.person.last_name not in html
    assert w.handover.person.last_name not in html
