"""The one keyed hash (HMAC-SHA256, 40 hex digits) that stands for personal data in keys:
lookup entries, acknowledgement limits, staff invitations. Never the value itself."""

from __future__ import annotations

import hashlib
import hmac


def keyed_hash(secret: str, message: str) -> str:
    return hmac.new(secret.encode("utf-8"), message.encode(), hashlib.sha256).hexdigest()[:40]
