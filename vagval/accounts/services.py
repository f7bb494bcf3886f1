"""Writes to users and API tokens. Administration actions are written to the access log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from vagval.accounts.models import ApiToken, ProjectRole, Role, TokenRevocation, User, hash_token
from vagval.accounts.system import SystemActor, is_system_actor
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied, RateLimited
from vagval.common.versions import require_version, version_of
from vagval.organisations.models import Project, Unit


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


def _require_admin(ctx: AccessContext) -> None:
    # Besides administrators: the server's operator at the command line (`vagval createuser`)
    # and the demo world's setup, each as its named system actor.
    if not (ctx.user.is_administrator or is_system_actor(ctx.user, SystemActor.COMMAND_LINE, SystemActor.DEMO)):
        raise PermissionDenied(_("Endast administratörer får hantera användare."))


def _validate(data: UserData, *, existing: User | None = None) -> None:
    errors: dict[str, list[str]] = {}
    username = data.username.strip()
    if not username:
        errors["username"] = [_("Ange ett användarnamn.")]
    elif User.objects.filter(username__iexact=username).exclude(pk=existing.pk if existing else 0).exists():
        # Case-insensitive, so "Alice" and "alice" cannot both exist and be mistaken for each other.
        errors["username"] = [_("Användarnamnet är upptaget.")]
    if data.role not in Role.values or data.role == Role.SYSTEM:
        errors["role"] = [_("Okänd roll.")]
    if data.unit is None and data.role != Role.ADMIN:
        errors["unit"] = [_("Välj en enhet (alla utom administratörer hör till en enhet).")]
    if errors:
        raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors=errors)


def user_create(*, ctx: AccessContext, data: UserData, password: str) -> User:
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
        raise InvalidInput(_("Lösenordet är för svagt."), field_errors={"password": list(exc.messages)}) from exc
    with transaction.atomic():
        user.set_password(password)
        user.save()
        access_log_record(
            ctx=ctx,
            action="user.created",
            basis=AccessBasis.ADMINISTRATION,
            detail={"username": user.username, "role": user.role},
        )
    return user


def _refuse_self_lockout(*, ctx: AccessContext, user: User, data: UserData) -> None:
    """An administrator may not deactivate themselves or take away their own administrator role."""
    if ctx.user.pk != user.pk:
        return
    errors: dict[str, list[str]] = {}
    if not data.is_active:
        errors["is_active"] = [_("Du kan inte inaktivera ditt eget konto.")]
    if user.role == Role.ADMIN and data.role != Role.ADMIN:
        errors["role"] = [_("Du kan inte ta bort din egen administratörsroll.")]
    if errors:
        raise InvalidInput(_("Du kan inte låsa ute dig själv."), field_errors=errors)


# What a user's edit version covers: the fields of the user form.
_VERSIONED_USER_FIELDS = ("username", "first_name", "last_name", "email", "unit", "role", "read_only", "is_active")


def user_version(*, user: User) -> str:
    """The user's edit version (common.versions): a login or a new password does not change it."""
    return version_of(user, fields=_VERSIONED_USER_FIELDS)


def user_update(*, ctx: AccessContext, user: User, data: UserData, expected_version: str | None = None) -> User:
    """Change a user. With `expected_version`, a change on a stale form raises Conflict."""
    _require_admin(ctx)
    _refuse_self_lockout(ctx=ctx, user=user, data=data)
    _validate(data, existing=user)
    new_values = {
        "username": data.username.strip(),
        "first_name": data.first_name,
        "last_name": data.last_name,
        "email": data.email,
        "unit": data.unit,
        "role": data.role,
        "read_only": data.read_only,
        "is_active": data.is_active,
    }
    # Names of the changed fields (not their values) go to the log.
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        require_version(expected=expected_version, current=user_version(user=user))
        changed = sorted(name for name, value in new_values.items() if getattr(user, name) != value)
        for name, value in new_values.items():
            setattr(user, name, value)
        user.save()
        access_log_record(
            ctx=ctx,
            action="user.changed",
            basis=AccessBasis.ADMINISTRATION,
            detail={"username": user.username, "role": user.role, "active": user.is_active, "changed": changed},
        )
        if not user.is_active:
            # A deactivated account keeps no way in: reactivating it does not revive its tokens.
            _revoke(ctx=ctx, owner=user, tokens=ApiToken.objects.filter(user=user), reason=TokenRevocation.DEACTIVATED)
    return user


def user_set_password(*, ctx: AccessContext, user: User, password: str) -> None:
    _require_admin(ctx)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(_("Lösenordet är för svagt."), field_errors={"password": list(exc.messages)}) from exc
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        access_log_record(
            ctx=ctx,
            action="user.password_set",
            basis=AccessBasis.ADMINISTRATION,
            detail={"username": user.username},
        )
        # Whoever knew the old password may have made a token with it: a new password ends them all.
        _revoke(ctx=ctx, owner=user, tokens=ApiToken.objects.filter(user=user), reason=TokenRevocation.PASSWORD)


