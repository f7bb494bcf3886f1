import pytest

from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.organisations.models import OrganisationKind
from vagval.organisations.tests.factories import OrganisationFactory, UnitFactory


@pytest.fixture
def af_unit(db):
    org = OrganisationFactory(name="Arbetsförmedlingen", kind=OrganisationKind.EMPLOYMENT_SERVICE)
    return UnitFactory(organisation=org, name="Ludvika")


@pytest.fixture
def petra(af_unit):
    """A partner handläggare at Arbetsförmedlingen: sees Ludvika's persons only under consent."""
    return UserFactory(username="petra", first_name="Petra", unit=af_unit, role=Role.PARTNER)
