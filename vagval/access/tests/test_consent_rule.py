"""Which unit's secrecy a consent lifts: the unit that documented it, towards its recipients."""

import datetime as dt

from vagval.access.checks import Disclosure, consent_opening, disclosing_recipients, disclosures_to_unit
from vagval.consent.models import ConsentCategory, ConsentRecipient
from vagval.consent.tests.factories import share
from vagval.people.models import Protection
from vagval.people.tests.factories import PersonFactory

TODAY = dt.date(2026, 6, 15)


def test_a_consent_lifts_only_the_secrecy_of_the_unit_that_documented_it(alice, charlie, af_unit, ludvika_unit):
    person = PersonFactory()
    from_ludvika = share(person, documented_by=alice, to_unit=af_unit, categories=[ConsentCategory.PLAN])
    from_smedjebacken = share(person, documented_by=charlie, to_unit=af_unit, categories=[ConsentCategory.NOTES])
    rows = disclosing_recipients(person_id=person.pk, to_unit_id=af_unit.pk, from_unit_id=ludvika_unit.pk, today=TODAY)
    assert [r.consent_id for r in rows] == [from_ludvika.pk]
    assert set(
        disclosing_recipients(person_id=person.pk, to_unit_id=af_unit.pk, today=TODAY).values_list(
            "consent_id", flat=True
        )
    ) == {from_ludvika.pk, from_smedjebacken.pk}
    assert {d.from_unit_id: d.consent_id for d in disclosures_to_unit(person_id=person.pk, unit_id=af_unit.pk)} == {
        ludvika_unit.pk: from_ludvika.pk,
        charlie.unit_id: from_smedjebacken.pk,
    }


def test_a_units_own_consents_are_no_disclosure_to_itself(alice, af_unit, ludvika_unit):
    person = PersonFactory()
    to_itself = share(person, documented_by=alice, to_unit=ludvika_unit)
    ConsentRecipient.objects.create(consent=to_itself, unit=af_unit)
    assert disclosures_to_unit(person_id=person.pk, unit_id=ludvika_unit.pk, today=TODAY) == []
    assert disclosures_to_unit(person_id=person.pk, unit_id=af_unit.pk, today=TODAY) == [
        Disclosure(consent_id=to_itself.pk, from_unit_id=ludvika_unit.pk, categories=to_itself.categories)
    ]


def test_any_recipient_of_the_documenting_unit_when_no_recipient_is_given(alice, af_unit, fk_unit, ludvika_unit):
    person = PersonFactory()
    share(person, documented_by=alice, to_unit=af_unit)
    share(person, documented_by=alice, to_unit=fk_unit, withdrawn_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    units = disclosing_recipients(person_id=person.pk, from_unit_id=ludvika_unit.pk, today=TODAY).values_list(
        "unit_id", flat=True
    )
    assert list(units) == [af_unit.pk]


def test_consent_opening_needs_the_category_and_never_opens_a_protected_person(alice, frida, af_unit, ludvika_unit):
    person = PersonFactory()
    consent = share(person, documented_by=alice, to_unit=af_unit, categories=[ConsentCategory.PLAN])
    opening = {"viewer": frida, "person": person, "disclosing_unit_id": ludvika_unit.pk}
    assert consent_opening(category=ConsentCategory.PLAN, **opening) == consent.pk
    assert consent_opening(category=ConsentCategory.NOTES, **opening) is None
    person.protection = Protection.CONFIDENTIALITY_MARK
    person.save()
    assert consent_opening(category=ConsentCategory.PLAN, **opening) is None
