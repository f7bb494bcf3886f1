"""Personas shared by every test.

alice   – coach at Ludvika kommun's arbetsmarknadsenhet (owns a caseload)
bob     – read-only colleague at the same unit
charlie – coach at Smedjebacken kommun (another municipality, another secrecy domain)
dana    – administrator (no unit)
erik    – evaluator at Region Dalarna
karin   – KAA-ansvarig at Ludvika kommun's KAA unit (holds Ludvika's KAA/UVAS register)
sven    – KAA-ansvarig at Smedjebacken kommun's KAA unit (another municipality's register)
frida   – partner handläggare at Arbetsförmedlingen Ludvika (sees persons only under consent)
pia     – project leader of `project` (a project role), at Ludvika's unit
ditte   – dataskyddsombud (data-protection officer) at Ludvika kommun's kommunledningskontor:
          register extracts and legal holds across every unit, no person through other pages
"""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from vagval.accounts.models import Role, User
from vagval.accounts.tests.factories import UserFactory
from vagval.audit.services import AccessContext
from vagval.common import scoping
from vagval.organisations.models import OrganisationKind, Project, Unit
from vagval.organisations.tests.factories import OrganisationFactory, ProjectFactory, UnitFactory, municipality
from vagval.people.models import Person
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory


@pytest.fixture(autouse=True, scope="session")
def _test_code_unscoped():
    """Test code (fixtures, module worlds, test bodies) sets up and inspects rows directly: a
    named exception to the scope rule. Every request a test sends starts without a scope again
    (common.scoping.ScopeMiddleware), and jobs name their own actor, so the code under test is
    held to the rule."""
    with scoping.unscoped("testkod: förberedelser och kontroller"):
        yield


@pytest.fixture(autouse=True)
def _swedish_after_each_test():
    """A request in English leaves English active in the thread: the next test starts in Swedish."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def keep_connections_open(monkeypatch):
    """For tests that run a command through its command line (execute_from_command_line,
    `vagval …`): Django closes every connection when such a command ends, which on PostgreSQL
    would close the test's own transaction under it."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.fixture
def ludvika_unit(db) -> Unit:
    org = OrganisationFactory(
        name="Ludvika kommun", kind=OrganisationKind.MUNICIPALITY, municipality=municipality("2085")
    )
    return UnitFactory(organisation=org, name="Arbetsmarknadsenheten")


@pytest.fixture
def smedjebacken_unit(db) -> Unit:
    org = OrganisationFactory(
        name="Smedjebackens kommun", kind=OrganisationKind.MUNICIPALITY, municipality=municipality("2061")
    )
    return UnitFactory(organisation=org, name="Arbetsmarknadsenheten")


@pytest.fixture
def ludvika_kaa_unit(ludvika_unit) -> Unit:
    return UnitFactory(organisation=ludvika_unit.organisation, name="KAA/Gymnasieskolan")


@pytest.fixture
def smedjebacken_kaa_unit(smedjebacken_unit) -> Unit:
    return UnitFactory(organisation=smedjebacken_unit.organisation, name="KAA")


@pytest.fixture
def af_unit(db) -> Unit:
    return UnitFactory(
        organisation=OrganisationFactory(name="Arbetsförmedlingen", kind=OrganisationKind.EMPLOYMENT_SERVICE),
        name="Ludvika",
    )


@pytest.fixture
def fk_unit(db) -> Unit:
    return UnitFactory(
        organisation=OrganisationFactory(name="Försäkringskassan", kind=OrganisationKind.SOCIAL_INSURANCE),
        name="Borlänge",
    )


@pytest.fixture
def project(db) -> Project:
    return ProjectFactory(name="VBU insatser för ungdomar")


@pytest.fixture
def alice(ludvika_unit) -> User:
    return UserFactory(username="alice", first_name="Alice", unit=ludvika_unit, role=Role.COACH)


@pytest.fixture
def bob(ludvika_unit) -> User:
    return UserFactory(username="bob", first_name="Bob", unit=ludvika_unit, role=Role.COACH, read_only=True)


@pytest.fixture
def charlie(smedjebacken_unit) -> User:
    return UserFactory(username="charlie", first_name="Charlie", unit=smedjebacken_unit, role=Role.COACH)


@pytest.fixture
def dana(db) -> User:
    return UserFactory(username="dana", first_name="Dana", unit=None, role=Role.ADMIN)


@pytest.fixture
def erik(db) -> User:
    region = OrganisationFactory(name="Region Dalarna", kind=OrganisationKind.REGION)
    return UserFactory(username="erik", unit=UnitFactory(organisation=region, name="FoU"), role=Role.EVALUATOR)


@pytest.fixture
def karin(ludvika_kaa_unit) -> User:
    return UserFactory(username="karin", first_name="Karin", unit=ludvika_kaa_unit, role=Role.KAA)


@pytest.fixture
def sven(smedjebacken_kaa_unit) -> User:
    return UserFactory(username="sven", first_name="Sven", unit=smedjebacken_kaa_unit, role=Role.KAA)


@pytest.fixture
def frida(af_unit) -> User:
    return UserFactory(username="frida", first_name="Frida", unit=af_unit, role=Role.PARTNER)


@pytest.fixture
def pia(ludvika_unit, project) -> User:
    from vagval.accounts.models import ProjectRole

    user = UserFactory(username="pia", first_name="Pia", unit=ludvika_unit, role=Role.PROJECT_LEADER)
    ProjectRole.objects.create(user=user, project=project, role=Role.PROJECT_LEADER)
    return user


@pytest.fixture
def ditte(ludvika_unit) -> User:
    office = UnitFactory(organisation=ludvika_unit.organisation, name="Kommunledningskontoret")
    return UserFactory(username="ditte", first_name="Ditte", unit=office, role=Role.DATA_PROTECTION)


@pytest.fixture
def alices_person(alice, project) -> Person:
    """A young person enrolled at Ludvika with alice as responsible coach."""
    person = PersonFactory(first_name="Moa", last_name="Provsson", unit=alice.unit)
    EnrolmentFactory(person=person, project=project, unit=alice.unit, coach=alice)
    return person


@pytest.fixture
def charlies_person(charlie, project) -> Person:
    person = PersonFactory(first_name="Ville", last_name="Testberg", unit=charlie.unit)
    EnrolmentFactory(person=person, project=project, unit=charlie.unit, coach=charlie)
    return person


def ctx_for(user: User) -> AccessContext:
    return AccessContext(user=user, client_address="127.0.0.1")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice) -> Client:
    return client_for(alice)


@pytest.fixture
def bob_client(bob) -> Client:
    return client_for(bob)


@pytest.fixture
def charlie_client(charlie) -> Client:
    return client_for(charlie)


@pytest.fixture
def karin_client(karin) -> Client:
    return client_for(karin)


@pytest.fixture
def sven_client(sven) -> Client:
    return client_for(sven)


@pytest.fixture
def frida_client(frida) -> Client:
    return client_for(frida)


@pytest.fixture
def pia_client(pia) -> Client:
    return client_for(pia)


@pytest.fixture
def ditte_client(ditte) -> Client:
    """Logged in and past the second factor, which the data-protection role always needs."""
    from vagval.accounts.tests.helpers import verified_admin_client

    return verified_admin_client(ditte)
