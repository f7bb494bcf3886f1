import datetime as dt
import zoneinfo

import factory

from vagval.referrals.models import Referral, ReferralStatus

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral row as it would be stored; pass person, from_user, to_unit and consent."""

    class Meta:
        model = Referral

    from_unit = factory.LazyAttribute(lambda o: o.from_user.unit)
    reason = "Behöver stöd"
    requested_measure = "Praktik"
    status = ReferralStatus.SENT
    sent_at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=STOCKHOLM)
    response_deadline = dt.date(2026, 3, 9)
