"""Which acknowledgements may go: the limits of domain/limits.py applied at intake.

One rule for every channel: the e-mail acknowledgement and an SMS acknowledgement to a
phone number alike (a phone number is keyed by its digits, so "+86 138-0013-8000" and
"+8613800138000" share a counter). In order: a suppressed recipient, then the source's
acknowledgements per hour, then the recipient's per day.

The counters are taken in the intake's own transaction (ports.LimitClaim), not by calls of
their own: the source's counter on condition that it is below the limit, each recipient's
counter likewise, and a check that the recipient is not suppressed. When DynamoDB refuses
a claim the intake is built again under the same number with that acknowledgement held
(or, past the source's intake limit, refused with 429), so the limits stay exact under
concurrency and an intake makes no limit calls of its own.
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
from .ports import LimitClaim

ACK_HELD = "acknowledgement_held"


def limits_of(services: Services) -> AckLimits:
    settings = services.settings
    return AckLimits(
        per_recipient_per_day=settings.ack_limit_per_recipient_day,
        acks_per_source_per_hour=settings.ack_limit_per_source_hour,
        intakes_per_source_per_hour=settings.intake_limit_per_source_hour,
    )


class AckGate:
    """One intake's limits: the claims its transaction takes, and the acknowledgements
    held because DynamoDB refused one (the intake's build runs again after a refusal)."""

    def __init__(self, services: Services, now: datetime, source: str | None = None):
        self.services, self.now = services, now
        self.enabled = services.limits is not None
        self.policy = limits_of(services) if self.enabled else None
        self.window = hour_window(now)
        self.source: LimitClaim | None = None
        self.source_held = False  # past the source's acknowledgements for the hour
        self._recipients: dict[tuple[str, str], tuple[LimitClaim, LimitClaim]] = {}
        self._going: list[tuple[LimitClaim, LimitClaim | None]] = []  # checked this build
        if source and self.enabled:
            key = source_key(services.settings.limit_hash_key, source)
            self.source = LimitClaim(
                "count",
                f"intake#{key}#{self.window.label}",
                self.policy.intakes_per_source_per_hour,
                self.window.expires_at,
            )

    def claims(self) -> list[LimitClaim]:
        """What the intake's transaction takes as built last: the source's counter, and
        for each acknowledgement that goes, its recipient's counter and suppression check."""
        taken = [self.source] if self.source else []
        taken += [claim for pair in self._going for claim in pair if claim]
        unique = {(claim.kind, claim.key): claim for claim in taken}  # one item, one claim
        return list(unique.values())

    def apply(self, complaint: Complaint, outbox: list[OutboxEntry]) -> None:
        """Hold the new complaint's acknowledgements that may not go, and say so on it."""
        self._check_source()
        self._going = []
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
        if self.source:
            self.source.limit = self._source_limit()

    def reason(self, channel: str, recipient: str) -> str | None:
        if not self.enabled:
            return None
        clear, counter = self._claims_for(channel, recipient)
        if clear.refused:
            return SUPPRESSED
        if self.source_held:
            self._going.append((clear, None))  # a suppressed recipient still says so
            return SOURCE_LIMIT
        if counter.refused:
            return RECIPIENT_LIMIT
        self._going.append((clear, counter))
        return None

    def committed(self) -> None:
        """The intake committed: its recipients were found not suppressed just now."""
        for clear, _ in self._going:
            self.services.limits.known_clear(clear.key)

    def _claims_for(self, channel: str, recipient: str) -> tuple[LimitClaim, LimitClaim]:
        decided = (channel, recipient)
        if decided not in self._recipients:
            key = recipient_key(self.services.settings.limit_hash_key, channel, recipient)
            day = day_window(self.now)
            self._recipients[decided] = (
                LimitClaim("clear", key),
                LimitClaim(
                    "count",
                    f"ack#{key}#{day.label}",
                    self.policy.per_recipient_per_day,
                    day.expires_at,
                ),
            )
        return self._recipients[decided]

    def _source_limit(self) -> int:
        """With an acknowledgement going, the source must also be below its hourly
        acknowledgements (the count includes this intake, as the intake limit's does)."""
        policy = self.policy
        if any(counter for _, counter in self._going):
            return min(policy.intakes_per_source_per_hour, policy.acks_per_source_per_hour)
        return policy.intakes_per_source_per_hour

    def _check_source(self) -> None:
        source = self.source
        if not source or not source.refused:
            return
        policy = self.policy
        over = source.limit >= policy.intakes_per_source_per_hour
        if not over:  # refused below the intake limit: which limit it was, the count says
            over = self.services.limits.count(source.key) >= policy.intakes_per_source_per_hour
        if over:
            raise TooManyRequests(
                "too many complaints from this address; try again later",
                retry_after=self.window.seconds_left(self.now),
            )
        source.refused = False
        self.source_held = True
