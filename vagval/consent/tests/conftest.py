"""Partner personas for the consent page tests (the shared personas live in the root conftest.py).

frida – handläggare (partner) at Arbetsförmedlingen Ludvika
gustav – handläggare at Försäkringskassan, a second partner unit
"""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import client_for
from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.consent.models import ConsentCategory
from vagval.consent.tests.factories import share


@pytest.fixture
def gustav(fk_unit):
    return UserFactory(username="gustav", first_name="Gustav", unit=fk_unit, role=Role.PARTNER)


@pytest.fixture
def gustav_client(gustav):
    return client_for(gustav)


@pytest.fixture
def af_consent(alice, af_unit, alices_person):
    """A consent alice documented for her person, naming frida's unit, valid today."""
    today = timezone.localdate()
    return share(
        alices_person,
        documented_by=alice,
        to_unit=af_unit,
        categories=[ConsentCategory.IDENTITY, ConsentCategory.PLAN],
        valid_from=today - dt.timedelta(days=10),
        valid_to=today + dt.timedelta(days=300),
        purpose="Planera praktik tillsammans med Arbetsförmedlingen",
    )