def project_role_add(*, ctx: AccessContext, user: User, project: Project, role: str) -> ProjectRole:
    """Give `user` a role in `project`, in addition to the role at their own unit."""
    _require_admin(ctx)
    if role not in Role.values or role in (Role.ADMIN, Role.SYSTEM, Role.DATA_PROTECTION):
        raise InvalidInput(_("Okänd roll."), field_errors={"role": [_("Välj en roll i projektet.")]})
    if ProjectRole.objects.filter(user=user, project=project, role=role).exists():
        raise InvalidInput(
            _("Rollen finns redan."), field_errors={"role": [_("Användaren har redan den rollen i projektet.")]}
        )
    try:
        with transaction.atomic():
            project_role = ProjectRole.objects.create(user=user, project=project, role=role)
            access_log_record(
                ctx=ctx,
                action="user.project_role_added",
                basis=AccessBasis.ADMINISTRATION,
                detail={"username": user.username, "project": project.name, "role": role},
            )
    except IntegrityError as exc:  # a concurrent request added the same role
        raise InvalidInput(
            _("Rollen finns redan."), field_errors={"role": [_("Användaren har redan den rollen i projektet.")]}
        ) from exc
    return project_role


def project_role_remove(*, ctx: AccessContext, project_role: ProjectRole) -> None:
    _require_admin(ctx)
    with transaction.atomic():
        deleted, _details = ProjectRole.objects.filter(pk=project_role.pk).delete()
        if not deleted:
            raise NotFound(_("Projektrollen finns inte."))
        access_log_record(
            ctx=ctx,
            action="user.project_role_removed",
            basis=AccessBasis.ADMINISTRATION,
            detail={
                "username": project_role.user.username,
                "project": project_role.project.name,
                "role": project_role.role,
            },
        )


# --- Two-factor authentication (TOTP) ---------------------------------------------------------

_WRONG_CODE = gettext_lazy("Koden stämmer inte. Kontrollera att klockan i telefonen går rätt och försök igen.")
_THROTTLED = gettext_lazy("För många felaktiga koder. Vänta en stund och försök igen.")


def two_factor_setup_start(*, user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device (its secret is shown as a QR code), created if needed.

    Reloading the set-up page keeps the same secret, so a code scanned a moment ago still works.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=False)
    return device


def _use_token(device: TOTPDevice, token: str) -> str:
    """Try `token` on a row-locked `device`. Returns "" when accepted, else the Swedish reason.

    Callers raise only after their transaction has committed, so django-otp's count of failed
    attempts (its throttling) is kept and not rolled back with the error.
    """
    if not device.verify_is_allowed()[0]:
        return str(_THROTTLED)
    if not device.verify_token(token):
        return str(_WRONG_CODE)
    return ""


def _token_error(message: str) -> InvalidInput:
    return InvalidInput(message, field_errors={"token": [message]})


def two_factor_confirm(*, ctx: AccessContext, device: TOTPDevice, token: str) -> TOTPDevice:
    """Confirm the user's new device with the first code from the app.

    The caller then marks the session verified (django_otp.login). A user who already has a
    confirmed device must turn it off first: a password alone never replaces the second factor.
    """
    user = ctx.user
    with transaction.atomic():
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise PermissionDenied(_("Tvåstegsverifiering är redan aktiverad."))
        locked = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=user, confirmed=False).first()
        if locked is None:
            raise NotFound(_("Enheten finns inte."))
        problem = _use_token(locked, token)
        if not problem:
            locked.confirmed = True
            locked.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=locked.pk).delete()
            access_log_record(
                ctx=ctx,
                action="user.two_factor_enabled",
                basis=AccessBasis.ADMINISTRATION,
                detail={"username": user.username},
            )
    if problem:
        raise _token_error(problem)
    return locked


