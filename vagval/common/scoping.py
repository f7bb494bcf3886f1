"""Person-level data is read and changed only inside a scope that names the actor.

A *scope* is active while a request, task or command acts for someone: a signed-in user (pages
through `common.views.domain_page`, the API through its token check), or a named system actor
(`accounts.system`) for jobs, imports and commands. The person-level models use
`ScopedManager`, whose querysets refuse to be built while no scope is active — in development
and tests (setting `VAGVAL_ENFORCE_SCOPE`), so a new code path that forgets to name its actor
fails loudly there instead of reading person data as no one. A deliberate exception is written
as `with unscoped("why"):` at the place that needs it.

This module holds only the mechanism (kernel layer). What a scope may see is decided by
`access.checks`, and `access.scope.Scope` is the object code uses to read persons through it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from vagval.audit.services import AccessContext


class UnscopedQuery(RuntimeError):
    """A person-level model was queried while no scope named the actor."""


@dataclass
class _State:
    ctx: AccessContext | None = None
    purpose: str = ""
    reason: str = ""  # set by unscoped(): a named, deliberate exception


_state: ContextVar[_State | None] = ContextVar("vagval_scope", default=None)


def enforced() -> bool:
    return bool(getattr(settings, "VAGVAL_ENFORCE_SCOPE", False))


def current() -> _State | None:
    return _state.get()


def is_active() -> bool:
    state = _state.get()
    return state is not None and (state.ctx is not None or bool(state.reason))


@contextlib.contextmanager
def activated(ctx: AccessContext, purpose: str) -> Iterator[None]:
    """Act as `ctx` for `purpose` inside the block (a task, a command, a test of one)."""
    token = _state.set(_State(ctx=ctx, purpose=purpose))
    try:
        yield
    finally:
        _state.reset(token)


@contextlib.contextmanager
def unscoped(reason: str) -> Iterator[None]:
    """A deliberate, named exception: person-level queries without an actor (e.g. the demo
    generator writing synthetic rows, a migration-like repair). Say why in `reason`."""
    if not reason.strip():
        raise ValueError("unscoped() needs a reason")
    token = _state.set(_State(reason=reason))
    try:
        yield
    finally:
        _state.reset(token)


@contextlib.contextmanager
def without_scope() -> Iterator[None]:
    """No actor inside the block, whatever the caller had: what each request starts with."""
    token = _state.set(_State())
    try:
        yield
    finally:
        _state.reset(token)


def activate_for_request(ctx: AccessContext, purpose: str) -> None:
    """Name the actor for the rest of this request (the middleware resets it afterwards)."""
    state = _state.get()
    if state is None:
        _state.set(_State(ctx=ctx, purpose=purpose))
    elif state.ctx is None or state.ctx.user != ctx.user:
        state.ctx, state.purpose = ctx, purpose


REQUEST_PURPOSE = "request"


class ScopeMiddleware:
    """Each request starts with no scope, whatever the thread did before (in tests the test
    body runs unscoped; the request it sends must name its actor). A signed-in user is the
    actor of their request; the API's token check names it there (api.auth). An anonymous
    request (login, a personal link) reaches person data only where its view names the actor.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        from vagval.common.http import access_context  # kernel helpers, imported late: settings order

        with without_scope():
            if getattr(request, "user", None) is not None and request.user.is_authenticated:
                activate_for_request(access_context(request), REQUEST_PURPOSE)
            return self.get_response(request)


M = TypeVar("M", bound=models.Model)


class ScopedManager(models.Manager[M], Generic[M]):
    """The default manager of a person-level model: no queryset without an active scope."""

    def get_queryset(self) -> models.QuerySet[M]:
        if enforced() and not is_active():
            raise UnscopedQuery(
                f"{self.model._meta.label} används utan att någon aktör är angiven. Gå via en sida eller API "
                "(domain_page, API-token), kör jobb och kommandon med accounts.system.runs_as(...) "
                "eller access.scope.acting(...), eller skriv ett namngivet undantag med scoping.unscoped('varför')."
            )
        return super().get_queryset()
