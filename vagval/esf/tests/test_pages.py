"""The ESF+ pages and the API: entry data, the incomplete list, the report and its downloads, and who may see what."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from conftest import client_for
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.api.tests.helpers import api_client_for
from vagval.audit.models import AccessLogEntry
from vagval.common.scoping import unscoped
from vagval.esf.models import EsfEntry, EsfProject, LabourStatus
from vagval.esf.tests.factories import EsfEntryFactory, EsfProjectFactory
from vagval.organisations.models import Municipality
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.models import Enrolment
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def esf_project(project):
    EsfProjectFactory(project=project)
    return project


@pytest.fixture
def enrolment(alices_person, esf_project):
    with unscoped("test setup"):
        return Enrolment.objects.get(person=alices_person, project=esf_project)


def _entry_post(version="ny", **overrides):
    data = {
        "labour_status": LabourStatus.UNEMPLOYED,
        "unemployed_since": "2025-01-10",
        "isced": "2",
        "disability": "vill_inte_svara",
        "third_country": "",
        "foreign_background": "",
        "minority": "",
        "homeless": "nej",
        "improved_after_6_months": "",
        "version": version,
    }
    data.update(overrides)
    return data


def test_the_coach_records_entry_data_and_the_derived_values_are_stored(alice_client, enrolment):
    alices_person = enrolment.person
    alices_person.home_municipality = Municipality.objects.get(code="2039")  # Älvdalen: rural in the data file
    alices_person.save()
    url = reverse("esf:entry_edit", args=[enrolment.pk])
    assert alice_client.get(url).status_code == 200
    response = alice_client.post(url, _entry_post())
    assert response.status_code == 302
    with unscoped("test check"):
        entry = EsfEntry.objects.get(enrolment=enrolment)
    # Born 2005-03-14, started 2026-01-15: 20 years old, unemployed for 12 months (> 6 under 25).
    assert entry.age_at_entry == 20
    assert entry.long_term_unemployed is True
    assert entry.rural is True
    assert entry.disability == "vill_inte_svara"
    logged = AccessLogEntry.objects.filter(action="esf.entry_recorded", person_id=alices_person.pk).get()
    assert "disability" in logged.detail["fields"]
    assert "vill_inte_svara" not in str(logged.detail)


def test_an_unemployed_status_needs_its_start_date(alice_client, enrolment):
    response = alice_client.post(reverse("esf:entry_edit", args=[enrolment.pk]), _entry_post(unemployed_since=""))
    assert response.status_code == 400
    assert "Ange sedan när personen är arbetslös." in response.content.decode()


def test_voluntary_items_are_never_required(alice_client, enrolment):
    data = _entry_post(labour_status=LabourStatus.INACTIVE, unemployed_since="", disability="", homeless="")
    assert alice_client.post(reverse("esf:entry_edit", args=[enrolment.pk]), data).status_code == 302


def test_a_stale_edit_is_refused_and_shows_both_versions(alice_client, enrolment, alice):
    url = reverse("esf:entry_edit", args=[enrolment.pk])
    alice_client.post(url, _entry_post())
    response = alice_client.post(
        url, _entry_post(version="ny", labour_status=LabourStatus.INACTIVE, unemployed_since="")
    )
    assert response.status_code == 409
    with unscoped("test check"):
        assert EsfEntry.objects.get(enrolment=enrolment).labour_status == LabourStatus.UNEMPLOYED


def test_the_read_only_colleague_cannot_write_and_other_units_and_partners_get_404(bob, charlie, frida, enrolment):
    url = reverse("esf:entry_edit", args=[enrolment.pk])
    assert client_for(bob).post(url, _entry_post()).status_code == 403
    assert client_for(charlie).get(url).status_code == 404
    assert client_for(frida).get(url).status_code == 404


def test_an_incomplete_record_is_flagged_on_the_person_page_and_in_the_list(alice_client, enrolment):
    page = alice_client.get(reverse("people:detail", args=[enrolment.person_id])).content.decode()
    assert "ofullständiga – deltagaren räknas bara i totalen" in page
    listing = alice_client.get(reverse("esf:incomplete")).content.decode()
    assert enrolment.person.full_name in listing
    alice_client.post(reverse("esf:entry_edit", args=[enrolment.pk]), _entry_post())
    assert enrolment.person.full_name not in alice_client.get(reverse("esf:incomplete")).content.decode()


def test_a_project_leader_sees_the_report_of_their_project_only(pia, esf_project, enrolment):
    other = ProjectFactory(name="Annat projekt")
    client = client_for(pia)
    query = {"project": str(esf_project.pk), "start": "2026-01-01", "end": "2026-12-31"}
    page = client.get(reverse("esf:report"), query)
    assert page.status_code == 200
    body = page.content.decode()
    assert "EECO01" in body
    assert "Alla deltagare som började i projektet" in body
    assert "Annat projekt" not in body
    assert client.get(reverse("esf:report"), {**query, "project": str(other.pk)}).status_code == 400
    api = api_client_for(pia)
    assert api.get(f"/api/v1/projects/{other.pk}/esf-indicators?from=2026-01-01&to=2026-12-31").status_code == 404


PERIOD = "from=2026-01-01&to=2026-12-31"


def _api_path(project, period=PERIOD):
    return f"/api/v1/projects/{project.pk}/esf-indicators?{period}"


def test_the_api_answers_the_same_counts_as_the_page_with_exact_small_numbers(pia, esf_project, enrolment):
    EsfEntryFactory(enrolment=enrolment)
    response = api_client_for(pia).get(_api_path(esf_project))
    assert response.status_code == 200
    body = response.json()
    assert next(iter(body)) == "EECO01"
    assert len(body) == 23
    # No small-cell suppression: ESF-rådet needs the exact figure, even 1.
    assert body["EECO01"] == {"total": 1, "kvinnor": 1, "man": 0, "icke_binara": 0}
    assert body["EECO04"]["kvinnor"] == 1


def test_the_api_refuses_a_bad_period(pia, esf_project):
    client = api_client_for(pia)
    assert client.get(_api_path(esf_project, "from=2026-13-01&to=2026-12-31")).status_code == 422
    assert client.get(_api_path(esf_project, "from=2026-06-01&to=2026-01-01")).status_code == 422


def test_coaches_and_the_evaluator_see_no_figures(alice, charlie, erik, esf_project):
    for user in (alice, charlie, erik):
        assert client_for(user).get(reverse("esf:report")).status_code == 403
        response = api_client_for(user).get(_api_path(esf_project))
        assert response.status_code == 404


def test_the_administrator_sees_every_project_and_downloads_csv_and_xlsx(dana, esf_project, enrolment):
    client = verified_admin_client(dana)
    query = {"project": str(esf_project.pk), "start": "2026-01-01", "end": "2026-12-31"}
    csv_response = client.get(reverse("esf:report_csv"), query)
    assert csv_response.status_code == 200
    text = csv_response.content.decode("utf-8-sig")
    assert text.splitlines()[1].startswith("EECO01;Antal deltagare;1;")
    assert "attachment" in csv_response["Content-Disposition"]
    xlsx = client.get(reverse("esf:report_xlsx"), query)
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"
    assert AccessLogEntry.objects.filter(action="esf.indicators_exported").count() == 2


def test_the_workbook_has_a_bold_header_and_a_typed_name_like_a_formula_stays_text(dana, esf_project, enrolment):
    from openpyxl import load_workbook

    esf_project.name = "=HYPERLINK(1)"
    esf_project.save()
    query = {"project": str(esf_project.pk), "start": "2026-01-01", "end": "2026-12-31"}
    content = verified_admin_client(dana).get(reverse("esf:report_xlsx"), query).content

    title, header, first = list(load_workbook(io.BytesIO(content))["ESF+"].iter_rows(max_row=3))
    assert (title[0].value, title[0].data_type, title[0].quotePrefix) == ("=HYPERLINK(1)", "s", True)
    assert [(c.value, c.font.b) for c in header[:2]] == [("Kod", True), ("Indikator", True)]
    assert [c.value for c in first[:3]] == ["EECO01", "Antal deltagare", 1]


def test_the_administrator_marks_a_project_as_esf_funded(dana, project):
    url = reverse("esf:project_funding", args=[project.pk])
    client = verified_admin_client(dana)
    assert client.get(url).status_code == 200
    assert client.post(url, {"funded": "on", "case_number": "2024/1"}).status_code == 302
    assert EsfProject.objects.get(project=project).case_number == "2024/1"
    client.post(url, {})
    assert not EsfProject.objects.filter(project=project).exists()


def test_entry_data_cannot_be_saved_in_a_project_that_is_not_esf_funded(alice_client, alice, project):
    person = PersonFactory(unit=alice.unit)
    enrolment = EnrolmentFactory(
        person=person, project=project, unit=alice.unit, coach=alice, starts_on=dt.date(2026, 1, 1)
    )
    response = alice_client.post(reverse("esf:entry_edit", args=[enrolment.pk]), _entry_post())
    assert response.status_code == 400
    assert "Projektet är inte markerat som ESF-finansierat" in response.content.decode()
    with unscoped("test check"):
        assert not EsfEntry.objects.filter(enrolment=enrolment).exists()
