"""A partner sees a person through the API only under consent, and only what the consent covers."""

import pytest

from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.api.tests.helpers import API, api_client_for, call, log_mark, logged_since, person_body
from vagval.audit.models import AccessLogEntry
from vagval.consent.models import ConsentCategory
from vagval.consent.tests.factories import share
from vagval.organisations.models import OrganisationKind
from vagval.organisations.tests.factories import OrganisationFactory, UnitFactory
from vagval.people.models import Protection


@pytest.fixture
def frida(db):
    """Handläggare (partner) at Arbetsförmedlingen Ludvika."""
    unit = UnitFactory(
        organisation=OrganisationFactory(name="Arbetsförmedlingen", kind=OrganisationKind.EMPLOYMENT_SERVICE),
        name="Ludvika",
    )
    return UserFactory(username="frida", first_name="Frida", unit=unit, role=Role.PARTNER)


@pytest.fixture
def frida_api(frida):
    return api_client_for(frida)


def test_a_partner_without_consent_gets_404_and_an_empty_list(frida_api, alices_person):
    assert frida_api.get(f"{API}/persons/{alices_person.pk}").status_code == 404
    assert frida_api.get(f"{API}/persons").json()["items"] == []


def test_a_consent_without_identity_hides_the_number_and_contact_details(alice, frida, frida_api, alices_person):
    consent = share(alices_person, documented_by=alice, to_unit=frida.unit, categories=[ConsentCategory.PLAN])
    mark = log_mark()
    response = frida_api.get(f"{API}/persons/{alices_person.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["access_basis"] == "consent"
    assert body["id_number"] is None
    assert body["contact_details_hidden"] is True
    assert all(body[name] is None for name in ("address", "postal_code", "city", "phone", "email"))
    assert body["enrolments"] == []  # enrolments at alice's unit are not frida's to see
    assert alices_person.id_number not in response.content.decode()
    assert logged_since(mark) == [("person.viewed", "frida", str(alices_person.pk))]
    entry = AccessLogEntry.objects.get(action="person.viewed", username="frida")
    assert (entry.basis, entry.consent_id) == ("consent", consent.pk)


def test_a_consent_with_identity_shows_the_number_and_contact_details(alice, frida, frida_api, alices_person):
    share(alices_person, documented_by=alice, to_unit=frida.unit, categories=[ConsentCategory.IDENTITY])
    listed = frida_api.get(f"{API}/persons").json()["items"]
    assert [(p["id"], p["id_number"], p["address"]) for p in listed] == [
        (str(alices_person.pk), alices_person.id_number, "Provgatan 1")
    ]


def test_a_partner_under_consent_cannot_write(alice, frida, frida_api, alices_person):
    share(alices_person, documented_by=alice, to_unit=frida.unit)
    response = call(frida_api, "PUT", f"/persons/{alices_person.pk}", person_body(alices_person, first_name="Ändrad"))
    assert response.status_code == 403
    alices_person.refresh_from_db()
    assert alices_person.first_name == "Moa"


def test_a_protected_person_is_never_shared_through_the_api(alice, frida, frida_api, alices_person):
    alices_person.protection = Protection.CONFIDENTIALITY_MARK
    alices_person.save()
    share(alices_person, documented_by=alice, to_unit=frida.unit)
    assert frida_api.get(f"{API}/persons/{alices_person.pk}").status_code == 404
    assert frida_api.get(f"{API}/persons").json()["items"] == []


def test_a_consent_without_identity_does_not_let_a_number_search_find_the_person(
    alice, frida, frida_api, alices_person
):
    share(alices_person, documented_by=alice, to_unit=frida.unit, categories=[ConsentCategory.PLAN])
    assert call(frida_api, "POST", "/persons/search", {"query": alices_person.id_number}).json() == {"items": []}
