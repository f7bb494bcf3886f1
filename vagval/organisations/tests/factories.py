import datetime as dt

import factory

from vagval.organisations.models import Method, Municipality, Organisation, OrganisationKind, Project, Unit


def municipality(code: str) -> Municipality:
    """The real municipality row (loaded by migration 0002)."""
    return Municipality.objects.get(code=code)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.MUNICIPALITY


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Enhet {n}")


class MethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Method
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Metod {n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Projekt {n}")
    starts_on = dt.date(2024, 1, 1)
