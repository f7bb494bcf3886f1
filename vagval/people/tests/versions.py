"""The version an edit form shows (common/versions.py), for tests that post edit forms directly."""

from vagval.access.checks import person_access
from vagval.people.services import enrolment_version, person_version


def person_form_version(viewer, person):
    person.refresh_from_db()
    return person_version(person=person, access=person_access(viewer=viewer, person=person))


def enrolment_form_version(enrolment):
    enrolment.refresh_from_db()
    return enrolment_version(enrolment=enrolment)
