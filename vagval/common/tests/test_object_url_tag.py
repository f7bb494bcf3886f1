"""{% object_url %} writes what {% url %} writes, for every URL name the templates use it with."""

import re
import uuid
from pathlib import Path

from django.template import Context, Template
from django.urls import reverse

import vagval

USE = re.compile(r"\{% object_url '([^']+)' ")


def _names_used() -> set[str]:
    return {name for path in Path(vagval.__file__).parent.rglob("*.html") for name in USE.findall(path.read_text())}


def test_every_use_writes_the_reversed_url():
    names = _names_used()
    assert {"people:edit", "referrals:detail", "kaa:measure_edit"} <= names
    pk = uuid.uuid4()
    for name in sorted(names):
        new = Template("{% load object_urls %}{% object_url name pk %}").render(Context({"name": name, "pk": pk}))
        old = Template("{% url name pk %}").render(Context({"name": name, "pk": pk}))
        assert new == old == reverse(name, args=[pk]), name


FIXED = re.compile(r"\{% fixed_url '([^']+)' %\}")


def test_every_fixed_url_writes_the_reversed_url():
    names = {name for path in Path(vagval.__file__).parent.rglob("*.html") for name in FIXED.findall(path.read_text())}
    assert {"worklist:list", "worklist:settings", "home", "accounts:logout", "set_language"} <= names
    for name in sorted(names):
        new = Template("{% load object_urls %}{% fixed_url name %}").render(Context({"name": name}))
        old = Template("{% url name %}").render(Context({"name": name}))
        assert new == old == reverse(name), name


def test_a_fixed_url_follows_the_script_prefix():
    # Cached per prefix: an app mounted under another path links under it.
    from django.urls import set_script_prefix

    set_script_prefix("/under/")
    try:
        assert Template("{% load object_urls %}{% fixed_url 'worklist:list' %}").render(Context()) == reverse(
            "worklist:list"
        )
        assert reverse("worklist:list").startswith("/under/")
    finally:
        set_script_prefix("/")
