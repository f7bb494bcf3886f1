"""The one way to person data: `scope = access.scope.scope_for(ctx, purpose)`, then
`scope.person(id, need=…)` for one person and `scope.persons()` / `scope.shown(…)` for lists.

A Scope carries the actor (an `audit.services.AccessContext`: a signed-in user, or a named
system actor from `accounts.system`) and the purpose. It asks the one access check
(`access.checks`) who may see whom and how much, and it writes the access-log entry for each
person it hands out, naming the basis (own unit, consent, …). Queries on the person-level
models outside an active scope fail in development and tests (`common.scoping`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from vagval.access.checks import (
    PersonAccess,
    list_access,
    may_make_register_extracts,
    person_access,
    register_extract_access,
    visible_persons,
)
from vagval.accounts.models import User
from vagval.audit.services import AccessContext, access_log_record, access_log_record_many
from vagval.common import scoping
from vagval.common.errors import NotFound, PermissionDenied
from vagval.people.models import Person

NOT_FOUND = "Personen finns inte eller så saknar du behörighet."


class Need(StrEnum):
    """What the caller will do with the person."""

    VIEW = "view"
    CHANGE = "change"


@dataclass(frozen=True)
class ScopedPerson:
    person: Person
    access: PersonAccess


@dataclass(frozen=True)
class Scope:
    ctx: AccessContext
    purpose: str

    @property
    def actor(self) -> User:
        return self.ctx.user

    def person(
        self,
        person_id: uuid.UUID,
        *,
        need: Need = Need.VIEW,
        action: str | None = "person.viewed",
        related: tuple[str, ...] = ("home_municipality",),
        not_found: str | Promise | None = None,
    ) -> ScopedPerson:
        """One person the actor may see (and, with Need.CHANGE, change); NotFound otherwise, the
        same answer whether the person does not exist or belongs to another unit. Logs `action`
        with the basis (None: the caller logs, e.g. a service that logs the change itself)."""
        person = Person.objects.select_related(*related).filter(pk=person_id).first()
        return self.admit(person, need=need, action=action, not_found=not_found)

    def admit(
        self,
        person: Person | None,
        *,
        need: Need = Need.VIEW,
        action: str | None = None,
        not_found: str | Promise | None = None,
    ) -> ScopedPerson:
        """The same check for a person already loaded with another row (a plan's, a note's, a
        service's argument): NotFound (with `not_found`, e.g. "the note does not exist…", or the
        person message) when the actor may not see them, PermissionDenied for Need.CHANGE without
        write access. Logs `action` with the basis when given (by default nothing: the caller
        usually logs the row it shows)."""
        access = person_access(viewer=self.actor, person=person) if person is not None else None
        if person is None or access is None:
            raise NotFound(not_found or _(NOT_FOUND))
        if need == Need.CHANGE and not access.can_write:
            raise PermissionDenied(_("Du har endast läsbehörighet."))
        shown = ScopedPerson(person, access)
        if action is not None:
            self.log(action, shown)
        return shown

    def persons(self) -> QuerySet[Person]:
        """Every person the actor may see, as a queryset to filter further. Nothing is logged
        until rows are shown: pass the page's persons to shown()."""
        return visible_persons(viewer=self.actor)

    def shown(self, persons: list[Person], *, action: str) -> list[ScopedPerson]:
        """The persons of a list or search page that the actor may see, in order, each logged
        once with its basis (one bulk insert)."""
        grants = list_access(viewer=self.actor, persons=persons)
        rows = [ScopedPerson(p, grants[p.pk]) for p in persons if p.pk in grants]
        access_log_record_many(
            ctx=self.ctx, action=action, grants=[(r.person.pk, r.access.basis, r.access.consent_id) for r in rows]
        )
        return rows

    def records_by_number(self, id_number: str, *, action: str, detail: dict[str, str]) -> list[ScopedPerson]:
        """Every unit's record of the person with this identity number (12 digits), for the
        data-protection officer's register extract or legal hold, each logged with the basis
        "registerutdrag" and `detail` (the stated reason). PermissionDenied for anyone else:
        no other role sees across units this way."""
        if not may_make_register_extracts(self.actor):
            raise PermissionDenied(_("Bara dataskyddsombudet kan göra registerutdrag."))
        rows = []
        for person in Person.objects.select_related("unit__organisation").filter(id_number=id_number):
            access = register_extract_access(viewer=self.actor, person=person)
            assert access is not None  # the role was checked above
            rows.append(ScopedPerson(person, access))
            self.log(action, rows[-1], detail)
        return rows

    def log(self, action: str, shown: ScopedPerson, detail: dict[str, str] | None = None) -> None:
        """One access-log entry for a person this scope handed out (e.g. a form page showing them)."""
        access_log_record(
            ctx=self.ctx,
            action=action,
            person_id=shown.person.pk,
            basis=shown.access.basis,
            consent_id=shown.access.consent_id,
            detail=detail,
        )


def scope_for(ctx: AccessContext, purpose: str) -> Scope:
    """The scope of a request or job acting as `ctx` for `purpose`."""
    return Scope(ctx=ctx, purpose=purpose)


@contextmanager
def acting(ctx: AccessContext, purpose: str) -> Iterator[Scope]:
    """Activate a scope for a job or command (`with acting(system_context(…), "…") as scope:`):
    person-level queries inside the block are allowed, and made as this actor."""
    with scoping.activated(ctx, purpose):
        yield scope_for(ctx, purpose)
