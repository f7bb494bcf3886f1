"""The start page without filters writes the empty filter form from a cache (pages.views):
the same markup as the form written by the page's template, per language and projects."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from vagval.common.errors import PermissionDenied
from vagval.organisations.tests.factories import ProjectFactory
from vagval.pages import views
from vagval.people import selectors as people_selectors
from vagval.people.forms import CaseloadFilterForm
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

URL = reverse("people:caseload")

# The form's fields as caseload.html wrote them before the cache.
OLD_FIELDS = Template(
    "{% load form_fields %}{{ form.visa }}\n  {% form_field form.name %}\n  {% form_field form.project %}\n"
    "  {% form_field form.status %}\n  {% form_field form.gender %}\n  {% form_field form.age_min %}\n"
    "  {% form_field form.age_max %}"
)


def _old_fields(projects):
    return OLD_FIELDS.render(Context({"form": CaseloadFilterForm(None, projects=projects)}))


def test_the_start_page_writes_the_form_as_the_template_did(alice, alice_client, alices_person, project):
    page = alice_client.get(URL).content.decode()
    assert f'class="filters" aria-labelledby="filter-heading">\n  {_old_fields([(project.pk, project.name)])}\n' in page
    assert "VBU insatser för ungdomar</option>" in page


def test_a_new_project_at_the_unit_shows_at_once(alice, alice_client, alices_person, project):
    alice_client.get(URL)
    later = ProjectFactory(name="Aaa nytt projekt")
    EnrolmentFactory(person=PersonFactory(), project=later, unit=alice.unit, coach=alice)
    page = alice_client.get(URL).content.decode()
    assert _old_fields([(later.pk, later.name), (project.pk, project.name)]) in page


def test_the_cached_markup_follows_the_language(alice, project):
    projects = [(project.pk, project.name)]
    for language in ("sv", "en", "sv"):
        with translation.override(language):
            assert views._unbound_filter_fields(projects) == _old_fields(projects)
    with translation.override("en"):
        assert "Name" in views._unbound_filter_fields(projects)


def test_a_filtered_page_writes_the_bound_form(alice_client, alices_person):
    page = alice_client.get(URL + "?visa=alla&name=Prov").content.decode()
    assert 'name="name" value="Prov"' in page
    assert 'name="visa" value="alla"' in page


def test_the_project_choices_read_by_hand_are_the_querysets(alice, charlie, alices_person, charlies_person, project):
    for name in ("Aaa", "Ööö"):
        EnrolmentFactory(person=alices_person, project=ProjectFactory(name=name), unit=alice.unit)
    ProjectFactory(name="Bbb utan deltagare")
    for viewer in (alice, charlie):
        orm = list(people_selectors.caseload_projects(viewer=viewer).order_by("name", "pk").values_list("pk", "name"))
        assert people_selectors.caseload_project_choices(viewer=viewer) == orm
    assert [name for _pk, name in people_selectors.caseload_project_choices(viewer=alice)] == [
        "Aaa",
        "VBU insatser för ungdomar",
        "Ööö",
    ]


def test_a_user_without_unit_has_no_project_choices(dana):
    with pytest.raises(PermissionDenied):
        people_selectors.caseload_project_choices(viewer=dana)
