"""The person page's outreach section: contacts, occupation history and time to contact."""

from __future__ import annotations

from typing import Any

from django import template

from vagval.outreach.selectors import person_outreach

register = template.Library()


@register.inclusion_tag("outreach/_person_outreach.html", takes_context=True)
def outreach_person_section(context: template.Context) -> dict[str, Any]:
    """Calls the selector with the viewer; empty when the viewer's unit does no outreach for the person."""
    person, access, user = context.get("person"), context.get("access"), context.get("user")
    if person is None or access is None or user is None or not user.is_authenticated:
        return {"outreach": None}
    return {"outreach": person_outreach(viewer=user, person=person, access=access)}