def two_factor_verify(*, user: User, token: str) -> TOTPDevice:
    """Check a code against the user's confirmed device. The caller marks the session verified."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            raise NotFound(_("Tvåstegsverifiering är inte aktiverad."))
        problem = _use_token(device, token)
    if problem:
        raise _token_error(problem)
    return device


def two_factor_disable(*, ctx: AccessContext, user: User) -> None:
    """Turn off two-factor for `user`: by the user themselves (not administrators, who must keep it),
    or by an administrator for someone else (a lost phone); the user then sets it up again."""
    actor = ctx.user
    if actor.pk == user.pk:
        if user.is_administrator:
            raise PermissionDenied(_("Administratörer måste ha tvåstegsverifiering."))
    elif not actor.is_administrator:
        raise PermissionDenied(_("Endast administratörer får stänga av tvåstegsverifiering för andra."))
    with transaction.atomic():
        deleted, _details = TOTPDevice.objects.filter(user=user).delete()
        if deleted:
            access_log_record(
                ctx=ctx,
                action="user.two_factor_disabled",
                basis=AccessBasis.ADMINISTRATION,
                detail={"username": user.username},
            )


# --- API tokens ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    """A new token: `raw` is shown once and never stored; `token` is the stored row."""

    raw: str
    token: ApiToken


def _may_manage_tokens(*, actor: User, owner: User) -> bool:
    """The owner, an active administrator, or a system actor (the command line, run by the operator)."""
    if actor.role == Role.SYSTEM:
        return True
    return actor.is_active and (actor.pk == owner.pk or actor.is_administrator)


def api_token_issue(*, ctx: AccessContext, user: User, name: str = "") -> IssuedToken:
    """Make a token for `user` that works for settings.API_TOKEN_DAYS days. Only its hash is kept."""
    if not _may_manage_tokens(actor=ctx.user, owner=user):
        raise PermissionDenied(_("Du får inte skapa API-nycklar åt andra."))
    if not user.is_active:
        raise InvalidInput(_("Användaren är inaktiverad och kan inte få någon API-nyckel."))
    raw = ApiToken.generate()
    expires_at = timezone.now() + dt.timedelta(days=settings.API_TOKEN_DAYS)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, token_hash=hash_token(raw), expires_at=expires_at)
        access_log_record(
            ctx=ctx,
            action="api_token.created",
            basis=AccessBasis.ADMINISTRATION,
            detail={"username": user.username, "token": str(token.pk), "expires": expires_at.date().isoformat()},
        )
    return IssuedToken(raw=raw, token=token)


def api_token_user(*, raw: str) -> User | None:
    """The active user behind a working (not revoked, not expired) token, or None.

    Records when the token was last used, and counts the request against the token's limit per
    minute: over it, RateLimited (with the seconds until the next minute).
    """
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user__unit")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if not _count_request(token, now):
        raise RateLimited(retry_after=60 - now.second)
    return token.user


def _count_request(token: ApiToken, now: dt.datetime) -> bool:
    """Count one request in the token's current minute with one conditional UPDATE (several app
    servers count together); False when the minute's limit is reached."""
    window = now.replace(second=0, microsecond=0)
    rows = ApiToken.objects.filter(pk=token.pk)
    for _attempt in range(2):
        if rows.filter(rate_window=window, rate_count__lt=settings.API_RATE_LIMIT_PER_MINUTE).update(
            rate_count=F("rate_count") + 1, last_used_at=now
        ):
            return True
        # A new minute: start it (another server may have started it a moment ago: count again).
        if rows.exclude(rate_window=window).update(rate_window=window, rate_count=1, last_used_at=now):
            return True
    return False


def _revocation_reason(*, actor: User, owner: User) -> TokenRevocation:
    if actor.role == Role.SYSTEM:
        return TokenRevocation.COMMAND_LINE
    if actor.pk == owner.pk:
        return TokenRevocation.OWNER
    return TokenRevocation.ADMINISTRATOR


def _revoke(*, ctx: AccessContext, owner: User, tokens: QuerySet[ApiToken], reason: TokenRevocation) -> list[ApiToken]:
    """Revoke those of `tokens` (all `owner`'s) that are not revoked yet; one log entry names them.

    Expired tokens are revoked too, so the list says plainly that they were ended on purpose.
    Call inside a transaction.
    """
    revoked = list(tokens.select_for_update().filter(revoked_at__isnull=True).order_by("created_at"))
    if not revoked:
        return []
    ApiToken.objects.filter(pk__in=[token.pk for token in revoked], revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason, revoked_by=ctx.user
    )
    access_log_record(
        ctx=ctx,
        action="api_token.revoked",
        basis=AccessBasis.ADMINISTRATION,
        detail={"username": owner.username, "tokens": [str(token.pk) for token in revoked], "reason": reason.value},
    )
    return revoked


def api_token_revoke(*, ctx: AccessContext, token: ApiToken) -> bool:
    """Revoke one token, by its owner, an administrator or the command line.

    Returns False when it was already revoked (nothing changes, nothing is logged).
    """
    owner = token.user
    if not _may_manage_tokens(actor=ctx.user, owner=owner):
        raise PermissionDenied(_("Du får inte återkalla andras API-nycklar."))
    reason = _revocation_reason(actor=ctx.user, owner=owner)
    with transaction.atomic():
        return bool(
            _revoke(ctx=ctx, owner=owner, tokens=ApiToken.objects.filter(pk=token.pk, user=owner), reason=reason)
        )


def api_token_revoke_all(*, ctx: AccessContext, user: User) -> int:
    """Revoke every token of `user`; returns how many were still unrevoked."""
    if not _may_manage_tokens(actor=ctx.user, owner=user):
        raise PermissionDenied(_("Du får inte återkalla andras API-nycklar."))
    reason = _revocation_reason(actor=ctx.user, owner=user)
    with transaction.atomic():
        return len(_revoke(ctx=ctx, owner=user, tokens=ApiToken.objects.filter(user=user), reason=reason))
