"""Mint RS256 staff tokens for local development.

    make -s token ROLE=supervisor DEPT=service USER_ID=alice      (what the README uses)
    .venv/bin/python scripts/mint_token.py --user alice --role supervisor --dept service

On first use an RSA key pair is written to the key dir (``private.pem``, mode
0600, and the public ``jwks.json``). The token goes to stdout, so
``TOKEN=$(make -s token ...)`` works; the environment the local
app needs to accept it goes to stderr.

Tokens look like Cognito ID tokens: roles in ``cognito:groups`` and
departments in ``custom:departments`` (see ``chalicelib.domain.actor``).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, only scripts/ is on sys.path; the claim mapping lives in the app.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from chalicelib.domain.actor import Actor, Role  # noqa: E402

DEFAULT_KEY_DIR = ROOT / ".local" / "auth"
DEFAULT_ISSUER = "http://127.0.0.1/local-issuer"
DEFAULT_AUDIENCE = "complaints-local"
PRIVATE_KEY_FILE = "private.pem"
JWKS_FILE = "jwks.json"


def ensure_keys(key_dir: str | os.PathLike[str] = DEFAULT_KEY_DIR) -> Path:
    """Create the key pair if missing; return the path of the public JWKS."""
    key_dir = Path(key_dir)
    key_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    private_path = key_dir / PRIVATE_KEY_FILE
    jwks_path = key_dir / JWKS_FILE
    if not private_path.exists():
        _write_private_key(private_path)
        jwks_path.unlink(missing_ok=True)  # a leftover JWKS would not match the new key
    if not jwks_path.exists():
        jwks_path.write_text(json.dumps(_public_jwks(private_path), indent=2) + "\n")
    return jwks_path


def mint(
    user: str,
    roles: Iterable[Role | str],
    departments: Iterable[str] = (),
    ttl: int = 3600,
    key_dir: str | os.PathLike[str] = DEFAULT_KEY_DIR,
    issuer: str | None = None,
    audience: str | None = None,
    name: str | None = None,
) -> str:
    """A signed RS256 ID-style token; issuer and audience default to the
    AUTH_ISSUER / AUTH_AUDIENCE environment, then to the local defaults."""
    import jwt

    jwks_path = ensure_keys(key_dir)
    kid = json.loads(jwks_path.read_text())["keys"][0]["kid"]
    actor = Actor(user_id=user, name=name or user, roles=roles, departments=departments)
    now = int(time.time())
    claims = {
        **actor.to_claims(),
        "iss": issuer or os.environ.get("AUTH_ISSUER") or DEFAULT_ISSUER,
        "aud": audience or os.environ.get("AUTH_AUDIENCE") or DEFAULT_AUDIENCE,
        "token_use": "id",
        "iat": now,
        "exp": now + ttl,
    }
    private_pem = (Path(key_dir) / PRIVATE_KEY_FILE).read_bytes()
    return jwt.encode(claims, private_pem, algorithm="RS256", headers={"kid": kid})


def _write_private_key(path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # Created with 0600 from the start: no window in which others can read it.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)


def _public_jwks(private_path: Path) -> dict:
    from cryptography.hazmat.primitives import serialization
    from jwt.algorithms import RSAAlgorithm

    key = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
    jwk = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    public = {"kty": "RSA", "n": jwk["n"], "e": jwk["e"]}
    return {"keys": [{**public, "kid": _thumbprint(public), "alg": "RS256", "use": "sig"}]}


def _thumbprint(public: dict) -> str:
    # RFC 7638: a kid derived from the key itself, stable across regenerations of jwks.json.
    canonical = json.dumps(public, sort_keys=True, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=").decode()


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Mint a local staff token (RS256).")
    parser.add_argument("--user", required=True, help="token subject (sub)")
    parser.add_argument("--name", help="display name (default: the user)")
    parser.add_argument(
        "--role", action="append", default=[], choices=[r.value for r in Role], help="repeatable"
    )
    parser.add_argument("--dept", action="append", default=[], help="department, repeatable")
    parser.add_argument("--ttl", type=int, default=3600, help="seconds (default 3600)")
    parser.add_argument("--key-dir", type=Path, default=DEFAULT_KEY_DIR)
    args = parser.parse_args(argv)
    if args.ttl <= 0:
        parser.error("--ttl must be positive")
    if any("," in d for d in args.dept):
        parser.error("--dept must not contain commas")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    token = mint(args.user, args.role, args.dept, args.ttl, args.key_dir, name=args.name)
    jwks_path = ensure_keys(args.key_dir).resolve()
    issuer = os.environ.get("AUTH_ISSUER") or DEFAULT_ISSUER
    audience = os.environ.get("AUTH_AUDIENCE") or DEFAULT_AUDIENCE
    print(token)
    env = f"AUTH_JWKS_FILE={jwks_path} AUTH_ISSUER={issuer} AUTH_AUDIENCE={audience}"
    print(f"# accepted with: {env}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
