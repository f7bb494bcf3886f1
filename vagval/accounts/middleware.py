"""The second factor before anything else: administrators and data-protection officers (who see
across units) always, and everyone else once they have turned on two-factor authentication
(otherwise turning it on would protect nothing)."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from vagval.accounts.models import Role

# Prefixes open before the second factor is verified. Of /konto/ only the login, logout and
# two-factor pages are open (_OPEN_URL_NAMES): user administration lives under /konto/ too.
_OPEN_PREFIXES = ("/static/", "/i18n/", "/api/", "/halsa/")
_OPEN_URL_NAMES = ("accounts:login", "accounts:logout", "accounts:two_factor")


def _is_open(path: str) -> bool:
    return path.startswith(_OPEN_PREFIXES) or path in {reverse(name) for name in _OPEN_URL_NAMES}


def _needs_second_factor(user: Any) -> bool:
    if not user.is_authenticated or user.is_verified():
        return False
    if getattr(user, "role", None) in (Role.ADMIN, Role.DATA_PROTECTION):
        return True
    known = getattr(user, "has_confirmed_totp", None)  # loaded with the user (accounts.backends)
    if known is not None:
        return bool(known)
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and not _is_open(request.path) and _needs_second_factor(user):
            # get_full_path keeps filters in the query string; no personnummer is ever in a URL.
            target = f"{reverse('accounts:two_factor')}?{urlencode({'next': request.get_full_path()})}"
            if request.headers.get("HX-Request") == "true":
                # htmx would swap the two-factor page into a fragment: make it load the whole page.
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
        return self.get_response(request)
