"""Consent opens a partner's access at query time, and closes it the same way."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import ctx_for
from vagval.access.checks import person_access, visible_persons
from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.audit.models import AccessLogEntry
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.consent import selectors, services
from vagval.consent.models import Consent, ConsentCategory, ConsentForm
from vagval.consent.tests.factories import share
from vagval.organisations.models import OrganisationKind
from vagval.organisations.tests.factories import OrganisationFactory, UnitFactory
from vagval.people import selectors as people_selectors
from vagval.people.models import Protection


def _data(af_unit, **overrides):
    values = dict(
        recipient_unit_ids=[af_unit.pk],
        categories=[ConsentCategory.IDENTITY, ConsentCategory.PLAN],
        purpose="Planera praktik tillsammans",
        form=ConsentForm.WRITTEN,
        valid_from=timezone.localdate(),
        valid_to=timezone.localdate() + dt.timedelta(days=365),
    )
    values.update(overrides)
    return services.ConsentData(**values)


def test_a_partner_sees_nobody_without_consent(frida, alices_person):
    assert person_access(viewer=frida, person=alices_person) is None
    assert not visible_persons(viewer=frida).exists()


def test_a_valid_consent_opens_only_the_categories_it_covers(alice, frida, af_unit, alices_person):
    consent = services.consent_record(ctx=ctx_for(alice), person=alices_person, data=_data(af_unit))
    access = person_access(viewer=frida, person=alices_person)
    assert access.basis == "consent"
    assert access.consent_id == consent.pk
    assert access.may_see(ConsentCategory.PLAN)
    assert not access.may_see(ConsentCategory.NOTES)
    assert not access.can_write
    assert list(visible_persons(viewer=frida)) == [alices_person]


def test_viewing_under_consent_logs_the_consent(alice, frida, af_unit, alices_person):
    consent = services.consent_record(ctx=ctx_for(alice), person=alices_person, data=_data(af_unit))
    people_selectors.person_get(viewer=frida, ctx=ctx_for(frida), person_id=alices_person.pk)
    entry = AccessLogEntry.objects.get(action="person.viewed")
    assert (entry.basis, entry.consent_id) == ("consent", consent.pk)


def test_withdrawal_closes_access_on_the_next_request(alice, frida, af_unit, alices_person):
    consent = services.consent_record(ctx=ctx_for(alice), person=alices_person, data=_data(af_unit))
    services.consent_withdraw(ctx=ctx_for(alice), consent=consent, note="Den unga återkallade muntligt")
    assert person_access(viewer=frida, person=alices_person) is None
    with pytest.raises(NotFound):
        people_selectors.person_get(viewer=frida, ctx=ctx_for(frida), person_id=alices_person.pk)


def test_withdrawal_for_one_recipient_leaves_the_others(alice, frida, af_unit, alices_person):
    fk_unit = UnitFactory(
        organisation=OrganisationFactory(name="Försäkringskassan", kind=OrganisationKind.SOCIAL_INSURANCE)
    )
    fk_user = UserFactory(username="fk", unit=fk_unit, role=Role.PARTNER)
    consent = services.consent_record(
        ctx=ctx_for(alice), person=alices_person, data=_data(af_unit, recipient_unit_ids=[af_unit.pk, fk_unit.pk])
    )
    services.consent_withdraw(ctx=ctx_for(alice), consent=consent, recipient_unit_id=af_unit.pk)
    assert person_access(viewer=frida, person=alices_person) is None
    assert person_access(viewer=fk_user, person=alices_person) is not None


def test_a_recipient_may_record_withdrawal_for_itself_only(alice, frida, af_unit, alices_person):
    consent = services.consent_record(ctx=ctx_for(alice), person=alices_person, data=_data(af_unit))
    with pytest.raises(NotFound):
        services.consent_withdraw(ctx=ctx_for(frida), consent=consent)
    services.consent_withdraw(ctx=ctx_for(frida), consent=consent, recipient_unit_id=af_unit.pk)
    assert person_access(viewer=frida, person=alices_person) is None


def test_an_expired_or_future_consent_gives_no_access(alice, frida, af_unit, alices_person):
    today = timezone.localdate()
    share(
        alices_person,
        documented_by=alice,
        to_unit=af_unit,
        valid_from=today - dt.timedelta(days=30),
        valid_to=today - dt.timedelta(days=1),
    )
    share(
        alices_person,
        documented_by=alice,
        to_unit=af_unit,
        valid_from=today + dt.timedelta(days=1),
        valid_to=today + dt.timedelta(days=30),
    )
    assert person_access(viewer=frida, person=alices_person) is None


def test_a_consent_is_valid_through_its_last_day(alice, frida, af_unit, alices_person):
    today = timezone.localdate()
    share(alices_person, documented_by=alice, to_unit=af_unit, valid_from=today, valid_to=today)
    assert person_access(viewer=frida, person=alices_person) is not None


def test_protected_persons_are_never_shared_with_partners(alice, frida, af_unit, alices_person):
    share(alices_person, documented_by=alice, to_unit=af_unit)
    alices_person.protection = Protection.CONFIDENTIALITY_MARK
    alices_person.save()
    assert person_access(viewer=frida, person=alices_person) is None
    assert not visible_persons(viewer=frida).exists()
    with pytest.raises(InvalidInput, match="skyddade personuppgifter"):
        services.consent_record(ctx=ctx_for(alice), person=alices_person, data=_data(af_unit))


def test_contact_details_need_the_identity_category(alice, frida, af_unit, alices_person):
    share(alices_person, documented_by=alice, to_unit=af_unit, categories=[ConsentCategory.PLAN])
    access = person_access(viewer=frida, person=alices_person)
    assert not access.sees_contact_details
    assert not access.sees_identity_number


def test_only_a_writer_at_the_own_unit_records_consent(bob, charlie, frida, af_unit, alices_person):
    with pytest.raises(PermissionDenied):
        services.consent_record(ctx=ctx_for(bob), person=alices_person, data=_data(af_unit))
    with pytest.raises(NotFound):
        services.consent_record(ctx=ctx_for(charlie), person=alices_person, data=_data(af_unit))


def test_consent_form_errors_are_swedish_and_nothing_is_saved(alice, af_unit, alices_person):
    bad = _data(
        af_unit, recipient_unit_ids=[], categories=[], purpose=" ", valid_to=timezone.localdate() - dt.timedelta(days=1)
    )
    with pytest.raises(InvalidInput) as err:
        services.consent_record(ctx=ctx_for(alice), person=alices_person, data=bad)
    assert set(err.value.field_errors) == {"recipient_unit_ids", "categories", "purpose", "valid_to"}
    assert not alices_person.consents.exists()


def test_consents_expiring_within_30_days_show_for_the_responsible_coach(alice, bob, af_unit, alices_person):
    today = timezone.localdate()
    share(alices_person, documented_by=alice, to_unit=af_unit, valid_from=today, valid_to=today + dt.timedelta(days=10))
    share(alices_person, documented_by=alice, to_unit=af_unit, valid_from=today, valid_to=today + dt.timedelta(days=90))
    expiring = selectors.consents_expiring(viewer=alice)
    assert [e.days_left for e in expiring] == [10]
    assert selectors.consents_expiring(viewer=bob) == []


def test_only_active_consents_of_the_own_unit_count_as_expiring(alice, charlie, af_unit, alices_person, project):
    from vagval.people.tests.factories import EnrolmentFactory

    today = timezone.localdate()
    soon = {"valid_from": today - dt.timedelta(days=5), "valid_to": today + dt.timedelta(days=10)}
    withdrawn = share(alices_person, documented_by=alice, to_unit=af_unit, **soon)
    Consent.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now(), withdrawn_by=alice)
    share(
        alices_person,
        documented_by=alice,
        to_unit=af_unit,
        valid_from=today - dt.timedelta(days=9),
        valid_to=today - dt.timedelta(days=1),
    )
    EnrolmentFactory(person=alices_person, project=project, unit=charlie.unit, coach=charlie)
    share(alices_person, documented_by=charlie, to_unit=af_unit, **soon)  # charlie's unit's consent
    assert selectors.consents_expiring(viewer=alice) == []
    kept = share(alices_person, documented_by=alice, to_unit=af_unit, **soon)
    assert [e.consent.pk for e in selectors.consents_expiring(viewer=alice)] == [kept.pk]


def test_other_units_consents_stay_hidden(alice, charlie, af_unit, alices_person, project):
    from vagval.people.tests.factories import EnrolmentFactory

    EnrolmentFactory(person=alices_person, project=project, unit=charlie.unit, coach=charlie)
    share(alices_person, documented_by=alice, to_unit=af_unit)
    assert selectors.consents_for_person(viewer=charlie, person_id=alices_person.pk) == []
    assert len(selectors.consents_for_person(viewer=alice, person_id=alices_person.pk)) == 1
