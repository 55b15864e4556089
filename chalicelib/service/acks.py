"""Which acknowledgements may go: the limits of domain/limits.py applied at intake.

`ack_hold_reason(channel, recipient, ...)` is the one rule for every channel: the e-mail
acknowledgement here, and an SMS acknowledgement to a phone number alike (a phone number
is keyed by its digits, so "+86 138-0013-8000" and "+8613800138000" share a counter).
"""

from __future__ import annotations

from datetime import datetime

from ..domain.limits import (
    RECIPIENT_LIMIT,
    SOURCE_LIMIT,
    SUPPRESSED,
    AckLimits,
    TooManyRequests,
    day_window,
    hour_window,
    recipient_key,
    source_key,
)
from ..domain.model import Complaint
from ..domain.notifications import OutboxEntry
from .context import Services

ACK_HELD = "acknowledgement_held"


def limits_of(services: Services) -> AckLimits:
    settings = services.settings
    return AckLimits(
        per_recipient_per_day=settings.ack_limit_per_recipient_day,
        acks_per_source_per_hour=settings.ack_limit_per_source_hour,
        intakes_per_source_per_hour=settings.intake_limit_per_source_hour,
    )


def ack_hold_reason(
    channel: str,
    recipient: str,
    services: Services,
    now: datetime,
    source_count: int | None = None,
) -> str | None:
    """None if an acknowledgement to `recipient` on `channel` may go now (and counts it);
    else why it is held: suppressed, source_limit or recipient_limit."""
    limits = services.limits
    if limits is None:
        return None
    policy = limits_of(services)
    key = recipient_key(services.settings.limit_hash_key, channel, recipient)
    if limits.suppressed(key):
        return SUPPRESSED
    if source_count is not None and source_count > policy.acks_per_source_per_hour:
        return SOURCE_LIMIT
    day = day_window(now)
    if not limits.take(f"ack#{key}#{day.label}", policy.per_recipient_per_day, day.expires_at):
        return RECIPIENT_LIMIT
    return None


def is_suppressed(services: Services, channel: str, recipient: str) -> str | None:
    if services.limits is None:
        return None
    key = recipient_key(services.settings.limit_hash_key, channel, recipient)
    return services.limits.suppressed(key)


class AckGate:
    """One intake's decisions: the source counted once, each recipient decided once (the
    intake's build may run again for a new number; counters are not taken twice)."""

    def __init__(self, services: Services, now: datetime, source: str | None = None):
        self.services, self.now = services, now
        self.source_count: int | None = None
        self._decided: dict[tuple[str, str], str | None] = {}
        if source and services.limits is not None:
            self.source_count = self._count_source(source)

    def _count_source(self, source: str) -> int:
        policy = limits_of(self.services)
        window = hour_window(self.now)
        key = source_key(self.services.settings.limit_hash_key, source)
        count = self.services.limits.add(f"intake#{key}#{window.label}", window.expires_at)
        if count > policy.intakes_per_source_per_hour:
            raise TooManyRequests(
                "too many complaints from this address; try again later",
                retry_after=window.seconds_left(self.now),
            )
        return count

    def reason(self, channel: str, recipient: str) -> str | None:
        decided = (channel, recipient)
        if decided not in self._decided:
            self._decided[decided] = ack_hold_reason(
                channel, recipient, self.services, self.now, self.source_count
            )
        return self._decided[decided]

    def apply(self, complaint: Complaint, outbox: list[OutboxEntry]) -> None:
        """Hold the new complaint's acknowledgements that may not go, and say so on it."""
        for entry in outbox:
            message = entry.message
            if entry.number != complaint.number or message.audience != "complainant":
                continue
            reason = self.reason(message.channel, message.recipient)
            if reason:
                entry.suppress(reason)  # never sent; the case says why
                complaint.record(
                    ACK_HELD,
                    self.now,
                    details={"channel": message.channel, "reason": reason},
                )
