"""Local identity providers for the sign-in tests, served on 127.0.0.1 by the tests themselves.

- SamlIdp: pysaml2's own IdP server class (saml2.server.Server) behind a tiny WSGI app: GET
  /sso with a SAMLRequest answers an HTML form that posts a signed SAMLResponse to the SP.
- OidcProvider: a small OpenID Connect provider (discovery, JWKS, authorize, token) that signs
  ID tokens with RS256.

Keys and certificates are made here with `cryptography`; nothing leaves the machine.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from joserfc import jwt
from joserfc.jwk import RSAKey
from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT
from saml2.server import Server

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], list[bytes]]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(app: WsgiApp) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 (a free port) in a thread; yields its base URL."""
    server: WSGIServer = make_server("127.0.0.1", 0, app, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def key_pair(folder: Path, name: str) -> tuple[Path, Path]:
    """A new RSA key and a self-signed certificate for it, as PEM files in `folder`."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = folder / f"{name}.key", folder / f"{name}.crt"
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


# --- SAML 2.0 -------------------------------------------------------------------------------------


class SamlIdp:
    """pysaml2's IdP: `entity_id` is its base URL; `user` the attributes of whoever signs in next."""

    def __init__(self, *, base_url: str, folder: Path, sp_metadata: str, key_name: str = "idp") -> None:
        self.base_url = base_url
        key_file, cert_file = key_pair(folder, key_name)
        self.config = IdPConfig()
        self.config.load(
            {
                "entityid": f"{base_url}/idp",
                "xmlsec_binary": settings.SSO_XMLSEC_BINARY,
                "key_file": str(key_file),
                "cert_file": str(cert_file),
                "metadata": {"inline": [sp_metadata]},
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [(f"{base_url}/sso", BINDING_HTTP_REDIRECT)],
                            "single_logout_service": [(f"{base_url}/slo", BINDING_HTTP_REDIRECT)],
                        },
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                        "policy": {"default": {"lifetime": {"minutes": 5}, "name_form": NAME_FORMAT_URI}},
                    }
                },
            }
        )
        self.server = Server(config=self.config)
        self.user: dict[str, list[str]] = {}
        self.lifetime_minutes = 5
        self.logout_requests: list[str] = []

    def metadata(self) -> str:
        return create_metadata_string("", config=self.config).decode("utf-8")

    def _answer(self, saml_request: str) -> tuple[str, str]:
        """The ACS address and the base64 SAMLResponse for a sign-in request, signed by this IdP."""
        request = self.server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT)
        message = request.message
        # The assertion's lifetime for this answer (negative: already expired when it arrives).
        self.server.config.getattr("policy", "idp")._restrictions["default"]["lifetime"] = {
            "minutes": self.lifetime_minutes
        }
        response = self.server.create_authn_response(
            identity=self.user,
            in_response_to=message.id,
            destination=message.assertion_consumer_service_url,
            sp_entity_id=message.issuer.text,
            userid="test-user",
            name_id_policy=None,
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
            sign_assertion=True,
            sign_response=True,
            session_not_on_or_after=None,
        )
        return message.assertion_consumer_service_url, base64.b64encode(str(response).encode("utf-8")).decode("ascii")

    def wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        query = parse_qs(environ.get("QUERY_STRING", ""))
        if environ["PATH_INFO"] == "/slo":
            self.logout_requests.append(query.get("SAMLRequest", [""])[0])
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"logged out at the IdP"]
        acs, response = self._answer(query["SAMLRequest"][0])
        page = (
            f'<form method="post" action="{html.escape(acs)}">'
            f'<input type="hidden" name="SAMLResponse" value="{html.escape(response)}"></form>'
        )
        start_response("200 OK", [("Content-Type", "text/html")])
        return [page.encode("utf-8")]


# --- OpenID Connect -------------------------------------------------------------------------------


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode("ascii")


class OidcProvider:
    """A minimal provider. Knobs for the refusal tests: `claims` (of the next sign-in),
    `sign_with_other_key`, `expired`."""

    def __init__(self, *, client_id: str = "vagval", client_secret: str = "test-hemlighet") -> None:
        self.issuer = ""
        self.client_id, self.client_secret = client_id, client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-nyckel", "use": "sig", "alg": "RS256"})
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": "test-nyckel", "use": "sig", "alg": "RS256"})
        self.claims: dict[str, Any] = {}
        self.sign_with_other_key = False
        self.expired = False
        self._codes: dict[str, dict[str, Any]] = {}
        self.ended_sessions: list[dict[str, list[str]]] = []

    def _json(self, start_response: Callable[..., Any], data: Any, status: str = "200 OK") -> list[bytes]:
        start_response(status, [("Content-Type", "application/json")])
        return [json.dumps(data).encode("utf-8")]

    def _id_token(self, nonce: str) -> str:
        now = int(time.time())
        issued = now - 3600 if self.expired else now
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": "oidc-subject-1",
            "iat": issued,
            "exp": issued + 300,
            "nonce": nonce,
            **self.claims,
        }
        key = self.other_key if self.sign_with_other_key else self.key
        return jwt.encode({"alg": "RS256", "kid": "test-nyckel"}, claims, key)

    def _token(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode("utf-8")).items()}
        expected = "Basic " + base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode("ascii")
        if environ.get("HTTP_AUTHORIZATION") != expected:
            return self._json(start_response, {"error": "invalid_client"}, "401 Unauthorized")
        grant = self._codes.pop(form.get("code", ""), None)
        if grant is None or _s256(form.get("code_verifier", "")) != grant["challenge"]:
            return self._json(start_response, {"error": "invalid_grant"}, "400 Bad Request")
        token = {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300}
        return self._json(start_response, {**token, "id_token": self._id_token(grant["nonce"])})

    def wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        path = environ["PATH_INFO"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if path == "/.well-known/openid-configuration":
            return self._json(
                start_response,
                {
                    "issuer": self.issuer,
                    "authorization_endpoint": f"{self.issuer}/authorize",
                    "token_endpoint": f"{self.issuer}/token",
                    "jwks_uri": f"{self.issuer}/jwks",
                    "end_session_endpoint": f"{self.issuer}/logout",
                    "id_token_signing_alg_values_supported": ["RS256"],
                },
            )
        if path == "/jwks":
            return self._json(start_response, {"keys": [self.key.as_dict(private=False)]})
        if path == "/authorize":
            code = secrets.token_urlsafe(16)
            self._codes[code] = {"nonce": query.get("nonce", ""), "challenge": query.get("code_challenge", "")}
            location = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"
            start_response("302 Found", [("Location", location)])
            return [b""]
        if path == "/token":
            return self._token(environ, start_response)
        if path == "/logout":
            self.ended_sessions.append(parse_qs(environ.get("QUERY_STRING", "")))
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"logged out"]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
