"""Who may see and maintain the catalogue: the one rule in offer_selectors."""

from __future__ import annotations

import datetime as dt

from vagval.catalogue import offer_selectors as rules
from vagval.catalogue.tests import offer_helpers
from vagval.catalogue.tests.offer_helpers import take_part
from vagval.organisations.tests.factories import ProjectFactory

catalogue_world = offer_helpers.catalogue_world


def test_every_member_of_staff_sees_the_catalogue(alice, bob, charlie, dana, erik, frida):
    for user in (alice, bob, charlie, dana, erik, frida):
        assert rules.may_view_catalogue(user)


def test_staff_of_a_taking_part_organisation_maintain_what_it_owns(catalogue_world, alice, charlie):
    offer = catalogue_world["offer"]
    assert rules.may_maintain(alice, offer.owner_id)
    assert not rules.may_maintain(charlie, offer.owner_id)
    assert rules.may_create(charlie)


def test_read_only_users_and_evaluators_maintain_nothing(catalogue_world, bob, erik):
    offer = catalogue_world["offer"]
    assert not rules.may_maintain(bob, offer.owner_id)
    assert not rules.may_create(bob)
    assert not rules.may_create(erik)


def test_an_administrator_maintains_everything(catalogue_world, dana):
    assert rules.may_maintain(dana, catalogue_world["offer"].owner_id)
    assert rules.may_create(dana)


def test_an_organisation_in_no_project_maintains_nothing(alice):
    assert not rules.may_create(alice)


def test_an_organisation_only_in_an_ended_project_maintains_nothing(alice):
    ended = ProjectFactory(name="Avslutat", starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2021, 1, 1))
    take_part(ended, alice.unit)
    assert not rules.may_create(alice)


def test_a_partner_maintains_its_own_organisations_entries(catalogue_world, frida):
    assert rules.may_create(frida)
    assert rules.may_maintain(frida, frida.unit.organisation_id)
    assert not rules.may_maintain(frida, catalogue_world["offer"].owner_id)


def test_a_project_leader_reads_but_does_not_maintain(catalogue_world, pia):
    assert rules.may_view_catalogue(pia)
    assert not rules.may_create(pia)
