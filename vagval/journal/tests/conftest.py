"""Partner personas for the journal tests (the shared personas live in the root conftest.py).

frida  – handläggare (partner) at Arbetsförmedlingen Ludvika
harald – handläggare at IFO, a unit no consent names
"""

import pytest

from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.organisations.models import OrganisationKind
from vagval.organisations.tests.factories import OrganisationFactory, UnitFactory


@pytest.fixture
def harald(db):
    unit = UnitFactory(
        organisation=OrganisationFactory(name="Ludvika kommun, socialtjänsten", kind=OrganisationKind.MUNICIPALITY),
        name="IFO vuxen",
    )
    return UserFactory(username="harald", first_name="Harald", unit=unit, role=Role.PARTNER)
