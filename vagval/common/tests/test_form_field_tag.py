"""The form_field tag writes every form field: label, widget, help text and errors, escaped."""

from django import forms
from django.template import Context, Template

RENDER = Template("{% load form_fields %}{% form_field field %}")


class _Form(forms.Form):
    name = forms.CharField(label="Namn <b>", help_text="Som i <folkbokföringen>")
    agree = forms.BooleanField(label="Jag godkänner", required=False)


def _html(field) -> str:
    return RENDER.render(Context({"field": field}))


def test_a_required_field_has_its_label_widget_and_help_text_tied_together():
    html = _html(_Form()["name"])
    assert '<label for="id_name">Namn &lt;b&gt; <span aria-hidden="true">*</span></label>' in html
    assert '<p class="help" id="id_name_helptext">Som i &lt;folkbokföringen&gt;</p>' in html
    assert 'aria-describedby="id_name_helptext"' in html
    assert 'class="field"' in html


def test_errors_are_listed_escaped_and_marked_on_the_field():
    form = _Form(data={"name": ""})
    form.add_error("name", "Fel <script>")
    html = _html(form["name"])
    assert 'class="field field-error"' in html
    assert '<ul class="errorlist" id="id_name_error">' in html
    assert "<li>Fel &lt;script&gt;</li>" in html
    assert 'aria-invalid="true"' in html


def test_a_checkbox_comes_before_its_label():
    html = _html(_Form()["agree"])
    assert 'class="field checkbox"' in html
    assert html.index("<input") < html.index('<label for="id_agree">Jag godkänner</label>')


def test_a_field_the_form_left_out_writes_nothing():
    assert _html("") == ""
