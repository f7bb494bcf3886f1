"""The person page's outreach section reads its rows by hand (sql.fetch_equal): the same rows,
order and figures as the querysets it stands for, and the same section on the page."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import client_for, ctx_for
from vagval.access.checks import person_access
from vagval.outreach import selectors, services
from vagval.outreach.models import ContactAttempt, Occupation, OccupationCategory, OccupationSource, Outcome
from vagval.outreach.tests.factories import contact, measure, on_list
from vagval.people.tests.factories import EnrolmentFactory
from vagval.targetgroup.models import TargetList

TODAY = dt.date(2026, 6, 30)


@pytest.fixture
def person(karin, ludvika_kaa_unit):
    """Two episodes, contacts of two users, measures before and after, occupations on equal dates."""
    first = on_list(ludvika_kaa_unit, opened_on=dt.date(2026, 2, 2), closed_on=dt.date(2026, 3, 1))
    person = first.person
    second = on_list(ludvika_kaa_unit, person, opened_on=dt.date(2026, 4, 2), target_list=TargetList.UVAS)
    contact(first, karin, on=dt.date(2026, 2, 10), outcome=Outcome.NOT_REACHED)
    contact(second, karin, on=dt.date(2026, 4, 9))
    measure(first, karin, starts_on=dt.date(2026, 1, 5))
    measure(second, karin, starts_on=dt.date(2026, 2, 20))
    measure(second, karin, starts_on=dt.date(2026, 5, 4))
    for category, day, planned in [
        (OccupationCategory.NONE, dt.date(2026, 1, 10), False),
        (OccupationCategory.WORK, dt.date(2026, 3, 1), False),
        (OccupationCategory.PLACEMENT, dt.date(2026, 3, 1), False),  # same day: the later entry first
        (OccupationCategory.STUDIES_KOMVUX, dt.date(2026, 8, 17), True),
    ]:
        data = services.OccupationData(
            category=category, source=OccupationSource.YOUNG_PERSON, from_date=day, planned=planned
        )
        services.occupation_record(ctx=ctx_for(karin), person_id=person.pk, data=data)
    return person


def _section(viewer, person):
    access = person_access(viewer=viewer, person=person)
    return selectors.person_outreach(viewer=viewer, person=person, access=access, today=TODAY)


def test_it_reads_the_rows_the_querysets_give(karin, ludvika_kaa_unit, person):
    section = _section(karin, person)
    of_person = {"unit_id": ludvika_kaa_unit.pk, "person": person}
    occupations = list(Occupation.objects.filter(**of_person).order_by("-from_date", "-created_at"))
    contacts = list(ContactAttempt.objects.filter(**of_person).select_related("made_by").order_by("-made_at"))
    assert [o.pk for o in section.occupations] == [o.pk for o in occupations]
    assert [(c.pk, c.made_by.username) for c in section.contacts] == [(c.pk, c.made_by.username) for c in contacts]
    assert section.current_occupation == selectors.current_occupation(occupations, today=TODAY)
    assert section.target_workdays == selectors.first_contact_workdays(unit_id=ludvika_kaa_unit.pk)
    old = selectors.episode_times(
        unit_id=ludvika_kaa_unit.pk, person=person, target=section.target_workdays, today=TODAY
    )
    assert section.episodes == old
    assert [t.first_measure_on for t in section.episodes] == [dt.date(2026, 5, 4), dt.date(2026, 2, 20)]


def test_without_rows_it_reads_no_target_and_shows_no_episodes(karin, ludvika_kaa_unit):
    other = EnrolmentFactory(unit=ludvika_kaa_unit).person  # seen through the enrolment, never on a list
    section = _section(karin, other)
    assert (section.occupations, section.contacts, section.episodes, section.target_workdays) == ([], [], [], None)


def test_the_page_shows_the_section_as_before(karin, person):
    page = client_for(karin).get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "målet är kontakt inom 5 arbetsdagar" in page
    assert page.count("<time datetime=") >= 2
    assert "Nådd" in page
    assert "Ej nådd" in page
