"""The placements section of the person page, via the placement selectors."""

from __future__ import annotations

from typing import Any

from django import template

from vagval.audit.models import AccessBasis
from vagval.catalogue.placement_selectors import placements_for_person
from vagval.common.http import access_context

register = template.Library()


@register.inclusion_tag("catalogue/_person_placements.html", takes_context=True)
def person_placements(context: template.Context) -> dict[str, Any]:
    person = context.get("person")
    access = context.get("access")
    request = context.get("request")
    if person is None or access is None or request is None or not request.user.is_authenticated:
        return {"rows": [], "person": person}
    rows = placements_for_person(ctx=access_context(request), person=person, access=access)
    may_create = access is not None and access.can_write and access.basis == AccessBasis.OWN_UNIT
    return {"rows": rows, "person": person, "may_create": may_create}
