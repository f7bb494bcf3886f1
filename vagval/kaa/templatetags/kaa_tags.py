"""The KAA section of the person page: the viewer's unit's measures, via the selector."""

from __future__ import annotations

from typing import Any

from django import template

from vagval.kaa.codes import CodeListError
from vagval.kaa.selectors import person_measures

register = template.Library()


@register.inclusion_tag("kaa/_person_measures.html", takes_context=True)
def kaa_person_measures(context: template.Context) -> dict[str, Any]:
    person, access, user = context.get("person"), context.get("access"), context.get("user")
    if person is None or access is None or user is None or not user.is_authenticated:
        return {"section": None, "person": person}
    try:
        section = person_measures(viewer=user, person=person, access=access)
    except CodeListError as exc:
        # The rest of the person page must still work when a KAA code file is broken.
        return {"section": None, "person": person, "error": exc.message}
    return {"section": section, "person": person}
