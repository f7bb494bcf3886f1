import datetime as dt

import factory

from vagval.common.identity import luhn_check_digit
from vagval.organisations.tests.factories import ProjectFactory, UnitFactory
from vagval.people.models import Enrolment, EnrolmentStatus, Gender, IdentityType, Person


def make_personnummer(birth: dt.date, serial: int) -> str:
    """A valid 12-digit personnummer for a made-up person (serial 1-999)."""
    nine = f"{birth:%y%m%d}{serial:03d}"
    return f"{birth:%Y%m%d}{serial:03d}{luhn_check_digit(nine)}"


def make_samordningsnummer(birth: dt.date, serial: int) -> str:
    nine = f"{birth:%y%m}{birth.day + 60:02d}{serial:03d}"
    return f"{birth:%Y%m}{birth.day + 60:02d}{serial:03d}{luhn_check_digit(nine)}"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Testa{n}")
    last_name = factory.Sequence(lambda n: f"Exempelsson{n}")
    id_type = IdentityType.PERSONNUMMER
    birth_date = dt.date(2005, 3, 14)
    id_number = factory.Sequence(lambda n: make_personnummer(dt.date(2005, 3, 14), n % 999 + 1))
    gender = Gender.WOMAN
    address = "Provgatan 1"
    postal_code = "77130"
    city = "Ludvika"
    phone = "070-000 00 00"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    person = factory.SubFactory(PersonFactory)
    project = factory.SubFactory(ProjectFactory)
    unit = factory.SubFactory(UnitFactory)
    status = EnrolmentStatus.ACTIVE
    starts_on = dt.date(2026, 1, 15)
