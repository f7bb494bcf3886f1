"""The person page for a partner who sees the person under a consent."""

import pytest
from django.urls import reverse

from conftest import client_for
from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.consent.models import ConsentCategory
from vagval.consent.tests.factories import share
from vagval.organisations.models import OrganisationKind
from vagval.organisations.tests.factories import OrganisationFactory, UnitFactory


@pytest.fixture
def frida(db):
    unit = UnitFactory(
        organisation=OrganisationFactory(name="Arbetsförmedlingen", kind=OrganisationKind.EMPLOYMENT_SERVICE)
    )
    return UserFactory(username="frida", unit=unit, role=Role.PARTNER)


def test_without_the_identity_category_the_partner_sees_no_number_and_no_contact_details(alice, frida, alices_person):
    share(alices_person, documented_by=alice, to_unit=frida.unit, categories=[ConsentCategory.PLAN])
    response = client_for(frida).get(reverse("people:detail", args=[alices_person.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert alices_person.id_number[:8] not in body
    assert alices_person.address not in body
    assert "Samtycket omfattar inte kontaktuppgifter" in body
    assert reverse("plans:person_plans", args=[alices_person.pk]) in body
    assert reverse("journal:person_notes", args=[alices_person.pk]) not in body


def test_with_the_identity_category_the_partner_sees_number_and_contact_details(alice, frida, alices_person):
    share(alices_person, documented_by=alice, to_unit=frida.unit, categories=[ConsentCategory.IDENTITY])
    body = client_for(frida).get(reverse("people:detail", args=[alices_person.pk])).content.decode()
    assert f"{alices_person.id_number[:8]}-{alices_person.id_number[8:]}" in body
    assert alices_person.address in body
    assert "Ändra uppgifter" not in body


def test_after_withdrawal_the_partner_gets_404_on_the_next_request(alice, frida, alices_person):
    from conftest import ctx_for
    from vagval.consent.services import consent_withdraw

    consent = share(alices_person, documented_by=alice, to_unit=frida.unit)
    client = client_for(frida)
    url = reverse("people:detail", args=[alices_person.pk])
    assert client.get(url).status_code == 200
    consent_withdraw(ctx=ctx_for(alice), consent=consent)
    assert client.get(url).status_code == 404
