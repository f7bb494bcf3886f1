"""Lists, overdue flags and counts, and the response-time figure."""

import datetime as dt

import pytest

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.consent import services as consent_services
from vagval.consent.tests.factories import share
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory
from vagval.referrals import selectors
from vagval.referrals.models import Referral, ReferralStatus
from vagval.referrals.tests.factories import STOCKHOLM, ReferralFactory

DEADLINE = dt.date(2026, 3, 9)


@pytest.fixture
def consent(alice, af_unit, alices_person):
    return share(alices_person, documented_by=alice, to_unit=af_unit)


def _referral(alice, person, unit, consent, **kwargs):
    return ReferralFactory(person=person, from_user=alice, to_unit=unit, consent=consent, **kwargs)


@pytest.mark.parametrize(
    ("status", "today", "overdue"),
    [
        (ReferralStatus.SENT, DEADLINE, False),
        (ReferralStatus.SENT, DEADLINE + dt.timedelta(days=1), True),
        (ReferralStatus.MORE_INFO_REQUESTED, DEADLINE + dt.timedelta(days=1), True),
        (ReferralStatus.ACCEPTED, DEADLINE + dt.timedelta(days=30), False),
        (ReferralStatus.DECLINED, DEADLINE + dt.timedelta(days=30), False),
        (ReferralStatus.WITHDRAWN, DEADLINE + dt.timedelta(days=30), False),
    ],
)
def test_a_referral_is_overdue_only_while_open_and_after_its_deadline(status, today, overdue):
    referral = Referral(status=status, response_deadline=DEADLINE)
    assert selectors.is_overdue(referral, today=today) is overdue


def test_both_sides_see_the_overdue_flag_and_the_count(alice, frida, af_unit, alices_person, consent):
    late = _referral(alice, alices_person, af_unit, consent)
    _referral(alice, alices_person, af_unit, consent, response_deadline=dt.date(2026, 4, 1))
    _referral(alice, alices_person, af_unit, consent, status=ReferralStatus.ACCEPTED)
    today = dt.date(2026, 3, 10)
    outgoing = selectors.referrals_outgoing(viewer=alice, ctx=ctx_for(alice), today=today)
    incoming = selectors.referrals_incoming(viewer=frida, ctx=ctx_for(frida), today=today)
    for rows in (outgoing, incoming):
        assert len(rows) == 3
        assert rows[0].referral == late
        assert [row.overdue for row in rows] == [True, False, False]
    assert selectors.referral_overdue_counts(viewer=alice, today=today) == selectors.OverdueCounts(0, 1)
    assert selectors.referral_overdue_counts(viewer=frida, today=today) == selectors.OverdueCounts(1, 0)


def test_the_recipient_list_and_count_follow_the_consent(alice, frida, af_unit, alices_person, consent):
    _referral(alice, alices_person, af_unit, consent)
    today = dt.date(2026, 3, 10)
    consent_services.consent_withdraw(ctx=ctx_for(alice), consent=consent)
    assert selectors.referrals_incoming(viewer=frida, ctx=ctx_for(frida), today=today) == []
    assert selectors.referral_overdue_counts(viewer=frida, today=today).total == 0
    assert len(selectors.referrals_outgoing(viewer=alice, ctx=ctx_for(alice), today=today)) == 1


def test_other_units_see_none_of_it(alice, charlie, harald, dana, af_unit, alices_person, consent):
    _referral(alice, alices_person, af_unit, consent)
    for outsider in (charlie, harald, dana):
        assert selectors.referrals_incoming(viewer=outsider, ctx=ctx_for(outsider)) == []
        assert selectors.referrals_outgoing(viewer=outsider, ctx=ctx_for(outsider)) == []
        assert selectors.referral_overdue_counts(viewer=outsider).total == 0
        assert selectors.referral_response_times(viewer=outsider) == []


def test_listing_logs_each_person_shown_with_the_consent(alice, frida, af_unit, alices_person, consent):
    _referral(alice, alices_person, af_unit, consent)
    selectors.referrals_incoming(viewer=frida, ctx=ctx_for(frida))
    entry = AccessLogEntry.objects.get(action="referral.listed")
    assert (entry.person_id, entry.basis, entry.consent_id) == (alices_person.pk, "consent", consent.pk)


def test_the_person_page_list_shows_only_this_units_referrals(alice, frida, af_unit, ifo_unit, alices_person, consent):
    to_af = _referral(alice, alices_person, af_unit, consent)
    ifo_consent = share(alices_person, documented_by=alice, to_unit=ifo_unit)
    _referral(alice, alices_person, ifo_unit, ifo_consent)
    rows = selectors.referrals_for_person(viewer=frida, ctx=ctx_for(frida), person_id=alices_person.pk)
    assert [row.referral for row in rows] == [to_af]
    assert len(selectors.referrals_for_person(viewer=alice, ctx=ctx_for(alice), person_id=alices_person.pk)) == 2


def test_recipient_choices_are_the_units_a_valid_own_consent_names(alice, charlie, af_unit, ifo_unit, alices_person):
    share(alices_person, documented_by=alice, to_unit=af_unit)
    EnrolmentFactory(person=alices_person, unit=charlie.unit, coach=charlie)
    share(alices_person, documented_by=charlie, to_unit=ifo_unit)  # Smedjebacken's consent, not Ludvika's
    view = selectors.referral_new_get(viewer=alice, ctx=ctx_for(alice), person_id=alices_person.pk)
    assert view.recipients == [af_unit]


def _answered(alice, person, unit, consent, hours):
    sent = dt.datetime(2026, 3, 2, 9, 0, tzinfo=STOCKHOLM)
    return _referral(
        alice, person, unit, consent, status=ReferralStatus.ACCEPTED, sent_at=sent,
        first_action_at=sent + dt.timedelta(hours=hours),
    )  # fmt: skip


def test_median_days_to_first_action_per_partner_on_hand_computed_data(alice, charlie, af_unit, ifo_unit, consent):
    person = consent.person
    ifo_consent = share(person, documented_by=alice, to_unit=ifo_unit)
    # AF: 1, 2.5 and 4 days → median 2.5; one still waiting, one withdrawn unanswered (left out).
    for hours in (24, 60, 96):
        _answered(alice, person, af_unit, consent, hours)
    _referral(alice, person, af_unit, consent)
    _referral(alice, person, af_unit, consent, status=ReferralStatus.WITHDRAWN)
    # IFO: 0.5 and 3.25 days → median 1.875 → 1.9.
    for hours in (12, 78):
        _answered(alice, person, ifo_unit, ifo_consent, hours)
    # Another unit's referral is not counted.
    other_person = PersonFactory()
    EnrolmentFactory(person=other_person, unit=charlie.unit, coach=charlie)
    _referral(charlie, other_person, af_unit, share(other_person, documented_by=charlie, to_unit=af_unit))

    rows = selectors.referral_response_times(viewer=alice)
    table = [(row.unit, row.sent, row.answered, row.waiting, row.median_days) for row in rows]
    assert table == [
        (af_unit, 4, 3, 1, 2.5),
        (ifo_unit, 2, 2, 0, 1.9),
        (None, 6, 5, 1, 2.5),  # all partners: 0.5, 1, 2.5, 3.25, 4
    ]


def test_response_times_can_start_from_a_date(alice, af_unit, consent):
    _answered(alice, consent.person, af_unit, consent, 24)
    assert selectors.referral_response_times(viewer=alice, since=dt.date(2026, 3, 3)) == []
    assert selectors.referral_response_times(viewer=alice, since=dt.date(2026, 3, 2))[0].median_days == 1.0
