"""The person page's referrals (person_page_referrals, read by hand) against referrals_for_person."""

import datetime as dt

import pytest

from conftest import ctx_for
from vagval.access.checks import person_access
from vagval.audit.models import AccessLogEntry
from vagval.consent.tests.factories import share
from vagval.referrals import selectors
from vagval.referrals.models import ReferralStatus
from vagval.referrals.tests.factories import STOCKHOLM, ReferralFactory

TODAY = dt.date(2026, 3, 10)


def _sent(day, hour=9):
    return dt.datetime(2026, 3, day, hour, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def referrals(alice, frida, af_unit, ifo_unit, alices_person):
    """Open (overdue and not), closed and other units' referrals about alice's person, both ways."""
    to_af = share(alices_person, documented_by=alice, to_unit=af_unit)
    to_ifo = share(alices_person, documented_by=alice, to_unit=ifo_unit)
    made = []
    for n, (unit, consent, status, deadline) in enumerate(
        [
            (af_unit, to_af, ReferralStatus.SENT, dt.date(2026, 3, 20)),
            (af_unit, to_af, ReferralStatus.SENT, dt.date(2026, 3, 9)),  # overdue
            (af_unit, to_af, ReferralStatus.MORE_INFO_REQUESTED, dt.date(2026, 3, 5)),  # overdue
            (af_unit, to_af, ReferralStatus.ACCEPTED, dt.date(2026, 3, 1)),
            (af_unit, to_af, ReferralStatus.DECLINED, dt.date(2026, 3, 2)),
            (ifo_unit, to_ifo, ReferralStatus.SENT, dt.date(2026, 3, 12)),
            (ifo_unit, to_ifo, ReferralStatus.WITHDRAWN, dt.date(2026, 3, 3)),
        ]
    ):
        made.append(
            ReferralFactory(
                person=alices_person,
                from_user=alice,
                to_unit=unit,
                consent=consent,
                status=status,
                response_deadline=deadline,
                sent_at=_sent(1 + n),
                decline_reason="Ingen plats" if status == ReferralStatus.DECLINED else "",
            )
        )
    # Frida's unit writing back to alice's: a referral the other way.
    made.append(
        ReferralFactory(person=alices_person, from_user=frida, to_unit=alice.unit, consent=to_af, sent_at=_sent(9))
    )
    return made


def _rows(rows):
    return [(row.referral.pk, row.overdue, str(row.referral.from_unit), str(row.referral.to_unit)) for row in rows]


def _entries(after=0):
    entries = AccessLogEntry.objects.filter(pk__gt=after).order_by("pk")
    return [(e.action, e.person_id, e.basis, e.consent_id) for e in entries]


@pytest.mark.parametrize("persona", ["alice", "bob", "frida", "harald", "charlie"])
def test_it_gives_the_rows_and_log_entries_of_referrals_for_person(request, persona, referrals, alices_person):
    viewer = request.getfixturevalue(persona)
    access = person_access(viewer=viewer, person=alices_person)
    old = selectors.referrals_for_person(viewer=viewer, ctx=ctx_for(viewer), person_id=alices_person.pk, today=TODAY)
    old_entries, last = _entries(), AccessLogEntry.objects.order_by("pk").last()
    if access is None:  # the page answers 404 before asking for the section
        assert old == []
        return
    new = selectors.person_page_referrals(ctx=ctx_for(viewer), person=alices_person, access=access, today=TODAY)
    assert _rows(new) == _rows(old)
    assert _entries(after=last.pk if last else 0) == old_entries
    assert persona in ("alice", "bob") or len(new) < len(referrals)


def test_no_referrals_gives_no_rows_and_no_entry(alice, alices_person):
    access = person_access(viewer=alice, person=alices_person)
    assert selectors.person_page_referrals(ctx=ctx_for(alice), person=alices_person, access=access) == []
    assert not AccessLogEntry.objects.exists()
