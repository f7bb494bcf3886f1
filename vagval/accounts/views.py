"""Log in and out, two-factor authentication and user administration. Thin: each view parses a
form, calls one service or selector and picks a template."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from vagval.accounts import selectors, services
from vagval.accounts.decorators import admin_required
from vagval.accounts.forms import (
    LoginForm,
    PasswordForm,
    ProjectRoleForm,
    TokenForm,
    UserCreateForm,
    UserFilterForm,
    UserForm,
)
from vagval.accounts.models import User
from vagval.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from vagval.common.forms import add_service_errors, add_version_field, form_status, show_conflict, submitted_version
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest, client_address
from vagval.sso import logout as sso_logout
from vagval.sso import selectors as sso_selectors
from vagval.sso import services as sso_services


def _landing_url(user: User) -> str:
    """Where a user lands after logging in: administrators have no caseload."""
    if user.is_administrator:
        return reverse("organisations:index")
    return resolve_url("people:caseload")


def _safe_next(request: AuthenticatedRequest) -> str:
    """The ?next= (or posted next) target if it is on this site, else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _is_verified(request: AuthenticatedRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


# --- Logging in and out ---------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return _landing_url(self.request.user)  # type: ignore[arg-type]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # "Logga in med …": the organisations' own identity providers (vagval.sso).
        return {**super().get_context_data(**kwargs), "identity_providers": sso_selectors.sign_in_choices()}

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        """A correct password: refused (and logged) if the user's organisation has turned local
        passwords off; else logged in, and the sign-in written to the access log."""
        try:
            sso_services.password_sign_in_check(user=form.get_user(), client_address=client_address(self.request))
        except sso_services.SignInRefused as error:
            form.add_error(None, error.message)
            return super().form_invalid(form)
        response = super().form_valid(form)
        sso_services.sign_in_record(ctx=access_context(self.request), method="password")  # type: ignore[arg-type]
        return response

    def form_invalid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        if form.has_error(NON_FIELD_ERRORS, "invalid_login"):
            sso_services.password_sign_in_failed(
                username=form.cleaned_data.get("username", ""), client_address=client_address(self.request)
            )
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET); back to the login page, or on to the identity
    provider's own logout when the user signed in through one (vagval.sso)."""

    next_page = "accounts:login"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider_logout = sso_logout.sign_out(request)
        response = super().post(request, *args, **kwargs)
        return redirect(provider_logout) if provider_logout else response


# --- Two-factor authentication --------------------------------------------------------------------


