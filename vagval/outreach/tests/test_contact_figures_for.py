"""The steering-group report's contact figures (contact_figures_for) count exactly the episodes of
the persons given (a correlated EXISTS since issue 13's speed work; before, an IN list)."""

import datetime as dt

from django.db.models import F

from vagval.outreach import selectors
from vagval.outreach.models import ContactAttempt, Outcome
from vagval.outreach.tests.test_worklist_order import TODAY, tied_list  # noqa: F401 - fixture
from vagval.people.models import Person
from vagval.targetgroup.models import Episode

PERIOD = {"date_from": dt.date(2026, 1, 1), "date_to": TODAY, "today": TODAY}


def _persons(ids):
    return Person.objects.filter(pk__in=ids).values(person_id=F("pk"))


def test_the_figures_count_the_episodes_of_the_given_persons_only(tied_list, smedjebacken_kaa_unit):  # noqa: F811
    units = [tied_list.pk, smedjebacken_kaa_unit.pk]
    episodes = Episode.objects.filter(unit_id__in=units, opened_on__gte=PERIOD["date_from"], opened_on__lte=TODAY)
    every = sorted({str(pk) for pk in episodes.values_list("person_id", flat=True)})
    chosen = every[::2]
    mine = episodes.filter(person_id__in=chosen)
    reached = {a.episode_id for a in ContactAttempt.objects.filter(episode__in=mine, outcome=Outcome.REACHED)}

    total = selectors.contact_figures_for(unit_ids=units, persons=_persons(chosen), **PERIOD)[-1]

    assert (total.episodes, total.reached) == (mine.count(), len(reached))
    assert 0 < total.episodes < episodes.count()
    everyone = selectors.contact_figures_for(unit_ids=units, persons=_persons(every), **PERIOD)[-1]
    assert everyone.episodes == episodes.count()
