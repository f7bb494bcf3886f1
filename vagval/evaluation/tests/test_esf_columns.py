"""The dataset's ESF+ entry columns read the esf app's real model (esf.EsfEntry) and its fields."""

import datetime as dt

from django.apps import apps

from vagval.esf.models import EsfEntry, LabourStatus
from vagval.esf.tests.factories import EsfEntryFactory
from vagval.evaluation.dataset import ESF_ENTRY_MODEL, dictionary, esf_entry_columns
from vagval.evaluation.tests.helpers import enrol, rows_of
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.models import Enrolment

ESF_COLUMNS = ["esf_arbetsmarknadsstatus", "esf_langtidsarbetslos", "esf_isced"]


def test_the_columns_come_from_the_esf_apps_entry_model(db):
    assert apps.get_model(ESF_ENTRY_MODEL) is EsfEntry
    columns, _values = esf_entry_columns()
    assert [c.name for c in columns] == ESF_COLUMNS
    assert [c.name for c in dictionary() if c.name.startswith("esf_")] == ESF_COLUMNS


def test_a_participants_entry_data_are_in_their_row_and_no_other_projects(project, ludvika_unit):
    person = enrol(project, ludvika_unit, serial=101)
    enrolment = Enrolment.objects.get(person=person, project=project)
    EsfEntryFactory(
        enrolment=enrolment,
        labour_status=LabourStatus.UNEMPLOYED,
        unemployed_since=dt.date(2025, 1, 1),
        long_term_unemployed=True,
        isced=2,
    )
    without = enrol(project, ludvika_unit, serial=102)
    other = ProjectFactory(name="Annat projekt")
    EsfEntryFactory(
        enrolment=Enrolment.objects.create(
            person=without, project=other, unit=ludvika_unit, starts_on=dt.date(2026, 1, 1)
        ),
        isced=7,
    )
    rows = rows_of(project)
    assert [[row[name] for name in ESF_COLUMNS] for row in rows] == [["arbetslos", "ja", "2"], ["", "", ""]]
