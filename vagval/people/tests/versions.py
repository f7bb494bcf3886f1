"""The version an edit form shows (common/versions.py), for tests that post edit forms directly."""

from vagval.access.checks import person_access
from vagval.people.services import enrolment_version, person_version


def person_form_version(viewer, person):
    person.refresh_from_db()
    return person_version(person=person, access=person_access(viewer=viewer, person=person))


def enrolment_form_version(enrolment):
    enrolment.refresh_from_db()
    return enrolment_version(enrolment=enrolment)


def person_form_data(person, version, **overrides):
    """The person edit form as it was shown (version included), with `overrides` typed in."""
    data = {
        "version": version,
        "id_type": person.id_type,
        "id_number": person.id_number,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "gender": person.gender,
        "protection": person.protection,
        "address": person.address,
        "postal_code": person.postal_code,
        "city": person.city,
        "phone": person.phone,
        "email": person.email,
        "home_municipality": "",
    }
    data.update(overrides)
    return data
