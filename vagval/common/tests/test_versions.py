"""Edit versions (common/versions.py): what changes a version, and the check the services make."""

import pytest

from vagval.api.errors import PreconditionRequired
from vagval.api.versions import expected_version
from vagval.common.errors import Conflict
from vagval.common.versions import require_version, version_of
from vagval.organisations.models import Method, Project
from vagval.organisations.tests.factories import MethodFactory, OrganisationFactory, ProjectFactory


def test_a_version_changes_with_any_stored_value_however_it_was_written(db):
    method = MethodFactory(name="ACT", description="")
    before = version_of(method)
    Method.objects.filter(pk=method.pk).update(description="Acceptans")  # no save(), no auto_now
    method.refresh_from_db()
    assert version_of(method) != before


def test_a_save_that_changes_nothing_keeps_the_version(db):
    method = MethodFactory(name="ACT")
    before = version_of(method)
    method.save()  # updated_at moves, the values do not
    method.refresh_from_db()
    assert version_of(method) == before


def test_a_version_tells_nothing_about_the_values(db):
    method = MethodFactory(name="Hemlig metod")
    version = version_of(method)
    assert len(version) == 20
    assert "Hemlig" not in version
    assert str(method.pk) not in version


def test_many_to_many_links_are_part_of_the_version(db):
    project = ProjectFactory(name="Redo nu")
    before = version_of(project)
    project.organisations.add(OrganisationFactory(name="Ludvika kommun"))
    assert version_of(Project.objects.get(pk=project.pk)) != before


def test_named_fields_leave_the_others_out(db):
    method = MethodFactory(name="ACT", description="")
    before = version_of(method, fields=["name"])
    Method.objects.filter(pk=method.pk).update(description="Ändrad")
    method.refresh_from_db()
    assert version_of(method, fields=["name"]) == before


def test_require_version_refuses_another_version_and_accepts_none():
    require_version(expected="abc", current="abc")
    require_version(expected=None, current="abc")  # a caller that checks nothing
    with pytest.raises(Conflict) as raised:
        require_version(expected="abd", current="abc")
    assert "Din ändring sparades inte" in raised.value.message


@pytest.mark.parametrize(
    ("header", "tag"), [('"abc"', "abc"), ('W/"abc"', "abc"), ("abc", "abc"), ("*", "*"), ('"a", "b"', 'a", "b')]
)
def test_if_match_names_one_tag(header, tag):
    assert expected_version(header) == tag


@pytest.mark.parametrize("header", [None, "", "  "])
def test_a_missing_if_match_is_precondition_required(header):
    with pytest.raises(PreconditionRequired):
        expected_version(header)
