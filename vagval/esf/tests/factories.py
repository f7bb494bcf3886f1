import factory

from vagval.accounts.tests.factories import UserFactory
from vagval.esf.models import Answer, EsfEntry, EsfProject, LabourStatus
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.tests.factories import EnrolmentFactory


class EsfProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EsfProject

    project = factory.SubFactory(ProjectFactory)
    case_number = "2024/00123"


class EsfEntryFactory(factory.django.DjangoModelFactory):
    """A complete entry record (an inactive 20-year-old with upper secondary school)."""

    class Meta:
        model = EsfEntry

    enrolment = factory.SubFactory(EnrolmentFactory)
    person = factory.SelfAttribute("enrolment.person")
    unit = factory.SelfAttribute("enrolment.unit")
    labour_status = LabourStatus.INACTIVE
    isced = 3
    age_at_entry = 20
    disability = Answer.NOT_ASKED
    recorded_by = factory.SubFactory(UserFactory)
