"""{% object_url 'name' pk %}: {% url 'name' pk %} for a URL with one UUID, through
common.urls.object_url (each name reversed once, the id filled in); {% fixed_url 'name' %}:
{% url 'name' %} for a URL without arguments (common.urls.fixed_url, reversed once).

The person page links to two dozen pages of its person and their rows; reversing each link cost
more than some of its sections' queries. common/tests/test_object_url_tag.py checks, for every
use of either in the templates, that it writes what {% url %} writes.
"""

from __future__ import annotations

import uuid

from django import template

from vagval.common.urls import fixed_url as _fixed_url
from vagval.common.urls import object_url as _object_url

register = template.Library()


@register.simple_tag(name="object_url")
def object_url(name: str, object_id: uuid.UUID | str) -> str:
    # simple_tag escapes the result as {% url %} does (conditional_escape under autoescape).
    return _object_url(name, object_id)


@register.simple_tag(name="fixed_url")
def fixed_url(name: str) -> str:
    return _fixed_url(name)