def _qr_code_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG QR code in a data: URI (CSP allows img data:)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=2)
    svg = image.to_string(encoding="utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _secret_for_manual_entry(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, as authenticator apps show it."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: AuthenticatedRequest) -> HttpResponse:
    """Set up, verify or show the status of TOTP two-factor authentication, by state:
    verified session → status (non-administrators may turn it off); confirmed device → enter a
    code; no device → set up with a QR code."""
    user = request.user
    next_url = _safe_next(request)
    context: dict[str, Any] = {"next": next_url, "is_admin": user.is_administrator}

    if _is_verified(request):
        return render(request, "accounts/two_factor_status.html", context)

    form = TokenForm(request.POST or None)
    if selectors.two_factor_device(user=user) is not None:
        if request.method == "POST" and form.is_valid():
            try:
                device = services.two_factor_verify(user=user, token=form.cleaned_data["token"])
            except InvalidInput as exc:
                add_service_errors(form, exc)
            except NotFound as exc:  # the device was removed meanwhile
                raise Http404 from exc
            else:
                otp_login(request, device)
                return redirect(next_url or _landing_url(user))
        return render(request, "accounts/two_factor_verify.html", {**context, "form": form})

    pending = services.two_factor_setup_start(user=user)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_confirm(
                ctx=access_context(request), device=pending, token=form.cleaned_data["token"]
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        except (NotFound, PermissionDenied):
            return redirect(request.get_full_path())
        else:
            otp_login(request, device)
            messages.success(request, _("Tvåstegsverifiering är aktiverad."))
            return redirect(next_url or _landing_url(user))
    context.update(form=form, qr_code=_qr_code_data_uri(pending), secret=_secret_for_manual_entry(pending))
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@require_POST
def two_factor_disable(request: AuthenticatedRequest) -> HttpResponse:
    """A non-administrator turns off their own two-factor authentication (from a verified session)."""
    if not _is_verified(request):
        raise DjangoPermissionDenied
    try:
        services.two_factor_disable(ctx=access_context(request), user=request.user)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc
    messages.success(request, _("Tvåstegsverifiering är avstängd."))
    return redirect("accounts:two_factor")


# --- The user's own API tokens -------------------------------------------------------------------


@login_required
@require_GET
def api_tokens(request: AuthenticatedRequest) -> HttpResponse:
    """The user's API tokens: when each was made, used and expires, and whether it still works."""
    tokens = selectors.api_token_list(viewer=request.user, owner=request.user)
    return render(request, "accounts/api_tokens.html", {"tokens": tokens, "token_days": settings.API_TOKEN_DAYS})


def _revoke_token(request: AuthenticatedRequest, *, owner: User, token_id: uuid.UUID) -> None:
    try:
        token = selectors.api_token_get(viewer=request.user, token_id=token_id, owner=owner)
        revoked = services.api_token_revoke(ctx=access_context(request), token=token)
    except NotFound as exc:
        raise Http404 from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc
    if revoked:
        messages.success(request, _("API-nyckeln är återkallad. Den fungerar inte längre."))
    else:
        messages.info(request, _("API-nyckeln var redan återkallad."))


@login_required
@require_POST
def api_token_revoke(request: AuthenticatedRequest, token_id: uuid.UUID) -> HttpResponse:
    """The owner revokes one of their tokens. Read-only users may too: it only takes access away."""
    _revoke_token(request, owner=request.user, token_id=token_id)
    return redirect("accounts:api_tokens")


# --- User administration --------------------------------------------------------------------------


def _get_user(request: AuthenticatedRequest, user_id: int) -> User:
    try:
        return selectors.user_get(viewer=request.user, user_id=user_id)
    except NotFound as exc:
        raise Http404 from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc


@admin_required
def user_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = UserFilterForm(request.GET or None)
    unit, role = None, ""
    if filters.is_valid():
        unit, role = filters.cleaned_data["unit"], filters.cleaned_data["role"]
    users = selectors.user_list(viewer=request.user, unit_id=unit.pk if unit else None, role=role)
    return render(request, "accounts/user_list.html", {"nav": "admin", "filters": filters, "users": users})


@admin_required
@require_http_methods(["GET", "POST"])
def user_create(request: AuthenticatedRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                ctx=access_context(request), data=form.user_data(), password=form.cleaned_data["password"]
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Användaren %(username)s är skapad.") % {"username": user.username})
            return redirect("accounts:user_edit", user_id=user.pk)
    return render(request, "accounts/user_create.html", {"nav": "admin", "form": form})


def _render_edit(
    request: AuthenticatedRequest,
    user: User,
    *,
    form: UserForm | None = None,
    role_form: ProjectRoleForm | None = None,
) -> HttpResponse:
    form = form or add_version_field(UserForm(user=user), services.user_version(user=user))
    context = {
        "nav": "admin",
        "edited": user,
        "form": form,
        "role_form": role_form or ProjectRoleForm(),
        "project_roles": selectors.user_project_roles(viewer=request.user, user=user),
        "tokens": selectors.api_token_list(viewer=request.user, owner=user),
        "is_self": user.pk == request.user.pk,
    }
    return render(request, "accounts/user_edit.html", context, status=form_status(form))


@admin_required
@require_http_methods(["GET", "POST"])
def user_edit(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    user = _get_user(request, user_id)
    if request.method != "POST":
        return _render_edit(request, user)
    form = add_version_field(UserForm(request.POST, user=user), services.user_version(user=user))
    if form.is_valid():
        try:
            services.user_update(
                ctx=access_context(request), user=user, data=form.user_data(), expected_version=submitted_version(form)
            )
        except Conflict as exc:
            user = _get_user(request, user_id)
            saved = UserForm(user=user)
            show_conflict(form, saved=saved, version=services.user_version(user=user), error=exc)
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("accounts:user_edit", user_id=user.pk)
    return _render_edit(request, user, form=form)


@admin_required
@require_POST
def user_project_role_add(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    user = _get_user(request, user_id)
    role_form = ProjectRoleForm(request.POST)
    if role_form.is_valid():
        try:
            services.project_role_add(
                ctx=access_context(request),
                user=user,
                project=role_form.cleaned_data["project"],
                role=role_form.cleaned_data["role"],
            )
        except InvalidInput as exc:
            add_service_errors(role_form, exc)
        else:
            messages.success(request, _("Projektrollen är tillagd."))
            return redirect("accounts:user_edit", user_id=user.pk)
    return _render_edit(request, user, role_form=role_form)


@admin_required
@require_POST
def user_project_role_remove(request: AuthenticatedRequest, user_id: int, project_role_id: uuid.UUID) -> HttpResponse:
    user = _get_user(request, user_id)
    try:
        project_role = selectors.project_role_get(viewer=request.user, user=user, project_role_id=project_role_id)
        services.project_role_remove(ctx=access_context(request), project_role=project_role)
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, _("Projektrollen är borttagen."))
    return redirect("accounts:user_edit", user_id=user.pk)


@admin_required
@require_POST
def user_two_factor_reset(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    """An administrator turns off someone else's two-factor (e.g. a lost phone); they set it up again."""
    user = _get_user(request, user_id)
    try:
        services.two_factor_disable(ctx=access_context(request), user=user)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc
    messages.success(request, _("Tvåstegsverifieringen är återställd. Användaren får ställa in den igen."))
    return redirect("accounts:user_edit", user_id=user.pk)


@admin_required
@require_http_methods(["GET", "POST"])
def user_password(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    user = _get_user(request, user_id)
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(ctx=access_context(request), user=user, password=form.cleaned_data["password"])
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            if user.pk == request.user.pk:
                update_session_auth_hash(request, user)  # stay logged in after changing one's own password
            messages.success(request, _("Lösenordet är ändrat."))
            return redirect("accounts:user_edit", user_id=user.pk)
    return render(request, "accounts/user_password.html", {"nav": "admin", "edited": user, "form": form})


@admin_required
@require_POST
def user_api_token_revoke(request: AuthenticatedRequest, user_id: int, token_id: uuid.UUID) -> HttpResponse:
    """An administrator revokes one of a user's tokens (e.g. one that has leaked)."""
    user = _get_user(request, user_id)
    _revoke_token(request, owner=user, token_id=token_id)
    return redirect(reverse("accounts:user_edit", kwargs={"user_id": user.pk}) + "#api-tokens")
