"""Partner personas for the referral tests (the shared personas live in the root conftest.py).

frida  – handläggare (partner) at Arbetsförmedlingen Ludvika, the usual recipient
greta  – read-only colleague of frida
harald – handläggare at IFO (socialtjänsten), a second partner unit
"""

import pytest

from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.organisations.models import OrganisationKind
from vagval.organisations.tests.factories import OrganisationFactory, UnitFactory


@pytest.fixture
def ifo_unit(db):
    return UnitFactory(
        organisation=OrganisationFactory(name="Ludvika kommun, socialtjänsten", kind=OrganisationKind.MUNICIPALITY),
        name="IFO vuxen",
    )


@pytest.fixture
def greta(af_unit):
    return UserFactory(username="greta", first_name="Greta", unit=af_unit, role=Role.PARTNER, read_only=True)


@pytest.fixture
def harald(ifo_unit):
    return UserFactory(username="harald", first_name="Harald", unit=ifo_unit, role=Role.PARTNER)
