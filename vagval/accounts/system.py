"""Named system actors: who acts when no person does (jobs, imports, commands).

Every access-log entry names an actor. A background job or a command is not "no one": it acts
as one of these saved users, so the log shows, for instance, "system:nattlig-korning" with the
role Systemaktör. They cannot sign in (inactive, unusable password) and the access check gives
them no persons (`access.checks.may_see_persons` needs an active user with a unit): what they
read and change is decided by the job itself, which is why each is named here and nowhere else.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from vagval.accounts.models import Role, User
from vagval.audit.services import AccessContext
from vagval.common import scoping

USERNAME_PREFIX = "system:"


class SystemActor(TextChoices):
    REGISTER_IMPORT = "registerimport", _("Registerimport")
    NIGHTLY = "nattlig-korning", _("Nattlig körning")
    COMMAND_LINE = "kommandorad", _("Kommandorad")
    WORKER = "bakgrundsjobb", _("Bakgrundsjobb")
    DEMO = "demodata", _("Demodata")
    # A young person's or supervisor's personal link: the token is the key; what the link shows
    # is logged with the basis "egen personlig länk" (assessments).
    PERSONAL_LINK = "personlig-lank", _("Personlig länk")
    # followup's jobs: follow-ups falling due, link reminders, register suggestions (issue 12).
    FOLLOW_UP = "uppfoljning", _("Uppföljningar")
    # dataprotection's retention job (gallring, issue 14).
    RETENTION = "gallring", _("Gallring")
    # Sign-in attempts that name no known user (sso): a refusal is logged as this actor.
    SIGN_IN = "inloggning", _("Inloggning")


def system_user(actor: SystemActor) -> User:
    """The saved user for `actor`, created on first use."""
    username = f"{USERNAME_PREFIX}{actor.value}"
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    try:
        with transaction.atomic():
            user = User(username=username, first_name=str(actor.label), role=Role.SYSTEM, is_active=False)
            user.set_unusable_password()
            user.save()
    except IntegrityError:  # created by a concurrent job meanwhile
        user = User.objects.get(username=username)
    return user


def system_context(actor: SystemActor, *, detail: str = "") -> AccessContext:
    """An access context for a job or command acting as `actor`.

    `detail` (e.g. the operating-system user of a command) goes into the client-address field,
    which has no other meaning for a process that is not a request.
    """
    return AccessContext(user=system_user(actor), client_address=detail)


def is_system_actor(user: User, *actors: SystemActor) -> bool:
    """Whether `user` is the saved user of one of `actors`."""
    return user.role == Role.SYSTEM and user.username in {f"{USERNAME_PREFIX}{actor.value}" for actor in actors}


def operating_system_user() -> str:
    """The operating-system user running this process, for the log ("okänd" if it has no name)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name and no entry in the password database (a bare container)
        return "okänd"


def command_line_context() -> AccessContext:
    """The context of a command the server's operator runs: "kommandorad", with the OS user in the detail."""
    return system_context(SystemActor.COMMAND_LINE, detail=operating_system_user())


P = ParamSpec("P")
R = TypeVar("R")


def runs_as(actor: SystemActor, purpose: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """For a task or a command's handle(): the body runs in a scope (common.scoping) whose actor
    is `actor` (the command line's with the OS user), so its person-level queries are allowed
    and made as a named actor, never as no one."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            ctx = command_line_context() if actor == SystemActor.COMMAND_LINE else system_context(actor)
            with scoping.activated(ctx, purpose):
                return fn(*args, **kwargs)

        return wrapper

    return decorate
