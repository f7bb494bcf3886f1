"""Personal link tokens: generated once, shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets

from django.utils.translation import gettext_lazy

from vagval.common.errors import VagvalError

# Why a link was refused, as written to the access log and shown (in words) on the page.
REFUSAL_TEXT = {
    "used": gettext_lazy("Formuläret är redan skickat. Tack för dina svar!"),
    "revoked": gettext_lazy("Länken har stängts av den som skickade den."),
    "expired": gettext_lazy("Länken har slutat gälla."),
    "unknown": gettext_lazy("Länken finns inte. Kontrollera att du har fått med hela adressen."),
}
TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 100


class LinkRefused(VagvalError):
    """The link cannot be used: `reason` is one of REFUSAL_TEXT's keys."""

    def __init__(self, reason: str) -> None:
        super().__init__(REFUSAL_TEXT.get(reason, REFUSAL_TEXT["unknown"]))
        self.reason = reason


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
