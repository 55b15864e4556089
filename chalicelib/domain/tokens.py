"""Tracking tokens: the complainant's only key to an anonymous case, so never stored in clear."""

import hashlib
import hmac
import secrets

TOKEN_BYTES = 24  # 192 bits, above the 128-bit floor


def new_tracking_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str | None, stored_hash: str) -> bool:
    if not token:
        return False
    return hmac.compare_digest(hash_token(token), stored_hash)


def _pad(key: str, length: int) -> bytes:
    return hashlib.sha256(b"tracking-token-wrap:" + key.encode("utf-8")).digest()[:length]


def wrap_token(token: str, key: str) -> str:
    """Seal a token with a secret only the caller holds (its Idempotency-Key).

    The idempotency store keeps the response for retries but stores only a hash of the
    key, so what it holds cannot be turned back into the token without the key.
    """
    raw = token.encode("ascii")
    return bytes(a ^ b for a, b in zip(raw, _pad(key, len(raw)), strict=True)).hex()


def unwrap_token(sealed: str, key: str) -> str:
    raw = bytes.fromhex(sealed)
    return bytes(a ^ b for a, b in zip(raw, _pad(key, len(raw)), strict=True)).decode("ascii")
