"""The caseload filter's widgets write their markup in Python: the same HTML as Django's templates."""

import re

import pytest
from django import forms
from django.utils.safestring import mark_safe

from vagval.organisations.models import Project
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.forms import CaseloadFilterForm, FastHiddenInput, FastNumberInput, FastSelect, FastTextInput

pytestmark = pytest.mark.django_db

_TEMPLATE_WIDGET = {
    FastHiddenInput: forms.HiddenInput,
    FastTextInput: forms.TextInput,
    FastNumberInput: forms.NumberInput,
    FastSelect: forms.Select,
}


def _normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def _with_template_widgets(form: forms.Form) -> None:
    for field in form.fields.values():
        fast = field.widget
        widget = _TEMPLATE_WIDGET[type(fast)]()
        widget.__dict__.update(fast.__dict__)
        field.widget = widget


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"visa": "alla", "name": 'An<na "&', "status": "pagaende", "gender": "kvinna", "age_min": "16"},
        {
            "visa": "x",
            "name": "a1",
            "status": "active",
            "gender": "x",
            "age_min": "-3",
            "age_max": "20",
            "project": "no",
        },
    ],
)
def test_fields_render_as_with_django_templates(data):
    ProjectFactory(name="Second <Chance>")
    projects = Project.objects.order_by("name").values_list("pk", "name")
    fast = CaseloadFilterForm(data, projects=projects)
    fast.filters()
    plain = CaseloadFilterForm(data, projects=projects)
    plain.filters()
    _with_template_widgets(plain)
    for name in fast.fields:
        rendered = str(fast[name])
        assert _normalised(rendered) == _normalised(str(plain[name])), name
        assert f'id="id_{name}"' in rendered


def test_attribute_values_are_escaped_unless_safe():
    widget = FastTextInput(
        attrs={"title": 'a "b" <c>', "data-x": mark_safe("&amp;"), "required": True, "hidden": False}
    )
    html = widget.render("q", "<v>")
    assert html == (
        '<input type="text" name="q" value="&lt;v&gt;" title="a &quot;b&quot; &lt;c&gt;" data-x="&amp;" required>'
    )
    assert html == _normalised(forms.TextInput(attrs=widget.attrs).render("q", "<v>"))
