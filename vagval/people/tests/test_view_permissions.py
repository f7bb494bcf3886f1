"""Who may open which person page: anonymous, another municipality, read-only, no person access."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import client_for
from vagval.people.models import Person

LIST_PAGES = ["caseload", "search", "search_results"]
PERSON_PAGES = ["detail", "edit", "enrolment_create", "enrolment_edit", "merge"]
WRITE_PAGES = ["create", "edit", "enrolment_create", "enrolment_edit", "merge"]


def url_for(name: str, person: Person) -> str:
    if name in {"caseload", "search", "search_results", "create"}:
        return reverse(f"people:{name}")
    if name == "enrolment_edit":
        return reverse("people:enrolment_edit", args=[person.enrolments.get().pk])
    return reverse(f"people:{name}", args=[person.pk])


def verified_client(user):
    """A logged-in client that has passed two-factor verification (required for administrators)."""
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client = client_for(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.mark.parametrize("name", [*LIST_PAGES, "create", *PERSON_PAGES])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_log_in(client, alices_person, name, method):
    response = getattr(client, method)(url_for(name, alices_person))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("name", "method"), [("detail", "get")] + [(n, m) for n in PERSON_PAGES if n != "detail" for m in ("get", "post")]
)
def test_charlie_gets_404_on_ludvikas_person(charlie_client, alices_person, name, method):
    response = getattr(charlie_client, method)(url_for(name, alices_person))
    assert response.status_code == 404
    assert alices_person.last_name not in response.content.decode()


@pytest.mark.parametrize("name", WRITE_PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_read_only_bob_cannot_use_any_write_page(bob_client, alices_person, name, method):
    response = getattr(bob_client, method)(url_for(name, alices_person))
    assert response.status_code == 403


def test_read_only_bob_cannot_change_a_person_with_a_complete_form(bob_client, alices_person):
    response = bob_client.post(
        url_for("edit", alices_person),
        {
            "id_type": "none",
            "first_name": "Ändrad",
            "last_name": "Namn",
            "birth_date": "2005-03-14",
            "protection": "none",
        },
    )
    assert response.status_code == 403
    alices_person.refresh_from_db()
    assert alices_person.first_name == "Moa"


def test_read_only_bob_can_view_the_person_page_without_write_links(bob_client, alices_person):
    response = bob_client.get(url_for("detail", alices_person))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Moa Provsson" in page
    assert reverse("people:edit", args=[alices_person.pk]) not in page
    assert reverse("people:merge", args=[alices_person.pk]) not in page


@pytest.fixture(params=["erik", "dana"])
def no_person_access_client(request, erik, dana):
    user = {"erik": erik, "dana": dana}[request.param]
    return verified_client(user)


def test_evaluator_and_administrator_see_no_persons_in_the_caseload(no_person_access_client, alices_person):
    # The evaluator is sent on to the evaluation start page (issue 13), which shows no person either.
    response = no_person_access_client.get(reverse("people:caseload") + "?visa=alla", follow=True)
    assert response.status_code == 200
    assert "Provsson" not in response.content.decode()


def test_evaluator_and_administrator_find_no_persons(no_person_access_client, alices_person):
    for name in ("search", "search_results"):
        response = no_person_access_client.post(reverse(f"people:{name}"), {"q": "Provsson"})
        assert response.status_code == 200
        page = response.content.decode()
        assert str(alices_person.pk) not in page
        assert "Inga personer hittades." in page


def test_evaluator_and_administrator_get_404_on_a_person(no_person_access_client, alices_person):
    assert no_person_access_client.get(url_for("detail", alices_person)).status_code == 404


def test_evaluator_and_administrator_cannot_register_persons(no_person_access_client, project):
    assert no_person_access_client.get(reverse("people:create")).status_code == 403


def test_an_evaluator_cannot_register_a_person_by_posting_the_form(erik, project):
    response = client_for(erik).post(
        reverse("people:create"),
        {
            "id_type": "none",
            "first_name": "Ny",
            "last_name": "Person",
            "birth_date": "2006-01-01",
            "protection": "none",
            "project": str(project.pk),
            "starts_on": "2026-02-01",
            "status": "pagaende",
        },
    )
    assert response.status_code == 403
    assert not Person.objects.exists()
