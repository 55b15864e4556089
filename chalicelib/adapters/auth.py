"""Staff authentication: verify a bearer JWT and turn its claims into an Actor.

Tokens are Cognito user-pool tokens in production and tokens minted by
``scripts/mint_token.py`` locally; both are RS256 JWTs checked against a JWKS.

Environment, read when the verifier is first needed (never at import):

- ``AUTH_JWKS_URL``  JWKS address, e.g.
  ``https://cognito-idp.{region}.amazonaws.com/{pool_id}/.well-known/jwks.json``;
  fetched on first use, cached per process, refetched on an unknown ``kid``
  (at most once per ``REFETCH_INTERVAL_SECONDS``).
- ``AUTH_JWKS_FILE`` path of a local JWKS file instead (local development).
  Exactly one of the two must be set.
- ``AUTH_ISSUER``    expected ``iss``, e.g.
  ``https://cognito-idp.{region}.amazonaws.com/{pool_id}``.
- ``AUTH_AUDIENCE``  app client id; several may be given comma-separated.

ID tokens name the client in ``aud``; access tokens have no ``aud`` but carry
``client_id`` and ``token_use=access``. Both are accepted. Claims become an
``Actor`` as described in ``chalicelib.domain.actor``.

PyJWT and cryptography cost ~170 ms to import, so they are imported on first
verification rather than here, keeping Lambda cold starts of routes that need
no token cheap.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from chalicelib.domain.actor import Actor

ALGORITHM = "RS256"
LEEWAY_SECONDS = 30
TOKEN_USES = frozenset({"id", "access"})
MAX_TOKEN_CHARS = 16_384
MAX_JWKS_BYTES = 1_000_000
FETCH_TIMEOUT_SECONDS = 5
# Bounds how often forged kids can make us hit the JWKS endpoint.
REFETCH_INTERVAL_SECONDS = 300
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class AuthError(Exception):
    """The caller is not authenticated. The message is a short reason that is
    safe to send back (answer 401)."""


class AuthUnavailable(AuthError):
    """Keys or configuration are missing: a server fault rather than the
    caller's (answer 500/503 and log the message; do not return it)."""


def cognito_issuer(region: str, pool_id: str) -> str:
    return f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"


def cognito_jwks_url(region: str, pool_id: str) -> str:
    return f"{cognito_issuer(region, pool_id)}/.well-known/jwks.json"


def parse_bearer(header_value: str | None) -> str:
    """Token from an ``Authorization: Bearer <token>`` header value."""
    if not header_value:
        raise AuthError("missing bearer token")
    parts = header_value.split()
    if len(parts) != 2 or parts[0].lower() != "bearer":
        raise AuthError("expected a Bearer token")
    return parts[1]


def parse_jwks(raw: bytes | str) -> dict[str, Any]:
    """RSA signing keys of a JWKS document by kid; unusable entries are skipped."""
    from jwt.algorithms import RSAAlgorithm
    from jwt.exceptions import InvalidKeyError

    data = json.loads(raw)
    entries = data.get("keys") if isinstance(data, dict) else None
    keys: dict[str, Any] = {}
    for jwk in entries if isinstance(entries, list) else []:
        if not _is_signing_key(jwk):
            continue
        try:
            # Only n and e: never let a stray private part turn into a key object.
            keys[jwk["kid"]] = RSAAlgorithm.from_jwk({"kty": "RSA", "n": jwk["n"], "e": jwk["e"]})
        except (InvalidKeyError, KeyError, TypeError, ValueError):
            continue
    return keys


def _is_signing_key(jwk: Any) -> bool:
    return (
        isinstance(jwk, dict)
        and jwk.get("kty") == "RSA"
        and isinstance(jwk.get("kid"), str)
        and jwk.get("use", "sig") == "sig"
        and jwk.get("alg", ALGORITHM) == ALGORITHM
    )


def url_loader(url: str, timeout: float = FETCH_TIMEOUT_SECONDS) -> Callable[[], bytes]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    # Keys fetched over plain HTTP could be swapped in transit; allow it only locally.
    if parts.scheme != "https" and not (
        parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
    ):
        raise AuthUnavailable("JWKS URL must use https")

    def load() -> bytes:
        import urllib.request

        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read(MAX_JWKS_BYTES + 1)
        if len(body) > MAX_JWKS_BYTES:
            raise ValueError("JWKS document too large")
        return body

    return load


def file_loader(path: str | os.PathLike[str]) -> Callable[[], bytes]:
    return Path(path).read_bytes


