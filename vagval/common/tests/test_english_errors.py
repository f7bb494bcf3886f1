"""Domain errors from services and selectors reach an English user in English."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import ctx_for
from vagval.common.errors import InvalidInput, PermissionDenied
from vagval.common.identity import InvalidIdentityNumber, parse_identity_number
from vagval.people import services
from vagval.people.tests.factories import make_personnummer

NUMBER = make_personnummer(dt.date(2006, 5, 1), 123)
WRONG_CHECK_DIGIT = NUMBER[:-1] + str((int(NUMBER[-1]) + 1) % 10)


@pytest.fixture(autouse=True)
def _swedish_again_afterwards():
    """A request in English leaves English active in the thread: later tests expect Swedish."""
    yield
    translation.deactivate()


def test_service_errors_are_raised_in_the_active_language(alice, bob, alices_person):
    with translation.override("en"):
        with pytest.raises(InvalidInput) as invalid:
            services.person_merge(ctx=ctx_for(alice), source=alices_person, target=alices_person)
        with pytest.raises(PermissionDenied) as denied:
            services.person_merge(ctx=ctx_for(bob), source=alices_person, target=alices_person)
        with pytest.raises(InvalidIdentityNumber) as identity:
            parse_identity_number(WRONG_CHECK_DIGIT)
        identity_message = identity.value.message
    assert invalid.value.message == "A person cannot be merged with themselves."
    assert denied.value.message == "You have read-only access."
    assert identity_message == "invalid personal identity number: the check digit is not correct"
    # The register import writes str(exc) into the Swedish rejected-rows file: it stays Swedish.
    assert str(identity.value) == "ogiltigt personnummer: kontrollsiffran stämmer inte"
    with translation.override("sv"), pytest.raises(InvalidInput) as swedish:
        services.person_merge(ctx=ctx_for(alice), source=alices_person, target=alices_person)
    assert swedish.value.message == "En person kan inte slås ihop med sig själv."


def test_a_field_error_from_a_service_is_shown_in_english_on_the_page(alice_client, project):
    form = {
        "id_type": "personnummer",
        "id_number": f"{WRONG_CHECK_DIGIT[:8]}-{WRONG_CHECK_DIGIT[8:]}",
        "first_name": "Nora",
        "last_name": "Exempel",
        "gender": "kvinna",
        "protection": "none",
        "home_municipality": "2085",
        "project": str(project.pk),
        "starts_on": "2026-02-01",
        "status": "pagaende",
    }
    response = alice_client.post(reverse("people:create"), form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Invalid personal identity number: the check digit is not correct" in page
    assert "kontrollsiffran" not in page
