"""The person page's outreach section, and the worklist's rows written as one string."""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from vagval.common.urls import object_url
from vagval.outreach.selectors import WorklistRow, person_outreach

register = template.Library()


@register.inclusion_tag("outreach/_person_outreach.html", takes_context=True)
def outreach_person_section(context: template.Context) -> dict[str, Any]:
    """Calls the selector with the viewer; empty when the viewer's unit does no outreach for the person."""
    person, access, user = context.get("person"), context.get("access"), context.get("user")
    if person is None or access is None or user is None or not user.is_authenticated:
        return {"outreach": None}
    return {"outreach": person_outreach(viewer=user, person=person, access=access)}


# The worklist shows up to 300 rows; as a template loop (a URL reversed, four dates formatted and
# a dozen lookups per row) they cost more app time than the rest of the page. Written here as the
# caseload's rows are (people/templatetags/caseload_tags.py): the same markup as that loop, every
# value escaped with html.escape (the five characters the template's autoescape escapes);
# outreach/tests/test_worklist_rows.py compares it with the loop.


def _last_contact(row: WorklistRow, never: str) -> str:
    if not row.last_contact_at:
        return never
    local = timezone.localtime(row.last_contact_at)  # as the template's date filter shows it
    return (
        f'<time datetime="{escape(local.isoformat())}">{local.date().isoformat()}</time>,'
        f" {escape(row.last_outcome_label)}"
    )


def _row(row: WorklistRow, *, over: str, never: str) -> str:
    episode, person = row.episode, row.person
    opened = episode.opened_on.isoformat()
    marked = ' class="over-target"' if row.over_target else ""
    return (
        f"\n    <tr{marked}>\n"
        f'      <th scope="row"><a href="{escape(object_url("people:detail", person.pk))}">'
        f"{escape(person.full_name)}</a>{over if row.over_target else ''}</th>\n"
        f"      <td>{escape(str(episode.get_target_list_display()))}</td>\n"
        f"      <td>{escape(episode.open_reason)}</td>\n"
        f'      <td><time datetime="{opened}">{opened}</time></td>\n'
        f"      <td>{_last_contact(row, never)}</td>\n"
        f"      <td>{row.attempts}</td>\n"
        f"      <td>{row.workdays_since_identified}</td>\n"
        "    </tr>\n  "
    )


@register.simple_tag
def worklist_rows(rows: list[WorklistRow]) -> SafeString:
    over = f' <strong class="tag">{escape(_("Över målet"))}</strong>'
    never = escape(_("Aldrig kontaktad"))
    return mark_safe(  # every value escaped in _row
        "".join(_row(row, over=over, never=never) for row in rows)
    )
