"""Who may post and where: the API keys and the one jurisdiction, configured per stage."""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass

from .errors import Open311Error


@dataclass(frozen=True)
class Open311Config:
    api_keys: tuple[str, ...]
    jurisdiction_id: str
    contact: str
    key_service: str

    @classmethod
    def from_env(cls) -> Open311Config:
        keys = os.environ.get("OPEN311_API_KEYS", "")
        return cls(
            api_keys=tuple(key.strip() for key in keys.split(",") if key.strip()),
            jurisdiction_id=os.environ.get("OPEN311_JURISDICTION_ID", "").strip(),
            contact=os.environ.get("OPEN311_CONTACT", "Contact the complaints office."),
            key_service=os.environ.get(
                "OPEN311_KEY_SERVICE", "Ask the complaints office for an api_key."
            ),
        )


def check_api_key(given: str | None, config: Open311Config) -> str:
    """The client's audit name for a valid key; every configured key is compared in full."""
    if not given:
        raise Open311Error(403, "api_key is required to post a service request")
    matched = None
    for key in config.api_keys:
        if hmac.compare_digest(given.encode("utf-8"), key.encode("utf-8")):
            matched = key
    if matched is None:
        raise Open311Error(403, "invalid api_key")
    # A fingerprint names the client in the audit trail without storing the key.
    return "open311:" + hashlib.sha256(matched.encode("utf-8")).hexdigest()[:12]


def check_jurisdiction(given: str | None, config: Open311Config) -> None:
    """A single-jurisdiction server: the argument is optional, but a wrong one is refused."""
    if given and config.jurisdiction_id and given != config.jurisdiction_id:
        raise Open311Error(404, f"jurisdiction_id {given!r} not found")
