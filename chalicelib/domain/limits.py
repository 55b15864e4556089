"""Limits that keep the public intake from being turned against anyone (issue 12).

- At most `per_recipient_per_day` acknowledgements to one recipient (an e-mail address, a
  phone number) per calendar day (UTC), whatever the channel it is sent on.
- At most `acks_per_source_per_hour` acknowledgements for complaints from one source (the
  caller's IP address) per clock hour.
- At most `intakes_per_source_per_hour` complaints from one source per clock hour; beyond
  that the caller is told to come back later (429 with Retry-After).

Beyond an acknowledgement limit the complaint is still taken: only the acknowledgement is
held, and the case records why. Counters are keyed by a keyed hash (HMAC-SHA256) of the
channel and the recipient or source, so no stored key holds an address in clear, and
nobody without the key can test whether an address is in the table.

Pure: no I/O. The counters live behind the `Limits` port (chalicelib/service/ports.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .errors import DomainError
from .keyed import keyed_hash

# Why an acknowledgement was held (the case's `acknowledgement_held` event says which).
RECIPIENT_LIMIT = "recipient_limit"
SOURCE_LIMIT = "source_limit"
SUPPRESSED = "suppressed"  # the address bounced or its owner reported our mail as spam

# Counters outlive their window a little, so a clock skew never resets one early.
EXPIRY_MARGIN = timedelta(hours=1)


class TooManyRequests(DomainError):
    code = "too_many_requests"

    def __init__(self, message: str, retry_after: int):
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after


@dataclass(frozen=True)
class AckLimits:
    per_recipient_per_day: int = 3
    acks_per_source_per_hour: int = 10
    intakes_per_source_per_hour: int = 30


@dataclass(frozen=True)
class Window:
    """One counting window: its label (part of the key), end and the counter's expiry."""

    label: str
    ends_at: datetime

    @property
    def expires_at(self) -> datetime:
        return self.ends_at + EXPIRY_MARGIN

    def seconds_left(self, now: datetime) -> int:
        return max(1, int((self.ends_at - now).total_seconds() + 0.999))


def day_window(now: datetime) -> Window:
    start = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return Window(f"D{start:%Y%m%d}", start + timedelta(days=1))


def hour_window(now: datetime) -> Window:
    start = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return Window(f"H{start:%Y%m%d%H}", start + timedelta(hours=1))


def normalise(channel: str, recipient: str) -> str:
    """One recipient, one key: e-mail addresses ignore case, phone numbers keep digits."""
    value = recipient.strip()
    if channel == "email":
        return value.lower()
    if channel in ("sms", "phone"):
        return re.sub(r"[^\d+]", "", value)
    return value


def recipient_key(secret: str, channel: str, recipient: str) -> str:
    """A keyed hash naming one recipient on one kind of channel (e-mail, phone)."""
    kind = "phone" if channel in ("sms", "phone") else channel
    return keyed_hash(secret, f"{kind}:{normalise(channel, recipient)}")


def source_key(secret: str, source: str) -> str:
    return keyed_hash(secret, f"source:{source.strip().lower()}")
