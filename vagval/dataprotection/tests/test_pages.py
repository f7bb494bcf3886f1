"""The data-protection pages for every persona, with the data-protection officer (ditte) as the
column the shared sweep does not have, and the pages' flows: a rule saved, a dry run, its
approval, a hold placed and lifted (each logged)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from conftest import client_for
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.dataprotection.models import LegalHold, RetentionReview, RetentionRule, ReviewStatus
from vagval.dataprotection.tests.helpers import file_at, rule_for

PAGES = ("rules", "rule_create", "deletion_log", "holds", "extract")


@pytest.fixture
def dana_client(dana):
    return verified_admin_client(dana)


@pytest.mark.parametrize(
    ("name", "ditte_gets", "dana_gets"),
    [
        ("rules", 403, 200),
        ("rule_create", 403, 200),
        ("deletion_log", 200, 200),
        ("holds", 200, 403),
        ("extract", 200, 403),
    ],
)
def test_each_role_gets_its_own_pages(ditte_client, dana_client, alice_client, name, ditte_gets, dana_gets):
    url = reverse(f"dataprotection:{name}")
    assert ditte_client.get(url).status_code == ditte_gets
    assert dana_client.get(url).status_code == dana_gets
    assert alice_client.get(url).status_code == 403


def test_the_data_protection_officer_sees_no_person_through_the_ordinary_pages(ditte_client, alices_person):
    assert ditte_client.get(reverse("people:detail", args=[alices_person.pk])).status_code == 404
    response = ditte_client.get(reverse("home"))
    assert response["Location"] == reverse("dataprotection:extract")


def test_the_data_protection_officer_needs_the_second_factor(ditte):
    response = client_for(ditte).get(reverse("dataprotection:extract"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))


def test_an_administrator_saves_a_rule_and_it_is_logged(dana_client, dana, ludvika_unit):
    response = dana_client.post(
        reverse("dataprotection:rule_create"),
        {
            "organisation": ludvika_unit.organisation.pk,
            "record_type": "person_file",
            "years_after_last_entry": 5,
            "by_end_of_following_year": "on",
            "keep_while_other_records": "on",
            "research_exception": "on",
            "decision_reference": "KS 2026/123",
            "active": "on",
        },
    )
    rule = RetentionRule.objects.get()
    assert response["Location"] == reverse("dataprotection:rule", args=[rule.pk])
    assert rule.research_exception
    assert AccessLogEntry.objects.filter(user=dana, action="retention.rule_saved").count() == 1


def test_an_access_log_rule_needs_its_months(dana_client, ludvika_unit):
    response = dana_client.post(
        reverse("dataprotection:rule_create"),
        {
            "organisation": ludvika_unit.organisation.pk,
            "record_type": "access_log",
            "years_after_last_entry": 1,
            "decision_reference": "KS 1",
        },
    )
    assert "Ange efter hur många månader loggposterna gallras." in response.content.decode()


def test_a_second_rule_for_the_same_type_is_a_swedish_field_error(dana_client, dana, ludvika_unit):
    rule_for(ludvika_unit, dana)
    response = dana_client.post(
        reverse("dataprotection:rule_create"),
        {
            "organisation": ludvika_unit.organisation.pk,
            "record_type": "person_file",
            "years_after_last_entry": 5,
            "decision_reference": "KS 2",
        },
    )
    # The form's own constraint check answers first; the service refuses the same (rule_save).
    assert "Gallringsregel med samma Organisation och Typ av uppgifter finns redan." in response.content.decode()


def test_the_dry_run_page_shows_references_and_no_names_then_asks_for_approval(dana_client, dana, ludvika_unit):
    person = file_at(ludvika_unit, last_entry=dt.date(2015, 1, 1))
    rule = rule_for(ludvika_unit, dana)
    response = dana_client.post(reverse("dataprotection:dry_run", args=[rule.pk]))
    review = RetentionReview.objects.get()
    page = dana_client.get(response["Location"]).content.decode()
    assert "G-" in page
    assert person.last_name not in page
    assert person.id_number not in page
    assert person.id_number[:8] not in page
    assert "Godkänn gallringen" in page
    dana_client.post(reverse("dataprotection:review_approve", args=[review.pk]))
    assert RetentionReview.objects.get().status == ReviewStatus.APPROVED


def test_the_data_protection_officer_places_and_lifts_a_hold(ditte_client, ditte, alices_person):
    response = ditte_client.post(
        reverse("dataprotection:holds"), {"id_number": alices_person.id_number, "reason": "Tvist i tingsrätten"}
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get(person=alices_person)
    entry = AccessLogEntry.objects.get(action="retention.hold_placed")
    assert (entry.person_id, entry.basis, entry.user) == (alices_person.pk, AccessBasis.REGISTER_EXTRACT, ditte)
    page = ditte_client.get(reverse("dataprotection:holds")).content.decode()
    assert alices_person.last_name not in page
    assert "Tvist i tingsrätten" in page
    ditte_client.post(reverse("dataprotection:hold_lift", args=[hold.pk]))
    assert LegalHold.objects.get(pk=hold.pk).lifted_by == ditte
    assert AccessLogEntry.objects.filter(action="retention.hold_lifted", person_id=alices_person.pk).exists()


def test_a_hold_on_an_unknown_number_is_a_field_error(ditte_client):
    response = ditte_client.post(reverse("dataprotection:holds"), {"id_number": "19121212-1212", "reason": "x"})
    assert "Vägval har inga uppgifter om numret." in response.content.decode()


def test_an_invalid_number_is_a_swedish_field_error_and_never_in_the_address(ditte_client):
    response = ditte_client.post(reverse("dataprotection:extract"), {"id_number": "20010101-0000", "reason": "x"})
    assert response.status_code == 200
    assert "ogiltigt personnummer" in response.content.decode()


def test_the_deletion_log_page_lists_batches(ditte_client, dana, ludvika_unit):
    from vagval.dataprotection.models import DeletionLogEntry

    rule = rule_for(ludvika_unit, dana)
    DeletionLogEntry.objects.create(
        rule=rule,
        record_type="person_file",
        organisation_name="Ludvika kommun",
        decision_reference="KS 2026/123",
        deleted=3,
    )
    assert "KS 2026/123" in ditte_client.get(reverse("dataprotection:deletion_log")).content.decode()
