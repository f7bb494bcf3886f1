"""Plan fixtures: a partner at Arbetsförmedlingen (frida), alice's plan with steps."""

import pytest

from vagval.consent.models import ConsentCategory
from vagval.consent.tests.factories import share
from vagval.plans.tests.factories import add_step, make_plan


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