class KeySet:
    """Signing keys by kid, loaded on first use and reloaded when an unknown
    kid appears (keys rotate), but not more often than ``refetch_interval``."""

    def __init__(
        self, load: Callable[[], bytes], refetch_interval: float = REFETCH_INTERVAL_SECONDS
    ) -> None:
        self._load = load
        self._refetch_interval = refetch_interval
        self._keys: dict[str, Any] | None = None
        self._last_refetch: float | None = None
        self._lock = threading.Lock()
        self.fetch_count = 0

    def get(self, kid: str) -> Any | None:
        with self._lock:
            if self._keys is None or (kid not in self._keys and self._may_refetch()):
                self._keys = self._fetch()
            return self._keys.get(kid)

    def _may_refetch(self) -> bool:
        now = time.monotonic()
        if self._last_refetch is not None and now - self._last_refetch < self._refetch_interval:
            return False
        self._last_refetch = now
        return True

    def _fetch(self) -> dict[str, Any]:
        self.fetch_count += 1
        try:
            return parse_jwks(self._load())
        except (OSError, ValueError) as exc:
            raise AuthUnavailable(f"signing keys unavailable: {exc}") from exc


class TokenVerifier:
    def __init__(
        self,
        *,
        issuer: str,
        audience: str | Iterable[str],
        jwks_url: str | None = None,
        jwks_file: str | os.PathLike[str] | None = None,
        leeway: float = LEEWAY_SECONDS,
        refetch_interval: float = REFETCH_INTERVAL_SECONDS,
    ) -> None:
        if (jwks_url is None) == (jwks_file is None):
            raise AuthUnavailable("give exactly one of jwks_url or jwks_file")
        if not issuer:
            raise AuthUnavailable("issuer is required")
        self.issuer = issuer
        self.audiences = frozenset([audience] if isinstance(audience, str) else audience)
        if not self.audiences:
            raise AuthUnavailable("audience is required")
        self.leeway = leeway
        load = url_loader(jwks_url) if jwks_url else file_loader(jwks_file)
        self.keys = KeySet(load, refetch_interval)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> TokenVerifier:
        env = os.environ if environ is None else environ
        url = env.get("AUTH_JWKS_URL", "").strip()
        path = env.get("AUTH_JWKS_FILE", "").strip()
        if bool(url) == bool(path):
            raise AuthUnavailable("set exactly one of AUTH_JWKS_URL or AUTH_JWKS_FILE")
        audience = [a.strip() for a in env.get("AUTH_AUDIENCE", "").split(",") if a.strip()]
        return cls(
            issuer=env.get("AUTH_ISSUER", "").strip(),
            audience=audience,
            jwks_url=url or None,
            jwks_file=path or None,
        )

    def verify(self, token: str) -> Actor:
        key = self.keys.get(_key_id(token))
        if key is None:
            raise AuthError("unknown signing key")
        claims = self._decode(token, key)
        self._check_client(claims)
        try:
            return Actor.from_claims(claims)
        except ValueError as exc:
            raise AuthError("invalid claims") from exc

    def _decode(self, token: str, key: Any) -> dict[str, Any]:
        import jwt

        try:
            return jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                issuer=self.issuer,
                leeway=self.leeway,
                # Audience is checked by _check_client: access tokens have no aud.
                options={"require": ["exp", "iss", "sub", "token_use"], "verify_aud": False},
            )
        except jwt.ExpiredSignatureError as exc:
            raise AuthError("token expired") from exc
        except jwt.InvalidSignatureError as exc:
            raise AuthError("invalid signature") from exc
        except jwt.PyJWTError as exc:
            raise AuthError("invalid token") from exc

    def _check_client(self, claims: Mapping[str, Any]) -> None:
        token_use = claims.get("token_use")
        if token_use not in TOKEN_USES:
            raise AuthError("invalid token use")
        if _audience_set(claims.get("aud")) & self.audiences:
            return
        client_id = claims.get("client_id")
        if token_use == "access" and isinstance(client_id, str) and client_id in self.audiences:
            return
        raise AuthError("invalid audience")


def _key_id(token: Any) -> str:
    import jwt

    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS:
        raise AuthError("malformed token")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise AuthError("malformed token") from exc
    # Checked before any key lookup so none/HS* tokens never reach a verifier.
    if header.get("alg") != ALGORITHM:
        raise AuthError("unsupported algorithm")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise AuthError("unknown signing key")
    return kid


def _audience_set(aud: Any) -> frozenset[str]:
    if isinstance(aud, str):
        return frozenset([aud])
    if isinstance(aud, list):
        return frozenset(a for a in aud if isinstance(a, str))
    return frozenset()


_verifier: TokenVerifier | None = None
_verifier_lock = threading.Lock()


def get_verifier() -> TokenVerifier:
    """Process-wide verifier built from the environment on first call, so the
    JWKS cache survives across warm Lambda invocations."""
    global _verifier
    if _verifier is None:
        with _verifier_lock:
            if _verifier is None:
                _verifier = TokenVerifier.from_env()
    return _verifier


def reset_verifier() -> None:
    """Forget the cached verifier (tests, or after changing the environment)."""
    global _verifier
    _verifier = None


def verify(token: str) -> Actor:
    return get_verifier().verify(token)
