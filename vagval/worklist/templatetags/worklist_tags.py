"""The to-do list's rows, written as one string (as people.templatetags.caseload_tags does).

A page of the list has up to 50 rows of five cells with three links each; as a template loop
with {% url %} tags it was a third of the page's server time. Every value is escaped with
html.escape (the same five characters as the template's autoescape); the links are reversed
once per process (and script prefix) with a placeholder id and filled in per row.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from html import escape
from typing import Any

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from vagval.common.urls import uuid_text
from vagval.worklist.selectors import Item

register = template.Library()
_PLACEHOLDER = uuid.UUID(int=0)
_PLACEHOLDER_TEXT = str(_PLACEHOLDER)


@functools.lru_cache(maxsize=64)
def _pattern(name: str, before: tuple[str, ...], prefix: str, urlconf: str | None) -> str:
    # The URL depends only on these: reversed once per process, not on every request.
    return reverse(name, args=[*before, _PLACEHOLDER])


def _url(name: str, *before: str) -> str:
    return _pattern(name, before, get_script_prefix(), get_urlconf())


@register.simple_tag(takes_context=True)
def worklist_rows(
    context: template.Context, items: list[Item], today: dt.date, may_mark: bool, person_links: bool
) -> SafeString:
    person_url = _url("people:detail")
    mark_urls: dict[str, str] = {}
    overdue = escape(_("Försenad"))
    only = escape(_("Bara den här personen"))
    mark_text = escape(_("Klar eller flytta"))
    moved_text = _("Flyttad: %(reason)s")
    request = context.get("request")
    person_query = ""  # "?…person=<placeholder>…" without the page: the link that filters on a row's person
    if person_links and request is not None:
        query = request.GET.copy()
        query["person"] = _PLACEHOLDER_TEXT
        query.pop("page", None)
        person_query = escape(f"?{query.urlencode()}")
    kind_labels: dict[str, str] = {}
    # A page's 50 rows are about a dozen persons and days: each cell is written once per person
    # and per day, not per row.
    person_cells: dict[str, tuple[str, str]] = {}
    date_cells: dict[dt.date, str] = {}
    lines = []
    for item in items:
        person = item.person.person if item.person else None
        if person is None:
            continue
        label = escape(item.label)
        if item.due_on not in date_cells:
            day = item.due_on.isoformat()
            date_cells[item.due_on] = f'<time datetime="{day}">{day}</time>' + (
                f" <strong>{overdue}</strong>" if item.due_on < today else ""
            )
        date_cell = date_cells[item.due_on]
        if item.moved is not None:
            date_cell += f'<br><span class="help">{escape(moved_text % {"reason": item.moved.reason})}</span>'
        if item.row.person_key not in person_cells:
            person_cells[item.row.person_key] = _person_cell(person, person_url, person_query, only)
        name, person_cell = person_cells[item.row.person_key]
        if item.kind not in kind_labels:
            kind_labels[item.kind] = escape(item.kind_label)
        kind_label = kind_labels[item.kind]
        row = (
            f'<tr>\n      <td>{date_cell}</td>\n      <th scope="row">{person_cell}</th>\n'
            f'      <td><a href="{escape(item.url)}">{label}</a></td>\n      <td>{kind_label}</td>'
        )
        if may_mark:
            if item.kind not in mark_urls:
                mark_urls[item.kind] = _url("worklist:mark", item.kind)
            url = mark_urls[item.kind].replace(_PLACEHOLDER_TEXT, uuid_text(item.row.object_key))
            row += (
                f'\n      <td><a href="{escape(url)}">{mark_text}'
                f'<span class="visually-hidden">: {label}, {name}</span></a></td>'
            )
        lines.append(row + "\n    </tr>")
    return mark_safe("\n    ".join(lines))  # every value escaped above


def _person_cell(person: Any, person_url: str, person_query: str, only: str) -> tuple[str, str]:
    """The person's escaped name and the row's person cell: the link to the person and, on the
    list, the link that filters on them."""
    pid = str(person.pk)
    name = escape(person.full_name)
    cell = f'<a href="{escape(person_url.replace(_PLACEHOLDER_TEXT, pid))}">{name}</a>'
    if person_query:
        cell += (
            f'<br><a class="help" href="{person_query.replace(_PLACEHOLDER_TEXT, pid)}">{only}'
            f'<span class="visually-hidden">: {name}</span></a>'
        )
    return name, cell
