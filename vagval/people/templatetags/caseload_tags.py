"""The caseload table's rows, written with format_html.

The caseload is the coach's start page, the most visited page, and its 50 rows were a third of
its server time as template loops (hundreds of variable lookups). Here each row is one
format_html call; every value is escaped exactly as the template would escape it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from vagval.people.selectors import CaseloadRow

register = template.Library()

ROW = (
    '<tr>\n      <th scope="row"><a href="{}">{}</a></th>\n      <td>{}</td>\n      <td>{}</td>\n'
    "      <td>{}</td>\n      <td>{}</td>\n      <td>{}</td>\n    </tr>"
)


def _lines(values: Iterable[str]) -> SafeString:
    return mark_safe("<br>".join(str(conditional_escape(value)) for value in values))  # each value escaped


def _born(row: CaseloadRow) -> SafeString:
    return format_html('<time datetime="{}">{}</time>', row.born, row.born) if row.born else mark_safe("–")


@register.simple_tag
def caseload_rows(rows: list[CaseloadRow]) -> SafeString:
    protected = format_html('<strong class="tag-protected">{}</strong>', _("Skyddade personuppgifter"))
    return format_html_join(
        "\n    ",
        ROW,
        (
            (
                row.url,
                row.name,
                _born(row),
                "–" if row.age is None else row.age,
                _lines(row.projects),
                _lines(row.coaches),
                protected if row.protected else "",
            )
            for row in rows
        ),
    )
