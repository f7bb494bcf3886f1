"""Reads of users, their project roles, two-factor devices and API tokens. User lists are for
administrators; a user's tokens are for the user and administrators."""

from __future__ import annotations

import uuid

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from vagval.accounts.models import ApiToken, ProjectRole, Role, User
from vagval.common.errors import NotFound, PermissionDenied


def _require_admin(viewer: User) -> None:
    if not (viewer.is_active and viewer.is_administrator):
        raise PermissionDenied(_("Endast administratörer får hantera användare."))


def _with_two_factor(users: QuerySet[User]) -> QuerySet[User]:
    """Annotate each user with `has_two_factor`: a confirmed TOTP device exists."""
    confirmed = TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)
    return users.annotate(has_two_factor=Exists(confirmed))


def user_list(*, viewer: User, unit_id: uuid.UUID | None = None, role: str = "") -> QuerySet[User]:
    """All users, optionally filtered by unit and role, for the administration screens."""
    _require_admin(viewer)
    users = User.objects.select_related("unit__organisation")
    if unit_id:
        users = users.filter(unit_id=unit_id)
    if role:
        users = users.filter(role=role)
    return _with_two_factor(users).order_by("username")


def user_get(*, viewer: User, user_id: int) -> User:
    _require_admin(viewer)
    user = _with_two_factor(User.objects.select_related("unit__organisation").filter(pk=user_id)).first()
    if user is None:
        raise NotFound(_("Användaren finns inte."))
    return user


def user_project_roles(*, viewer: User, user: User) -> QuerySet[ProjectRole]:
    _require_admin(viewer)
    return ProjectRole.objects.filter(user=user).select_related("project").order_by("project__name", "role")


def project_role_get(*, viewer: User, user: User, project_role_id: uuid.UUID) -> ProjectRole:
    _require_admin(viewer)
    project_role = ProjectRole.objects.select_related("user", "project").filter(pk=project_role_id, user=user).first()
    if project_role is None:
        raise NotFound(_("Projektrollen finns inte."))
    return project_role


def two_factor_device(*, user: User) -> TOTPDevice | None:
    """The user's confirmed TOTP device, or None when two-factor is not set up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def _require_token_viewer(*, viewer: User, owner: User) -> None:
    """A user's tokens are seen by the user, active administrators and the command line."""
    if viewer.role == Role.SYSTEM:
        return
    if not viewer.is_active or (viewer.pk != owner.pk and not viewer.is_administrator):
        raise PermissionDenied(_("Du får bara se dina egna API-nycklar."))


def api_token_list(*, viewer: User, owner: User) -> QuerySet[ApiToken]:
    """Every token of `owner`, newest first, working or not (the list says which)."""
    _require_token_viewer(viewer=viewer, owner=owner)
    return ApiToken.objects.filter(user=owner).select_related("revoked_by").order_by("-created_at")


def api_token_get(*, viewer: User, token_id: uuid.UUID, owner: User | None = None) -> ApiToken:
    """One token by its id (never by the token itself). With `owner`, only that user's token.

    A token the viewer may not see is "not found", so ids of other users' tokens reveal nothing.
    """
    tokens = ApiToken.objects.select_related("user").filter(pk=token_id)
    if owner is not None:
        tokens = tokens.filter(user=owner)
    token = tokens.first()
    if token is None:
        raise NotFound(_("API-nyckeln finns inte."))
    try:
        _require_token_viewer(viewer=viewer, owner=token.user)
    except PermissionDenied as exc:
        raise NotFound(_("API-nyckeln finns inte.")) from exc
    return token
