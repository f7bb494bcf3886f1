import factory

from vagval.accounts.models import Role, User
from vagval.organisations.tests.factories import UnitFactory

PASSWORD = "testlosenord-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Förnamn{n}")
    last_name = "Testsson"
    unit = factory.SubFactory(UnitFactory)
    role = Role.COACH
    password = factory.django.Password(PASSWORD)
