"""The Vägval API, version 1: django-ninja plumbing only. Endpoints live in each app's api.py."""

from __future__ import annotations

from django.conf import settings
from ninja import NinjaAPI

from vagval.api.auth import ApiTokenAuth
from vagval.api.errors import install_error_handlers
from vagval.catalogue.offer_api import router as offer_router
from vagval.catalogue.placement_api import router as placements_router
from vagval.esf.api import router as esf_router
from vagval.followup.api import router as followup_router
from vagval.people.api import router as people_router
from vagval.plans.api import router as plans_router
from vagval.referrals.api import router as referrals_router

DESCRIPTION = """
Personer och deltaganden i Vägval, med samma behörighetskontroll och åtkomstlogg som webbsidorna.

**Inloggning:** skicka `Authorization: Bearer <nyckel>`. En nyckel skapas med `vagval api-token ANVÄNDARNAMN`
och gäller i ett begränsat antal dagar (standard 90). Den slutar gälla tidigare om den återkallas (under
"API-nycklar" i webben) eller om användarens lösenord byts eller kontot inaktiveras. En nyckel som har gått ut
eller återkallats får samma svar 401 som en okänd nyckel.

**Anropsgräns:** en nyckel får göra högst ett visst antal anrop per minut (standard 120). Fler får svaret
429 med huvudet `Retry-After` (sekunder till nästa minut).

**Fel:** alla fel är JSON med formen `{"detail": "...", "errors": {"fält": ["..."]}}`, där `errors`
bara finns när enskilda fält är fel (422).

**Samverkansparter** kan läsa och besvara remisser till sin enhet (`/referrals`) och hålla sina egna steg i
en plan aktuella (`/plans/{id}/steps`), under samma samtycken som på webben.

**Personnummer** skickas bara i JSON-innehåll, aldrig i adressen: sök på nummer med `POST /persons/search`.
"""

api = NinjaAPI(
    title="Vägval API",
    version="1",
    description=DESCRIPTION.strip(),
    urls_namespace="api",
    auth=ApiTokenAuth(),
    # Swagger UI needs its static files served from our own origin (strict CSP): only when
    # django-ninja is an installed app; the schema itself is always at /api/v1/openapi.json.
    docs_url="/docs" if "ninja" in settings.INSTALLED_APPS else None,
)
install_error_handlers(api)
api.add_router("/", people_router)
api.add_router("/", referrals_router)
api.add_router("/", plans_router)
api.add_router("/", offer_router)  # catalogue (issue 11): offers
api.add_router("/", placements_router)
api.add_router("/", followup_router)
api.add_router("/", esf_router)
