import pytest

from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory


@pytest.fixture
def petra(af_unit):
    """A partner handläggare at Arbetsförmedlingen: sees Ludvika's persons only under consent."""
    return UserFactory(username="petra", first_name="Petra", unit=af_unit, role=Role.PARTNER)
