"""The demo's ESF+ data: #redonu is ESF-funded, most participants have entry data, a few are incomplete."""

import pytest

from vagval.common.scoping import unscoped
from vagval.demo.esf import generate_esf_entries
from vagval.demo.persons import generate_persons
from vagval.demo.world import build_world
from vagval.esf.indicators.compute import count_indicators
from vagval.esf.models import EsfEntry, EsfProject
from vagval.people.models import Enrolment

pytestmark = pytest.mark.django_db


def test_redonu_participants_get_entry_data_and_the_report_has_figures():
    world = build_world(password="demo-losenord-123")
    generate_persons(world=world, count=200, seed=1)
    with unscoped("the demo test checks what the generator wrote"):
        made = generate_esf_entries(world=world, seed=1)
        project = world.projects["redonu"]
        enrolments = Enrolment.objects.filter(project=project).count()
        assert EsfProject.objects.filter(project=project).exists()
        assert 0 < made < enrolments
        assert EsfEntry.objects.count() == made
        # Run again: nothing new (idempotent).
        assert generate_esf_entries(world=world, seed=1) == 0
        counts = count_indicators(project=project, start=project.starts_on, end=project.ends_on)
    assert counts["EECO01"].total > counts["EECO01"].kvinnor + counts["EECO01"].man + counts["EECO01"].icke_binara
    assert counts["EECO02"].total > 0
