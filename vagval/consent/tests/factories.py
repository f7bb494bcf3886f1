import datetime as dt

import factory

from vagval.consent.models import ALL_CATEGORIES, Consent, ConsentForm, ConsentRecipient


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    purpose = "Samordning av stöd inför praktik"
    form = ConsentForm.WRITTEN
    categories = factory.LazyFunction(lambda: sorted(ALL_CATEGORIES))
    valid_from = dt.date(2026, 1, 1)
    valid_to = dt.date(2027, 12, 31)


def share(person, *, documented_by, to_unit, categories=None, **kwargs) -> Consent:
    """A consent documented at `documented_by`'s unit naming `to_unit` as recipient."""
    consent = ConsentFactory(
        person=person,
        unit=documented_by.unit,
        recorded_by=documented_by,
        categories=sorted(categories if categories is not None else ALL_CATEGORIES),
        **kwargs,
    )
    ConsentRecipient.objects.create(consent=consent, unit=to_unit)
    return consent
