"""The person page's ESF+ section asks first, by hand, whether the person has an ESF-funded
enrolment at the viewer's unit: the same answer as the rows' queryset, and the same rows."""

import pytest

from vagval.esf.models import EsfProject
from vagval.esf.selectors import esf_enrolled_at, person_esf_rows
from vagval.esf.tests.factories import EsfEntryFactory, EsfProjectFactory
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.models import Enrolment
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_the_hand_check_answers_what_the_queryset_answers(alice, charlie):
    funded, plain = EsfProjectFactory().project, ProjectFactory()
    in_funded, in_plain, elsewhere, nowhere = (PersonFactory() for _ in range(4))
    EnrolmentFactory(person=in_funded, project=funded, unit=alice.unit)
    EnrolmentFactory(person=in_funded, project=plain, unit=alice.unit)
    EnrolmentFactory(person=in_plain, project=plain, unit=alice.unit)
    EnrolmentFactory(person=elsewhere, project=funded, unit=charlie.unit)
    for person in (in_funded, in_plain, elsewhere, nowhere):
        for unit_id in (alice.unit_id, charlie.unit_id):
            expected = Enrolment.objects.filter(
                person=person, unit_id=unit_id, project_id__in=EsfProject.objects.values("project_id")
            ).exists()
            assert esf_enrolled_at(person_id=person.pk, unit_id=unit_id) is expected
    assert [r.enrolment.project for r in person_esf_rows(viewer=alice, person_id=in_funded.pk)] == [funded]
    assert person_esf_rows(viewer=alice, person_id=in_plain.pk) == []


def test_the_rows_carry_the_entry(alice):
    enrolment = EnrolmentFactory(project=EsfProjectFactory().project, unit=alice.unit)
    entry = EsfEntryFactory(enrolment=enrolment)
    [row] = person_esf_rows(viewer=alice, person_id=enrolment.person_id)
    assert row.entry == entry
