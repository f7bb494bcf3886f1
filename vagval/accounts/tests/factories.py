import datetime as dt

import factory
from django.conf import settings
from django.utils import timezone

from vagval.accounts.models import ApiToken, Role, User, hash_token
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


def api_token_create(*, user: User, name: str = "") -> str:
    """A working token for `user`, returned raw: test data, made like a factory row (no log
    entry). The product issues tokens through accounts.services.api_token_issue, which logs."""
    raw = ApiToken.generate()
    ApiToken.objects.create(
        user=user,
        name=name,
        token_hash=hash_token(raw),
        expires_at=timezone.now() + dt.timedelta(days=settings.API_TOKEN_DAYS),
    )
    return raw
