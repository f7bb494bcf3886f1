"""A small project world for the evaluation tests: erik evaluates `project`, pia leads it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import TestCase

from conftest import ctx_for
from vagval.accounts.models import ProjectRole, Role, User
from vagval.evaluation import services
from vagval.evaluation.dataset import dataset_build, read_csv_zip, write_csv_zip
from vagval.evaluation.models import DatasetExport, ExportFormat
from vagval.organisations.models import Project
from vagval.people.models import Person
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory, make_personnummer


def make_evaluator(user: User, project: Project) -> User:
    ProjectRole.objects.create(user=user, project=project, role=Role.EVALUATOR)
    return user


def enrol(project: Project, unit: Any, *, serial: int, **person_fields: Any) -> Person:
    birth = person_fields.pop("birth_date", dt.date(2004, 5, 6))
    person = PersonFactory(unit=unit, birth_date=birth, id_number=make_personnummer(birth, serial), **person_fields)
    EnrolmentFactory(person=person, project=project, unit=unit, starts_on=dt.date(2026, 1, 15))
    return person


def rows_of(project: Project) -> list[dict[str, str]]:
    """The dataset of `project` as the CSV file gives it."""
    return read_csv_zip(write_csv_zip(dataset_build(project=project), lambda done: None))


def prepared(evaluator: User, project: Project, file_format: str = ExportFormat.CSV) -> DatasetExport:
    """An export the evaluator asked for; the test settings run the task at once, after commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        export = services.export_prepare(ctx=ctx_for(evaluator), project_id=project.pk, file_format=file_format)
    return DatasetExport.objects.get(pk=export.pk)
