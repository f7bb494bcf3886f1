"""The caseload is the coach's start page: expiring consents and overdue referrals come first."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from vagval.consent.tests.factories import share
from vagval.organisations.tests.factories import UnitFactory


def test_a_consent_ending_within_30_days_is_on_the_coachs_start_page(alice, alice_client, alices_person):
    today = timezone.localdate()
    share(
        alices_person,
        documented_by=alice,
        to_unit=UnitFactory(),
        valid_from=today,
        valid_to=today + dt.timedelta(days=7),
    )
    body = alice_client.get(reverse("people:caseload")).content.decode()
    assert "Samtycken som snart upphör" in body
    assert "7 dagar kvar" in body


def test_a_consent_ending_in_90_days_is_not(alice, alice_client, alices_person):
    today = timezone.localdate()
    share(
        alices_person,
        documented_by=alice,
        to_unit=UnitFactory(),
        valid_from=today,
        valid_to=today + dt.timedelta(days=90),
    )
    assert "Samtycken som snart upphör" not in alice_client.get(reverse("people:caseload")).content.decode()


def test_an_overdue_outgoing_referral_is_flagged(alice, alice_client, alices_person):
    from vagval.referrals.models import ReferralStatus
    from vagval.referrals.tests.factories import ReferralFactory

    consent = share(alices_person, documented_by=alice, to_unit=UnitFactory())
    ReferralFactory(
        person=alices_person,
        from_unit=alice.unit,
        from_user=alice,
        to_unit=consent.recipients.get().unit,
        consent=consent,
        status=ReferralStatus.SENT,
        response_deadline=timezone.localdate() - dt.timedelta(days=1),
    )
    body = alice_client.get(reverse("people:caseload")).content.decode()
    assert "Försenade remisser" in body
