"""The SCB participant file: who is in a month, protected persons in the special form, corrections
offering the later months again, the per-person export log, and who may produce it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from conftest import client_for
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.audit.models import AccessLogEntry
from vagval.esf.models import ScbFileExport
from vagval.esf.tests.factories import EsfProjectFactory
from vagval.people.models import EnrolmentStatus, Protection
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(project, ludvika_unit, smedjebacken_unit):
    EsfProjectFactory(project=project, case_number="2024/00123")
    project.starts_on = dt.date(2026, 1, 1)
    project.save()
    plain = PersonFactory(first_name="Ada", birth_date=dt.date(2001, 5, 5))
    hidden = PersonFactory(
        first_name="Bo", birth_date=dt.date(2000, 7, 7), protection=Protection.PROTECTED_REGISTRATION
    )
    EnrolmentFactory(person=plain, project=project, unit=ludvika_unit, starts_on=dt.date(2026, 1, 10))
    # The same young person at another unit from February: still one row, with the first start.
    twin = PersonFactory(first_name="Ada", id_number=plain.id_number, birth_date=plain.birth_date)
    EnrolmentFactory(person=twin, project=project, unit=smedjebacken_unit, starts_on=dt.date(2026, 2, 1))
    EnrolmentFactory(
        person=hidden,
        project=project,
        unit=ludvika_unit,
        starts_on=dt.date(2026, 1, 20),
        ends_on=dt.date(2026, 1, 31),
        status=EnrolmentStatus.ENDED,
    )
    EnrolmentFactory(project=project, unit=ludvika_unit, starts_on=dt.date(2026, 3, 5))  # not yet in January
    return {"plain": plain, "hidden": hidden}


def _produce(client, project, year, month):
    return client.post(reverse("esf:scb_file", args=[project.pk, year, month]))


def _lines(response):
    return response.content.decode("utf-8").splitlines()


def test_the_january_file_has_each_participant_once_and_the_protected_person_without_a_number(pia, project, world):
    response = _produce(client_for(pia), project, 2026, 1)
    assert response.status_code == 200
    header, *rows = _lines(response)
    assert header == "Arendenummer;Period;Personnummer;Startdatum;Slutdatum;Skyddad;Fodelsear;Kon"
    assert sorted(rows) == sorted(
        [
            f"2024/00123;202601;{world['plain'].id_number};20260110;;0;;",
            "2024/00123;202601;;20260120;20260131;1;2000;K",
        ]
    )
    assert world["hidden"].id_number not in response.content.decode()
    disposition = response["Content-Disposition"]
    assert disposition == 'attachment; filename="scb-deltagare-2026-01.csv"'
    exported = AccessLogEntry.objects.filter(action="esf.scb_file_exported")
    assert sorted(str(e.person_id) for e in exported) == sorted(str(world[k].pk) for k in ("plain", "hidden"))
    assert all(world["plain"].id_number not in str(e.detail) for e in exported)


def test_correcting_a_month_offers_the_later_months_again(pia, project, world):
    client = client_for(pia)
    for month in (1, 2, 3):
        _produce(client, project, 2026, month)
    page = client.get(reverse("esf:scb_months", args=[project.pk])).content.decode()
    assert "Skicka igen" not in page
    corrected = _produce(client, project, 2026, 1)
    assert corrected["Content-Disposition"] == 'attachment; filename="scb-deltagare-2026-01-rattelse.csv"'
    assert ScbFileExport.objects.filter(month=dt.date(2026, 1, 1), correction=True).count() == 1
    page = client.get(reverse("esf:scb_months", args=[project.pk])).content.decode()
    assert page.count("Skicka igen: en tidigare månad har rättats") == 2
    # Sending February and March again clears their marks.
    _produce(client, project, 2026, 2)
    _produce(client, project, 2026, 3)
    page = client.get(reverse("esf:scb_months", args=[project.pk])).content.decode()
    assert "Skicka igen" not in page


def test_a_month_that_has_not_ended_cannot_be_produced(pia, project, world):
    today = dt.date.today()
    response = _produce(client_for(pia), project, today.year, today.month)
    assert response.status_code == 302
    assert not ScbFileExport.objects.exists()


def test_only_the_projects_own_leader_produces_the_file(alice, bob, charlie, dana, erik, frida, pia, project, world):
    # The administrator manages the system and sees no individuals: not the identity numbers either.
    for client in [client_for(user) for user in (alice, bob, charlie, erik, frida)] + [verified_admin_client(dana)]:
        assert _produce(client, project, 2026, 1).status_code == 403
        assert client.get(reverse("esf:scb_months", args=[project.pk])).status_code == 403
    other = EsfProjectFactory().project
    assert _produce(client_for(pia), other, 2026, 1).status_code == 404
    assert not AccessLogEntry.objects.filter(action="esf.scb_file_exported").exists()
