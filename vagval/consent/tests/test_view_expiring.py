"""The start-page partial: consents that end within 30 days, for the responsible coach."""

import datetime as dt

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.consent import selectors
from vagval.consent.tests.factories import share
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory


def _render(user):
    items = selectors.start_page_items(viewer=user, ctx=ctx_for(user))
    return render_to_string("consent/_expiring.html", {"expiring_consents": items})


def test_a_consent_ending_within_30_days_is_shown_but_not_one_ending_in_90(alice, alices_person, af_unit, project):
    today = timezone.localdate()
    soon = share(
        alices_person, documented_by=alice, to_unit=af_unit, valid_from=today, valid_to=today + dt.timedelta(days=12)
    )
    later_person = PersonFactory(first_name="Sen", last_name="Senare")
    EnrolmentFactory(person=later_person, project=project, unit=alice.unit, coach=alice)
    share(later_person, documented_by=alice, to_unit=af_unit, valid_from=today, valid_to=today + dt.timedelta(days=90))
    html = _render(alice)
    assert "Samtycken som snart upphör" in html
    assert reverse("people:detail", args=[alices_person.pk]) in html
    assert "Moa Provsson" in html
    assert "12 dagar kvar" in html
    assert f"gäller till och med {soon.valid_to.isoformat()}" in html
    assert reverse("consent:detail", args=[soon.pk]) in html
    assert "Sen Senare" not in html


def test_the_last_day_says_today(alice, alices_person, af_unit):
    today = timezone.localdate()
    share(alices_person, documented_by=alice, to_unit=af_unit, valid_from=today, valid_to=today)
    assert "sista dagen i dag" in _render(alice)


def test_one_day_left_is_singular(alice, alices_person, af_unit):
    today = timezone.localdate()
    share(alices_person, documented_by=alice, to_unit=af_unit, valid_from=today, valid_to=today + dt.timedelta(days=1))
    assert "1 dag kvar" in _render(alice)


def test_nothing_to_show_says_so(alice):
    assert "Inga samtycken upphör de närmaste 30 dagarna." in _render(alice)


def test_each_person_shown_is_logged_once(alice, alices_person, af_unit):
    today = timezone.localdate()
    for days in (5, 20):
        share(
            alices_person,
            documented_by=alice,
            to_unit=af_unit,
            valid_from=today,
            valid_to=today + dt.timedelta(days=days),
        )
    _render(alice)
    entries = list(AccessLogEntry.objects.all())
    assert [(e.action, e.person_id) for e in entries] == [("consent.expiring_listed", alices_person.pk)]


def test_other_users_see_nothing(bob, charlie, frida, alices_person, alice, af_unit):
    today = timezone.localdate()
    share(alices_person, documented_by=alice, to_unit=af_unit, valid_from=today, valid_to=today + dt.timedelta(days=3))
    for user in (bob, charlie, frida):
        assert "Moa Provsson" not in _render(user)
