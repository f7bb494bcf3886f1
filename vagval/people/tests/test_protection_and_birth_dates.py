"""Protection only goes up by hand; birth dates lie between 1900 and today (issue 10, holes 2 and 3)."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import client_for, ctx_for
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.api.tests.helpers import api_client_for, call, new_person_body, person_body, person_etag
from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.common.errors import InvalidInput, PermissionDenied
from vagval.people import services
from vagval.people.models import Person, PersonChange, Protection
from vagval.people.services import EnrolmentData, PersonData
from vagval.people.tests.factories import make_personnummer
from vagval.people.tests.versions import person_form_version


@pytest.fixture
def protected(alices_person) -> Person:
    alices_person.protection = Protection.PROTECTED_REGISTRATION
    alices_person.save()
    return alices_person


def test_a_unit_cannot_lower_protection_through_the_api(alice, protected):
    body = person_body(protected, protection="none")
    etag = person_etag(alice, protected)
    response = call(api_client_for(alice), "PUT", f"/persons/{protected.pk}", body, if_match=etag)
    assert response.status_code == 422
    assert "protection" in response.json()["errors"]
    protected.refresh_from_db()
    assert protected.protection == Protection.PROTECTED_REGISTRATION


def test_a_unit_cannot_lower_protection_one_step_either(alice, protected):
    data = PersonData(
        first_name=protected.first_name,
        last_name=protected.last_name,
        id_type=protected.id_type,
        id_number=protected.id_number,
        protection=Protection.CONFIDENTIALITY_MARK,
    )
    with pytest.raises(InvalidInput) as exc:
        services.person_update(ctx=ctx_for(alice), person=protected, data=data)
    assert "protection" in exc.value.field_errors


def test_a_unit_may_raise_protection(alice, alices_person):
    body = person_body(alices_person, protection="sekretessmarkering")
    etag = person_etag(alice, alices_person)
    assert call(api_client_for(alice), "PUT", f"/persons/{alices_person.pk}", body, if_match=etag).status_code == 200
    alices_person.refresh_from_db()
    assert alices_person.protection == Protection.CONFIDENTIALITY_MARK


def test_the_edit_form_refuses_a_lower_level_with_a_field_error(alice, alice_client, protected):
    form = {
        "version": person_form_version(alice, protected),
        "id_type": protected.id_type,
        "id_number": protected.id_number,
        "first_name": protected.first_name,
        "last_name": protected.last_name,
        "protection": "none",
    }
    response = alice_client.post(reverse("people:edit", args=[protected.pk]), form)
    assert response.status_code == 200
    assert "Skyddet kan bara sänkas av folkbokföringen" in response.content.decode()
    protected.refresh_from_db()
    assert protected.protection == Protection.PROTECTED_REGISTRATION


def test_an_administrator_lowers_protection_with_a_reason_and_it_is_logged(dana, protected):
    services.person_protection_lower(
        ctx=ctx_for(dana), person=protected, protection=Protection.NONE, reason="Skatteverket har hävt skyddet"
    )
    protected.refresh_from_db()
    assert protected.protection == Protection.NONE
    entry = AccessLogEntry.objects.get(action="person.protection_lowered")
    assert (entry.username, entry.basis, entry.person_id) == ("dana", AccessBasis.ADMINISTRATION, protected.pk)
    assert entry.detail["reason"] == "Skatteverket har hävt skyddet"
    assert PersonChange.objects.filter(person=protected, kind="protection_lowered").exists()


def test_lowering_needs_a_reason_and_a_lower_level(dana, protected):
    with pytest.raises(InvalidInput) as exc:
        services.person_protection_lower(ctx=ctx_for(dana), person=protected, protection=Protection.NONE, reason=" ")
    assert "reason" in exc.value.field_errors
    with pytest.raises(InvalidInput) as exc:
        services.person_protection_lower(
            ctx=ctx_for(dana), person=protected, protection=Protection.PROTECTED_REGISTRATION, reason="x"
        )
    assert "protection" in exc.value.field_errors
    assert not AccessLogEntry.objects.filter(action="person.protection_lowered").exists()


def test_only_an_administrator_may_lower_protection(alice, protected):
    with pytest.raises(PermissionDenied):
        services.person_protection_lower(ctx=ctx_for(alice), person=protected, protection=Protection.NONE, reason="x")


def _create(user, project, **person):
    data = PersonData(first_name="Ny", last_name="Person", **person)
    return services.person_create(
        ctx=ctx_for(user), data=data, enrolment=EnrolmentData(project_id=project.pk, starts_on=dt.date(2026, 2, 1))
    )


@pytest.mark.parametrize("birth_date", [dt.date(9999, 6, 1), dt.date(1899, 12, 31), dt.date.today() + dt.timedelta(1)])
def test_an_impossible_birth_date_is_refused(alice, project, birth_date):
    with pytest.raises(InvalidInput) as exc:
        _create(alice, project, id_type="none", birth_date=birth_date)
    assert "birth_date" in exc.value.field_errors
    assert not Person.objects.exists()


def test_a_birth_date_that_disagrees_with_the_number_is_refused(alice, project):
    with pytest.raises(InvalidInput) as exc:
        _create(
            alice,
            project,
            id_type="personnummer",
            id_number=make_personnummer(dt.date(2006, 5, 1), 123),
            birth_date=dt.date(2006, 5, 2),
        )
    assert exc.value.field_errors["birth_date"] == ["Födelsedatumet stämmer inte med numret."]


def test_a_number_with_a_future_birth_date_is_refused(alice, project):
    future = dt.date.today().replace(year=dt.date.today().year + 1)
    with pytest.raises(InvalidInput) as exc:
        _create(alice, project, id_type="personnummer", id_number=make_personnummer(future, 12))
    assert "id_number" in exc.value.field_errors


def test_the_api_answers_422_for_the_year_9999(alice, project):
    body = {**new_person_body(project), "id_type": "none", "id_number": "", "birth_date": "9999-06-01"}
    response = call(api_client_for(alice), "POST", "/persons", body)
    assert response.status_code == 422
    assert "birth_date" in response.json()["errors"]


def test_the_administrators_page_lowers_protection(dana, protected):
    client = verified_admin_client(dana)
    url = reverse("people:protection_lower", args=[protected.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Skyddad folkbokföring" in page.content.decode()
    response = client.post(url, {"protection": "sekretessmarkering", "reason": "Beslut från Skatteverket"})
    assert response.status_code == 302
    protected.refresh_from_db()
    assert protected.protection == Protection.CONFIDENTIALITY_MARK


def test_the_page_asks_for_a_reason_in_swedish(dana, protected):
    response = verified_admin_client(dana).post(
        reverse("people:protection_lower", args=[protected.pk]), {"protection": "none"}
    )
    assert response.status_code == 200
    assert "Fältet måste fyllas i" in response.content.decode() or "Detta fält" in response.content.decode()
    protected.refresh_from_db()
    assert protected.protection == Protection.PROTECTED_REGISTRATION


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "frida", "erik"])
def test_nobody_but_an_administrator_reaches_the_page(request, persona, protected):
    user = request.getfixturevalue(persona)
    url = reverse("people:protection_lower", args=[protected.pk])
    assert client_for(user).get(url).status_code == 403
    assert client_for(user).post(url, {"protection": "none", "reason": "x"}).status_code == 403
    protected.refresh_from_db()
    assert protected.protection == Protection.PROTECTED_REGISTRATION


def test_anonymous_is_sent_to_the_login(client, protected):
    response = client.get(reverse("people:protection_lower", args=[protected.pk]))
    assert response.status_code == 302
    assert "/login" in response.url or "logga-in" in response.url
