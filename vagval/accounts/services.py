"""Writes to users and API tokens. Administration actions are written to the access log."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vagval.accounts.models import ApiToken, Role, User, hash_token
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.common.errors import InvalidInput, PermissionDenied
from vagval.organisations.models import Unit


@dataclass(frozen=True)
class UserData:
    username: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    unit: Unit | None = None
    role: str = Role.COACH
    read_only: bool = False
    is_active: bool = True


def _require_admin(ctx: AccessContext | None) -> None:
    # ctx is None only for the command line (`vagval createuser`), run by the server's operator.
    if ctx is not None and not ctx.user.is_administrator:
        raise PermissionDenied("Endast administratörer får hantera användare.")


def _validate(data: UserData, *, existing: User | None = None) -> None:
    errors: dict[str, list[str]] = {}
    if not data.username.strip():
        errors["username"] = ["Ange ett användarnamn."]
    elif User.objects.filter(username=data.username).exclude(pk=existing.pk if existing else 0).exists():
        errors["username"] = ["Användarnamnet är upptaget."]
    if data.role not in Role.values:
        errors["role"] = ["Okänd roll."]
    if data.unit is None and data.role != Role.ADMIN:
        errors["unit"] = ["Välj en enhet (alla utom administratörer hör till en enhet)."]
    if errors:
        raise InvalidInput("Uppgifterna innehåller fel.", field_errors=errors)


def user_create(*, ctx: AccessContext | None, data: UserData, password: str) -> User:
    _require_admin(ctx)
    _validate(data)
    user = User(
        username=data.username.strip(),
        first_name=data.first_name,
        last_name=data.last_name,
        email=data.email,
        unit=data.unit,
        role=data.role,
        read_only=data.read_only,
        is_active=data.is_active,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput("Lösenordet är för svagt.", field_errors={"password": list(exc.messages)}) from exc
    with transaction.atomic():
        user.set_password(password)
        user.save()
        if ctx is not None:
            access_log_record(
                ctx=ctx,
                action="user.created",
                basis=AccessBasis.ADMINISTRATION,
                detail={"username": user.username, "role": user.role},
            )
    return user


def user_update(*, ctx: AccessContext, user: User, data: UserData) -> User:
    _require_admin(ctx)
    _validate(data, existing=user)
    with transaction.atomic():
        for name in ("username", "first_name", "last_name", "email", "unit", "role", "read_only", "is_active"):
            setattr(user, name, getattr(data, name))
        user.save()
        access_log_record(
            ctx=ctx,
            action="user.changed",
            basis=AccessBasis.ADMINISTRATION,
            detail={"username": user.username, "role": user.role, "active": user.is_active},
        )
    return user


def user_set_password(*, ctx: AccessContext | None, user: User, password: str) -> None:
    _require_admin(ctx)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput("Lösenordet är för svagt.", field_errors={"password": list(exc.messages)}) from exc
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        if ctx is not None:
            access_log_record(
                ctx=ctx,
                action="user.password_set",
                basis=AccessBasis.ADMINISTRATION,
                detail={"username": user.username},
            )


def api_token_create(*, user: User, name: str = "") -> str:
    """Create a token for `user` and return it. Only its hash is stored: show it once."""
    raw = ApiToken.generate()
    ApiToken.objects.create(user=user, name=name, token_hash=hash_token(raw))
    return raw


def api_token_user(*, raw: str) -> User | None:
    """The active user behind a bearer token, or None. Records when it was last used."""
    token = (
        ApiToken.objects.select_related("user__unit")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
