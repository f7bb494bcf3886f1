"""The page's parts read or written without the ORM's or the template engine's cost give what
those would."""

from __future__ import annotations

import re
import uuid

from django import forms

from vagval.people.models import Person
from vagval.worklist import selectors
from vagval.worklist.forms import FilterForm

from .conftest import TODAY

_KINDS = [("uppfoljning", "Uppföljningar"), ("steg", 'Steg <i "planen">')]


def test_the_page_loads_its_persons_as_the_orm_does(world, charlies_person):
    keys = {world.person.pk.hex, charlies_person.pk.hex}

    found = selectors._persons(keys)

    expected = list(Person.objects.filter(pk__in=[world.person.pk, charlies_person.pk]))
    assert sorted((p.pk, p.__dict__.items() - {("_state", p._state)}) for p in found) == sorted(
        (p.pk, p.__dict__.items() - {("_state", p._state)}) for p in expected
    )
    assert selectors._persons(set()) == []


def _normalised(html: str) -> str:
    """Whitespace between tags aside (the template widgets indent their options)."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def _as_django_renders(form: FilterForm) -> FilterForm:
    form.fields["typ"].widget = forms.Select(choices=form.fields["typ"].choices)  # type: ignore[attr-defined]
    form.fields["person"].widget = forms.HiddenInput()
    return form


def test_the_filter_form_renders_as_with_djangos_widgets():
    for data in (None, {"typ": "steg", "person": "not a uuid"}, {"typ": "<x>"}):
        fast = FilterForm(data, kinds=_KINDS)
        plain = _as_django_renders(FilterForm(data, kinds=_KINDS))
        for name in ("typ", "person"):
            assert _normalised(str(fast[name])) == _normalised(str(plain[name]))


def test_a_follow_ups_label_names_its_kind_in_the_active_language():
    from django.utils import translation

    from vagval.followup.models import FollowUpKind
    from vagval.worklist.sources import Row, followups

    for language in ("sv", "en", "sv"):
        with translation.override(language):
            for kind in [*FollowUpKind.values, "okänd"]:
                label, _url = followups.describe(Row(followups.KIND, "0" * 32, "1" * 32, TODAY, (kind,)))
                name = str(dict(FollowUpKind.choices).get(kind, kind)).lower()  # the rule before the cache
                assert label == translation.gettext("Uppföljning: %(kind)s") % {"kind": name}


def test_an_items_link_is_the_one_reverse_gives_for_every_form_of_its_key():
    from django.urls import reverse

    from vagval.common.urls import object_url

    key = uuid.UUID("0123abcd-4567-89ef-0123-456789abcdef")
    digits = uuid.UUID(int=1234567890)  # hex digits without a letter
    for given in (key, key.hex, str(key), key.hex.upper(), digits.hex, digits):
        expected = reverse("followup:detail", args=[uuid.UUID(str(given))])
        assert object_url("followup:detail", given) == expected
