"""What the use cases need from the outside world; adapters implement these."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from ..domain.events import DomainEvent
from ..domain.model import Complaint
from ..domain.notifications import Message, OutboxEntry

if TYPE_CHECKING:  # the list's model loads with the list route only
    from ..domain.listing import ListCriteria


class Complaints(Protocol):
    def load(self, number: str) -> Complaint | None: ...

    def load_with_events(self, number: str) -> tuple[Complaint | None, list[DomainEvent]]: ...

    def create(
        self,
        day: date,
        build: Callable[[str], tuple[Complaint, list[OutboxEntry]]],
        claims: Callable[[], list[LimitClaim]] | None = None,
    ) -> tuple[Complaint, list[OutboxEntry]]:
        """Commit what `build(number)` returns with `claims()` (taken after each build);
        a refused claim is marked and the intake built again under the same number."""

    def save(self, complaint: Complaint, outbox: list[OutboxEntry], *others: Complaint) -> None:
        """Commit all, each conditional on the version it was read at."""

    def search(
        self, criteria: ListCriteria, departments: list[str] | None, window: tuple[date, date]
    ) -> tuple[list[Complaint], str | None]:
        """One page, bounded work; `window` is the (first, last) day received covered."""

    def record_deliveries(self, entries: list[OutboxEntry]) -> None: ...

    def repeats(self, issue: str) -> RepeatState: ...

    def due_numbers(self, now: datetime) -> list[str]: ...

    def load_many(self, numbers: list[str]) -> list[Complaint]: ...

    def received_between(
        self, start: datetime, end: datetime, *, page_size: int
    ) -> Iterator[Complaint]:
        """Received in [start, end], newest first, read lazily `page_size` at a time."""

    def outbox_owed(self, now: datetime) -> list[OutboxEntry]: ...

    def outbox_failed(self, limit: int = 100) -> list[OutboxEntry]: ...

    # Lookup (issue 18): the index's HMAC key, complaints under lookup partitions (newest
    # first, bounded), and the access log of searches.
    lookup_key: str

    def find(
        self, partitions: list[str], limit: int, cursor: str | None
    ) -> tuple[list[Complaint], str | None]: ...

    def log_search(
        self, at: datetime, user: str, roles: list[str], kind: str, results: int
    ) -> None: ...

    def search_log(
        self, month: str, limit: int, cursor: str | None
    ) -> tuple[list[dict], str | None]: ...

    def queue_counts(self, plans: list) -> list[int]:
        """Each queue plan's count, from the counters kept with every change."""

    def compact_queue_counts(self) -> int: ...


@dataclass
class RepeatState:
    """Who raised one issue (category + respondent) recently; saved with the intake."""

    issue: str
    seen: dict[str, str] = field(default_factory=dict)
    version: int = 0


class DeliveryError(Exception):
    """A notification could not be delivered; its text says why, without personal data."""


class Deferred(DeliveryError):
    """Not sent now and not a failure (the day's SMS cap is reached): retry at `until`."""

    def __init__(self, reason: str, until: datetime):
        super().__init__(reason)
        self.until = until


class Suppressed(DeliveryError):
    """Never to be sent (the recipient opted out of SMS)."""


@dataclass
class LimitClaim:
    """A limit an intake takes in its own transaction (service/acks.py, adapters/limits.py).

    kind "count": add 1 to the counter `key` on condition that it is below `limit`;
    kind "clear": on condition that the recipient `key` is not suppressed. DynamoDB checks
    every claim with the intake's other items, so concurrent intakes cannot both take the
    last unit; `refused` is set when it cancelled the transaction on this claim.
    """

    kind: str
    key: str
    limit: int = 0
    expires_at: datetime | None = None
    refused: bool = False


class Limits(Protocol):
    """Counters with an expiry and the suppression list (adapters/limits.py)."""

    def count(self, key: str) -> int:
        """The counter's value (0 if it does not exist)."""

    def suppressed(self, key: str) -> str | None:
        """Why the recipient is suppressed (bounce, complaint), or None."""

    def known_clear(self, key: str) -> None:
        """A committed intake just found the recipient not suppressed."""

    def suppress(self, key: str, reason: str, at: datetime) -> None: ...


class Notifier(Protocol):
    def send(self, message: Message) -> None:
        """Deliver or raise; the caller records the outcome either way."""


class Clock(Protocol):
    def now(self) -> datetime: ...
