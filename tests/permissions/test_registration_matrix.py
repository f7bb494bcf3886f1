"""Registering a person whom another unit may already hold (issue 10, hole 1).

The matrix: registering unit (own, another municipality, a partner) × the holder's record (none,
plain, sekretessmarkering, skyddad folkbokföring, merged) × with number / without × page / API.
Every cell asserts the status, exactly what the registering unit is shown and the access-log
entries. Outside the holding unit, every cell must look like the "none" cell: nothing tells the
registering unit that another unit knows the young person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse

from conftest import client_for
from vagval.api.tests.helpers import api_client_for, call, log_mark, logged_since
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.models import Enrolment, Person, Protection
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory, make_personnummer

BIRTH = dt.date(2006, 5, 1)
NUMBER = make_personnummer(BIRTH, 123)
HOLDER_NAMES = ("Hemlig", "Hållarsson")
HOLDER_SECRETS = ("Hemlig", "Hållarsson", "Gömda gatan 9", "77199", "Dolda byn", "070-999 99 99", "hemlig@example.org")
# With a number the registrant types other names; without one, the probe that matters is the
# holder's own names and birth date, so those are typed.
ENTERED_WITH_NUMBER = {"first_name": "Nyreg", "last_name": "Anmälsson"}
ENTERED_WITHOUT_NUMBER = dict(zip(("first_name", "last_name"), HOLDER_NAMES, strict=True))


def _entered(with_number: bool) -> dict[str, str]:
    return ENTERED_WITH_NUMBER if with_number else ENTERED_WITHOUT_NUMBER


HOLDER_STATES = ("none", "plain", "sekretessmarkering", "skyddad_folkbokforing", "merged")
REGISTRANTS = ("own", "other_municipality", "partner")


@dataclass
class World:
    holder: Person | None
    kept: Person | None  # for "merged": the record the holder's duplicate was merged into


def _holder(state: str, alice) -> World:
    """Alice's unit holds (or does not hold) the young person with NUMBER."""
    if state == "none":
        return World(None, None)
    project = ProjectFactory(name="Hållarens projekt")
    protection = {
        "sekretessmarkering": Protection.CONFIDENTIALITY_MARK,
        "skyddad_folkbokforing": Protection.PROTECTED_REGISTRATION,
    }.get(state, Protection.NONE)
    first, last = HOLDER_NAMES
    fields = {
        "first_name": first,
        "last_name": last,
        "birth_date": BIRTH,
        "address": HOLDER_SECRETS[2],
        "postal_code": HOLDER_SECRETS[3],
        "city": HOLDER_SECRETS[4],
        "phone": HOLDER_SECRETS[5],
        "email": HOLDER_SECRETS[6],
        "protection": protection,
        "unit": alice.unit,
    }
    if state != "merged":
        holder = PersonFactory(id_number=NUMBER, **fields)
        EnrolmentFactory(person=holder, project=project, unit=alice.unit, coach=alice)
        return World(holder, holder)
    kept = PersonFactory(id_number=None, id_type="none", **fields)
    EnrolmentFactory(person=kept, project=project, unit=alice.unit, coach=alice)
    merged = PersonFactory(id_number=NUMBER, merged_into=kept, **fields)
    return World(merged, kept)


def _registrant(kind: str, alice, charlie, frida):
    return {"own": alice, "other_municipality": charlie, "partner": frida}[kind]


def _api_body(project, *, with_number: bool) -> dict:
    body = {
        "id_type": "personnummer" if with_number else "none",
        "id_number": NUMBER if with_number else "",
        "birth_date": None if with_number else BIRTH.isoformat(),
        "gender": "kvinna",
        "protection": "none",
        "address": "Egna vägen 1",
        "postal_code": "77131",
        "city": "Ludvika",
        "phone": "070-111 11 11",
        "email": "egen@example.org",
        "project_id": str(project.pk),
        "starts_on": "2026-02-01",
        **_entered(with_number),
    }
    if with_number:
        del body["birth_date"]
    return body


def _form(project, *, with_number: bool) -> dict:
    return {
        "id_type": "personnummer" if with_number else "none",
        "id_number": NUMBER if with_number else "",
        "birth_date": "" if with_number else BIRTH.isoformat(),
        "gender": "kvinna",
        "protection": "none",
        "address": "Egna vägen 1",
        "project": str(project.pk),
        "starts_on": "2026-02-01",
        "status": "pagaende",
        **_entered(with_number),
    }


def _assert_nothing_of_the_holder(text: str, *, with_number: bool) -> None:
    for secret in HOLDER_SECRETS if with_number else HOLDER_SECRETS[2:]:
        assert secret not in text


