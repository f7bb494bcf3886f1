"""Plan fixtures: a partner at Arbetsförmedlingen (frida), alice's plan with steps."""

import pytest

from conftest import client_for
from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.consent.models import ConsentCategory
from vagval.consent.tests.factories import share
from vagval.organisations.models import OrganisationKind
from vagval.organisations.tests.factories import OrganisationFactory, UnitFactory
from vagval.plans.tests.factories import add_step, make_plan


@pytest.fixture
def af_unit(db):
    return UnitFactory(
        organisation=OrganisationFactory(name="Arbetsförmedlingen", kind=OrganisationKind.EMPLOYMENT_SERVICE),
        name="Ludvika",
    )


@pytest.fixture
def fk_unit(db):
    return UnitFactory(
        organisation=OrganisationFactory(name="Försäkringskassan", kind=OrganisationKind.SOCIAL_INSURANCE),
        name="Borlänge",
    )


@pytest.fixture
def frida(af_unit):
    """A partner handläggare at Arbetsförmedlingen."""
    return UserFactory(username="frida", first_name="Frida", unit=af_unit, role=Role.PARTNER)


@pytest.fixture
def frida_client(frida):
    return client_for(frida)


@pytest.fixture
def alices_plan(alice, alices_person, project):
    return make_plan(alices_person, by=alice, project=project, goals=["Jag vill ha ett jobb", "Jag vill ta körkort"])


@pytest.fixture
def youth_step(alice, alices_plan):
    """A step the young person is responsible for."""
    return add_step(alices_plan, by=alice, content="Söka tre jobb i veckan")


@pytest.fixture
def af_step(alice, alices_plan, af_unit):
    """A step Arbetsförmedlingen is responsible for."""
    return add_step(alices_plan, by=alice, content="Arbetsmarknadsutbildning", unit=af_unit)


@pytest.fixture
def plan_consent(alice, alices_person, af_unit):
    """The young person's consent that Arbetsförmedlingen may see their plan."""
    return share(
        alices_person, documented_by=alice, to_unit=af_unit, categories=[ConsentCategory.IDENTITY, ConsentCategory.PLAN]
    )


@pytest.fixture
def identity_only_consent(alice, alices_person, af_unit):
    return share(alices_person, documented_by=alice, to_unit=af_unit, categories=[ConsentCategory.IDENTITY])
