"""`{% form_field field %}`: one labelled form field with its help text and errors, wired up with aria.

The markup of every form field in the product is written here (form_field.html calls this tag).
It was a template of a dozen lookups per field; the caseload's filter form, on the most visited
page, rendered seven of them on every visit. Every value is escaped as autoescape would.
"""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def form_field(field: BoundField | str) -> SafeString:
    if not isinstance(field, BoundField):
        # A field the form left out (e.g. contact details hidden from this viewer): nothing.
        return mark_safe("")
    errors = field.errors
    checkbox = field.widget_type == "checkbox"
    classes = "field" + (" field-error" if errors else "") + (" checkbox" if checkbox else "")
    label_for = conditional_escape(field.id_for_label)
    label = conditional_escape(field.label)
    if checkbox:
        body = f'{field} <label for="{label_for}">{label}</label>'
    else:
        required = ' <span aria-hidden="true">*</span>' if field.field.required else ""
        body = f'<label for="{label_for}">{label}{required}</label>\n    {field}'
    auto_id = conditional_escape(field.auto_id)
    parts = [f'<div class="{classes}">\n    {body}']
    if field.help_text:
        parts.append(f'<p class="help" id="{auto_id}_helptext">{conditional_escape(field.help_text)}</p>')
    if errors:
        items = "".join(f"<li>{conditional_escape(str(error))}</li>" for error in errors)
        parts.append(f'<ul class="errorlist" id="{auto_id}_error">{items}</ul>')
    parts.append("</div>")
    return mark_safe("\n  ".join(parts))  # every value escaped above; {field} is the widget's safe HTML
