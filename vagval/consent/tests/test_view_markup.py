"""Every consent page: one h1, a label for every input, and nothing the strict CSP would block."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from vagval.consent.forms import one_year_ahead


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.inline_scripts = 0
        self.style_attributes = 0
        self.event_handlers = 0
        self.input_ids = []
        self.label_fors = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h1":
            self.h1 += 1
        if tag == "script" and "src" not in attrs:
            self.inline_scripts += 1
        if "style" in attrs:
            self.style_attributes += 1
        if any(name.startswith("on") for name in attrs):
            self.event_handlers += 1
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {"hidden", "submit"}:
            self.input_ids.append(attrs.get("id"))
        if tag == "label" and attrs.get("for"):
            self.label_fors.add(attrs["for"])


@pytest.fixture
def pages(alices_person, af_consent):
    return [
        reverse("consent:person_consents", args=[alices_person.pk]),
        reverse("consent:record", args=[alices_person.pk]),
        reverse("consent:detail", args=[af_consent.pk]),
        reverse("consent:withdraw", args=[af_consent.pk]),
        reverse("consent:overview", args=[alices_person.pk]),
    ]


def test_every_page_has_one_h1_labels_and_no_inline_script_or_style(alice_client, pages):
    for url in pages:
        response = alice_client.get(url)
        assert response.status_code == 200, url
        markup = _Markup()
        markup.feed(response.content.decode())
        assert markup.h1 == 1, url
        assert markup.inline_scripts == 0, url
        assert markup.style_attributes == 0, url
        assert markup.event_handlers == 0, url
        unlabelled = [i for i in markup.input_ids if i not in markup.label_fors and i != "language-select"]
        assert unlabelled == [], url


def test_no_page_puts_an_identity_number_in_a_link(alice_client, alices_person, pages):
    for url in pages:
        hrefs = re.findall(r'href="([^"]*)"', alice_client.get(url).content.decode())
        assert not [h for h in hrefs if alices_person.id_number[2:8] in h], url


def test_a_year_ahead_from_29_february_is_28_february():
    assert one_year_ahead(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)
    assert one_year_ahead(dt.date(2026, 3, 1)) == dt.date(2027, 3, 1)
