"""The rows tag writes each person's and each day's cell once per page: the rows are the ones
written cell by cell for every row (the tag before that change, kept here as the reference)."""

from __future__ import annotations

import datetime as dt
import uuid
from html import escape
from types import SimpleNamespace

import pytest
from django.template import Context
from django.test import RequestFactory
from django.urls import reverse

from vagval.people.models import Person
from vagval.worklist.selectors import Item, Mark
from vagval.worklist.sources import Row
from vagval.worklist.templatetags.worklist_tags import worklist_rows

TODAY = dt.date(2026, 3, 10)


def _reference(items: list[Item], today: dt.date, may_mark: bool, person_query: str) -> str:
    lines = []
    for item in items:
        person = item.person.person  # type: ignore[union-attr]
        pid = str(person.pk)
        name = escape(person.full_name)
        label = escape(item.label)
        day = item.due_on.isoformat()
        date_cell = f'<time datetime="{day}">{day}</time>'
        if item.due_on < today:
            date_cell += " <strong>Försenad</strong>"
        if item.moved is not None:
            date_cell += f'<br><span class="help">{escape("Flyttad: " + item.moved.reason)}</span>'
        person_cell = f'<a href="{escape(reverse("people:detail", args=[person.pk]))}">{name}</a>'
        if person_query:
            person_cell += (
                f'<br><a class="help" href="{escape(person_query.replace("PID", pid))}">Bara den här personen'
                f'<span class="visually-hidden">: {name}</span></a>'
            )
        row = (
            f'<tr>\n      <td>{date_cell}</td>\n      <th scope="row">{person_cell}</th>\n'
            f'      <td><a href="{escape(item.url)}">{label}</a></td>\n      <td>{escape(item.kind_label)}</td>'
        )
        if may_mark:
            url = reverse("worklist:mark", args=[item.kind, item.row.object_id])
            row += (
                f'\n      <td><a href="{escape(url)}">Klar eller flytta'
                f'<span class="visually-hidden">: {label}, {name}</span></a></td>'
            )
        lines.append(row + "\n    </tr>")
    return "\n    ".join(lines)


def _items() -> list[Item]:
    persons = [
        Person(pk=uuid.uuid4(), first_name="Ada", last_name="<Lind>"),
        Person(pk=uuid.uuid4(), first_name="Bo", last_name='"Ek" & son'),
    ]
    items = []
    for n in range(12):
        person = persons[n % 2]
        due = TODAY + dt.timedelta(days=(n % 4) - 2)
        row = Row("steg", uuid.uuid4().hex, person.pk.hex, due, (uuid.uuid4().hex, f"Steg <{n}>"))
        moved = Mark("flyttad", due, f"Sjuk & {n}") if n % 5 == 0 else None
        items.append(Item(row=row, due_on=due, moved=moved, person=SimpleNamespace(person=person)))  # type: ignore[arg-type]
    return items


@pytest.mark.parametrize("may_mark", [True, False])
@pytest.mark.parametrize("person_links", [True, False])
def test_the_rows_are_the_ones_written_row_by_row(may_mark, person_links):
    request = RequestFactory().get("/att-gora/", {"typ": "steg", "page": "2"})
    items = _items()

    written = worklist_rows(Context({"request": request}), items, TODAY, may_mark, person_links)

    # The filter link keeps the other filters, drops the page and names the row's person.
    expected = _reference(items, TODAY, may_mark, "?typ=steg&person=PID" if person_links else "")
    assert str(written) == expected
