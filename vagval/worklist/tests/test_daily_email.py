"""The daily e-mail: only to those who chose it, only a number and a link, never personal data."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail

from vagval.worklist import jobs
from vagval.worklist.mail import daily_email_send
from vagval.worklist.models import WorklistSetting

from .conftest import TODAY


def _choose(user, email="alice@ludvika.example"):
    user.email = email
    user.save()
    WorklistSetting.objects.create(user=user, daily_email=True)


def test_nobody_gets_the_email_without_choosing_it(alice, world):
    alice.email = "alice@ludvika.example"
    alice.save()

    assert daily_email_send(today=TODAY) == 0
    assert mail.outbox == []


def test_the_email_says_how_many_items_wait_and_links_to_vagval(alice, world, settings):
    settings.SITE_URL = "https://vagval.example"
    _choose(alice)

    assert daily_email_send(today=TODAY) == 1

    [message] = mail.outbox
    assert message.to == ["alice@ludvika.example"]
    assert "7 saker väntar på dig i Vägval." in message.body
    assert "https://vagval.example/att-gora/" in message.body


def test_the_email_carries_no_name_and_no_number_of_any_person(alice, world):
    _choose(alice)
    person = world.person

    daily_email_send(today=TODAY)

    [message] = mail.outbox
    text = f"{message.subject}\n{message.body}"
    for secret in (person.first_name, person.last_name, alice.first_name, alice.last_name, "Komvux"):
        assert secret not in text
    assert person.id_number
    assert person.id_number not in text
    assert person.id_number[2:8] not in text  # nor the date of birth in it
    # Nothing that looks like an identity number or a date of birth.
    assert not re.search(r"\d{6}[-+]?\d{4}", text)
    assert str(person.pk) not in text


def test_no_email_when_nothing_waits(charlie, world):
    _choose(charlie, "charlie@smedjebacken.example")
    world.other_follow_up.status = "ej_aktuell"
    world.other_follow_up.save()

    assert daily_email_send(today=TODAY) == 0


def test_an_inactive_user_gets_no_email(alice, world):
    _choose(alice)
    alice.is_active = False
    alice.save()

    assert daily_email_send(today=TODAY) == 0


@pytest.mark.django_db
def test_the_periodic_job_sends_it(alice, world, on_today):
    _choose(alice)

    [run] = [
        r for r in jobs.run_due_jobs(now=dt.datetime(2026, 3, 5, 7, 0, tzinfo=dt.UTC)) if r.job == "att_gora_epost"
    ]

    assert run.status == "klar"
    assert run.summary == "1 brev skickade"
    assert len(mail.outbox) == 1