def _assert_a_new_record_of_its_own(user, response_person_id: str, mark: int, world: World, with_number: bool) -> None:
    person = Person.objects.get(pk=response_person_id)
    entered = _entered(with_number)
    assert (person.first_name, person.last_name, person.unit_id) == (
        entered["first_name"],
        entered["last_name"],
        user.unit_id,
    )
    assert person.address == "Egna vägen 1"
    if world.holder is not None:
        assert person.pk not in {world.holder.pk, world.kept.pk}
        holder = Person.objects.get(pk=world.holder.pk)
        assert (holder.first_name, holder.last_name, holder.address) == (*HOLDER_NAMES, HOLDER_SECRETS[2])
        if user.unit_id != world.kept.unit_id:
            assert not Enrolment.objects.filter(person__in=[world.holder, world.kept], unit=user.unit).exists()
    assert logged_since(mark) == [
        ("person.created", user.username, str(person.pk)),
        ("enrolment.created", user.username, str(person.pk)),
    ]


@pytest.mark.parametrize("with_number", [True, False], ids=["number", "no_number"])
@pytest.mark.parametrize("state", HOLDER_STATES)
@pytest.mark.parametrize("registrant", REGISTRANTS)
def test_registering_through_the_api(registrant, state, with_number, alice, charlie, frida, project):
    world = _holder(state, alice)
    user = _registrant(registrant, alice, charlie, frida)
    mark = log_mark()
    response = call(api_client_for(user), "POST", "/persons", _api_body(project, with_number=with_number))
    body = response.json()
    if registrant == "own" and state != "none" and with_number:
        # The unit's own record: enrolled again, nothing duplicated. (Names on a record without a
        # number are not a duplicate rule of the API: the form asks the coach, see below.)
        assert response.status_code == 200
        assert body["created"] is False
        assert body["id"] == str(world.kept.pk)
        assert logged_since(mark) == [("enrolment.created", "alice", str(world.kept.pk))]
        return
    assert response.status_code == 201, body
    assert body["created"] is True
    entered = _entered(with_number)
    assert (body["first_name"], body["last_name"]) == (entered["first_name"], entered["last_name"])
    assert body["address"] == "Egna vägen 1"
    _assert_nothing_of_the_holder(response.content.decode(), with_number=with_number)
    _assert_a_new_record_of_its_own(user, body["id"], mark, world, with_number)


@pytest.mark.parametrize("with_number", [True, False], ids=["number", "no_number"])
@pytest.mark.parametrize("state", HOLDER_STATES)
@pytest.mark.parametrize("registrant", REGISTRANTS)
def test_registering_through_the_page(registrant, state, with_number, alice, charlie, frida, project):
    world = _holder(state, alice)
    user = _registrant(registrant, alice, charlie, frida)
    client = client_for(user)
    mark = log_mark()
    response = client.post(reverse("people:create"), _form(project, with_number=with_number))
    if registrant == "own" and state != "none":
        # The coach's own unit: the form shows its own record and asks, saving nothing yet.
        assert response.status_code == 200
        page = response.content.decode()
        assert "Hemlig Hållarsson" in page
        assert str(world.kept.pk) in page
        assert Person.objects.filter(unit=alice.unit).count() == (2 if state == "merged" else 1)
        assert logged_since(mark) == [("person.duplicate_shown", "alice", str(world.kept.pk))]
        return
    assert response.status_code == 302
    new_id = response.url.rstrip("/").split("/")[-1]
    _assert_a_new_record_of_its_own(user, new_id, mark, world, with_number)
    page = client.get(response.url).content.decode()
    assert "{first_name} {last_name}".format(**_entered(with_number)) in page
    _assert_nothing_of_the_holder(page, with_number=with_number)


def test_the_coach_can_choose_the_units_own_record_instead(alice, project):
    world = _holder("plain", alice)
    form = {**_form(project, with_number=False), "use_existing": str(world.kept.pk)}
    response = client_for(alice).post(reverse("people:create"), form)
    assert response.status_code == 302
    assert response.url == reverse("people:detail", args=[world.kept.pk])
    assert Enrolment.objects.filter(person=world.kept, project=project, unit=alice.unit).exists()
    assert Person.objects.count() == 1


def test_the_coach_can_confirm_a_new_person_with_the_same_names(alice, project):
    world = _holder("plain", alice)
    form = {**_form(project, with_number=False), "confirm_new": "1"}
    response = client_for(alice).post(reverse("people:create"), form)
    assert response.status_code == 302
    assert Person.objects.filter(first_name="Hemlig", unit=alice.unit).exclude(pk=world.kept.pk).count() == 1
