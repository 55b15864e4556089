"""Outbox: messages are committed with the change that caused them and delivered after it.

A failed delivery is recorded on its entry and left for the retry job; it never undoes
the change that caused it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from ..domain.events import DomainEvent
from ..domain.model import Complaint
from ..domain.notifications import OutboxEntry, messages_for
from .ports import Complaints, DeliveryError, Notifier

MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(minutes=5)


def entries_for(
    complaint: Complaint, events: list[DomainEvent], at: datetime, track_url: str
) -> list[OutboxEntry]:
    return [
        OutboxEntry(number=complaint.number, id=uuid.uuid4().hex, message=message, created_at=at)
        for event in events
        for message in messages_for(event, complaint, track_url=track_url)
    ]


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 5, 10, 20, 40, 80 minutes."""
    return FIRST_RETRY * (2 ** max(attempts - 1, 0))


def deliver(
    entries: list[OutboxEntry], notifier: Notifier, complaints: Complaints, now: datetime
) -> list[OutboxEntry]:
    for entry in entries:
        try:
            notifier.send(entry.message)
            entry.mark_sent(now)
        except DeliveryError as error:
            retry_at = now + retry_delay(entry.attempts + 1)
            if entry.attempts + 1 >= MAX_ATTEMPTS:
                retry_at = None
            entry.mark_failed(now, str(error), retry_at)
    complaints.record_deliveries(entries)
    return entries
