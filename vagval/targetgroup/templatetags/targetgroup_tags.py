"""Template tags for the person page's target-group section."""

from __future__ import annotations

from django import template

from vagval.accounts.models import User
from vagval.people.models import Person
from vagval.targetgroup.models import Episode
from vagval.targetgroup.selectors import target_group_person_episodes

register = template.Library()


@register.simple_tag
def target_group_episodes(person: Person, user: User) -> list[Episode]:
    """The person's episodes at the viewer's unit (the person page has already checked and logged access)."""
    return target_group_person_episodes(viewer=user, person=person)
