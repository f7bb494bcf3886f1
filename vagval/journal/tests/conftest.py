"""Partner personas for the journal tests (the shared personas live in the root conftest.py).

frida  – handläggare (partner) at Arbetsförmedlingen Ludvika
harald – handläggare at IFO, a unit no consent names
"""

import pytest

from conftest import client_for
from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.organisations.models import OrganisationKind
from vagval.organisations.tests.factories import OrganisationFactory, UnitFactory


@pytest.fixture
def af_unit(db):
    return UnitFactory(
        organisation=OrganisationFactory(name="Arbetsförmedlingen", kind=OrganisationKind.EMPLOYMENT_SERVICE),
        name="Ludvika",
    )


@pytest.fixture
def frida(af_unit):
    return UserFactory(username="frida", first_name="Frida", unit=af_unit, role=Role.PARTNER)


@pytest.fixture
def harald(db):
    unit = UnitFactory(
        organisation=OrganisationFactory(name="Ludvika kommun, socialtjänsten", kind=OrganisationKind.MUNICIPALITY),
        name="IFO vuxen",
    )
    return UserFactory(username="harald", first_name="Harald", unit=unit, role=Role.PARTNER)


@pytest.fixture
def frida_client(frida):
    return client_for(frida)
