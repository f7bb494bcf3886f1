"""The demo's Second Chance School term: applicants at every step, through the services."""

import datetime as dt
from collections import Counter

from vagval.catalogue.models import AdmissionDecision, AdmissionRound, AdmissionStep, Application
from vagval.demo.admission import APPLICANTS, generate_admission
from vagval.demo.persons import generate_persons
from vagval.demo.world import build_world

TODAY = dt.date(2026, 11, 24)


def test_the_demo_term_has_applicants_in_every_step_within_its_places(db):
    world = build_world(password="demo-losenord-123")
    generate_persons(world=world, count=200, seed=1, today=TODAY)
    made = generate_admission(world=world, seed=1, today=TODAY)
    assert made == APPLICANTS
    term = AdmissionRound.objects.get()
    assert term.name == "Hösten 2027"
    steps = Counter(Application.objects.values_list("step", flat=True))
    assert set(steps) == set(AdmissionStep.values)
    admitted = Application.objects.filter(decision=AdmissionDecision.ADMITTED).count()
    assert 0 < admitted <= term.places
    assert generate_admission(world=world, seed=1, today=TODAY) == 0  # once per term
