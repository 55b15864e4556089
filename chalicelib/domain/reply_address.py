"""The address a complainant's e-mail reply goes to: `reply+<token>@<INBOUND_DOMAIN>`.

The token is the case number and an HMAC of it under the service's key (LIMIT_HASH_KEY,
prefixed "reply:"), so it is bound to the case and cannot be guessed or forged without
the key, and nothing has to be stored to read it back. Lower case throughout: mail
systems may fold the local part's case.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

MAC_CHARS = 20  # base32: 100 bits
_LOCAL = re.compile(r"^reply\+([a-z]{2,5}-\d{8}-\d{4,6})\.([a-z2-7]{" + str(MAC_CHARS) + "})$")


def _mac(number: str, key: str) -> str:
    digest = hmac.new(key.encode(), f"reply:{number.upper()}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode().lower()[:MAC_CHARS]


def reply_address(number: str, domain: str, key: str) -> str:
    return f"reply+{number.lower()}.{_mac(number, key)}@{domain}"


def number_from(address: str, domain: str, key: str) -> str | None:
    """The case number a reply address names, or None (not ours, or forged)."""
    local, _, host = address.strip().lower().rpartition("@")
    if host != domain.lower():
        return None
    match = _LOCAL.match(local)
    if not match:
        return None
    number = match.group(1).upper()
    return number if hmac.compare_digest(match.group(2), _mac(number, key)) else None
