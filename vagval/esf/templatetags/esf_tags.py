"""The ESF+ section of the person page: the viewer's unit's enrolments in ESF-funded projects,
each with a link to its entry data and a flag when they are incomplete."""

from __future__ import annotations

from typing import Any

from django import template

from vagval.esf.selectors import person_esf_rows

register = template.Library()


@register.inclusion_tag("esf/_person_rows.html", takes_context=True)
def esf_person_section(context: template.Context) -> dict[str, Any]:
    person = context.get("person")
    user = context.get("user")
    access = context.get("access")
    # Entry data are the unit's own: nothing for a viewer who sees the person under consent.
    if person is None or user is None or not user.is_authenticated or access is None or access.basis != "own_unit":
        return {"rows": []}
    return {"rows": person_esf_rows(viewer=user, person_id=person.pk)}
