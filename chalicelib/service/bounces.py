"""SES bounces and spam complaints: stop mailing the address, and tell staff on the case.

SES publishes Bounce and Complaint events of the configuration set (infra: EmailEventsTopic)
to SNS, which invokes `ses_events` in app.py with each message. The legacy identity
notifications (`notificationType` instead of `eventType`) carry the same fields and are
read the same way.

- A permanent (hard) bounce or a complaint puts the address on the suppression list
  (adapters/limits.py, keyed by a keyed hash): no acknowledgement or other e-mail goes to it
  again. Transient (soft) bounces are left to SES's own retries.
- The case the mail was about (the `complaint` tag every complainant e-mail carries) records
  `complainant_unreachable` with the channel and the reason, so staff use another channel.
"""

from __future__ import annotations

from datetime import datetime

from ..domain.errors import CaseClosed, StaleVersion
from ..domain.limits import recipient_key
from .context import Services

UNREACHABLE = "complainant_unreachable"
SAVE_ATTEMPTS = 3


def undeliverable(message: dict) -> tuple[str, list[str]] | None:
    """(reason, addresses) of a bounce or complaint event that must stop our mail, or None."""
    kind = message.get("eventType") or message.get("notificationType")
    if kind == "Bounce":
        bounce = message.get("bounce") or {}
        if bounce.get("bounceType") != "Permanent":
            return None
        people = bounce.get("bouncedRecipients") or []
        reason = "bounce"
    elif kind == "Complaint":
        people = (message.get("complaint") or {}).get("complainedRecipients") or []
        reason = "complaint"
    else:
        return None
    addresses = [p["emailAddress"] for p in people if p.get("emailAddress")]
    return (reason, addresses) if addresses else None


def case_numbers(message: dict) -> list[str]:
    tags = (message.get("mail") or {}).get("tags") or {}
    return list(dict.fromkeys(tags.get("complaint") or []))


def record_ses_event(message: dict, services: Services, now: datetime) -> dict:
    """Suppress the addresses and mark the cases; returns what was done (no addresses)."""
    found = undeliverable(message)
    if not found:
        return {"suppressed": 0, "cases": []}
    reason, addresses = found
    for address in addresses:
        key = recipient_key(services.settings.limit_hash_key, "email", address)
        services.limits.suppress(key, reason, now)
    marked = [
        number
        for number in case_numbers(message)
        if _mark_case(number, {a.strip().lower() for a in addresses}, reason, services, now)
    ]
    return {"suppressed": len(addresses), "cases": marked}


def _mark_case(number: str, addresses: set[str], reason: str, services, now) -> bool:
    for _ in range(SAVE_ATTEMPTS):
        complaint = services.complaints.load(number)
        email = complaint and complaint.data.complainant.email
        if not email or str(email).strip().lower() not in addresses:
            return False  # not this case's complainant: only the suppression applies
        try:
            complaint.record(UNREACHABLE, now, details={"channel": "email", "reason": reason})
        except CaseClosed:
            return False  # nothing changes a closed case; the suppression still holds
        try:
            services.complaints.save(complaint, [])
            return True
        except StaleVersion:
            continue  # changed meanwhile: read again
    return False
