"""Outbox: messages are committed with the change that caused them and delivered after it.

A failed delivery is recorded on its entry and left for the retry job; it never undoes
the change that caused it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..domain.events import DomainEvent
from ..domain.model import Complaint
from ..domain.notifications import Message, OutboxEntry, messages_for
from .ports import Complaints, Deferred, DeliveryError, Notifier, Suppressed

if TYPE_CHECKING:
    from .context import Services

MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(minutes=5)


def entries_for(
    complaint: Complaint,
    events: list[DomainEvent],
    at: datetime,
    track_url: str,
    department_names: Mapping[str, Mapping[str, str]] | None = None,
) -> list[OutboxEntry]:
    """`department_names` ({code: {"zh-CN", "en"}}, from the organisation's settings) names
    the department in staff notices."""
    return [
        OutboxEntry(
            number=complaint.number,
            id=_entry_id(event, index),
            message=tagged(message, complaint.number),
            created_at=at,
        )
        for event in events
        for index, message in enumerate(
            messages_for(event, complaint, track_url=track_url, department_names=department_names)
        )
    ]


def entries_owed(services: Services, at: datetime, *complaints: Complaint) -> list[OutboxEntry]:
    """The entries for the events the complaints have recorded since they were loaded."""
    names = services.org.names("departments")
    return [
        entry
        for changed in complaints
        for entry in entries_for(changed, changed.pending_events(), at, services.track_url, names)
    ]


def commit(
    complaint: Complaint,
    services: Services,
    *others: Complaint,
    extra: Iterable[OutboxEntry] = (),
) -> list[OutboxEntry]:
    """Save the change with what it owes, then deliver; returns the outbox entries with
    their delivery outcome. `extra`: entries the use case made itself."""
    outbox = entries_owed(services, services.clock.now(), complaint, *others) + list(extra)
    services.complaints.save(complaint, outbox, *others)
    deliver(outbox, services.notifier, services.complaints, services.clock.now())
    return outbox


def _entry_id(event: DomainEvent, index: int) -> str:
    """A message of the conversation names its outbox entries, so the thread can show
    each one's delivery state (`<message id>-<n>`); others get a random id."""
    message_id = event.details.get("message_id")
    return f"{message_id}-{index}" if message_id else uuid.uuid4().hex


def tagged(message: Message, number: str) -> Message:
    """E-mails carry their case's number as an SES message tag, so that a bounce or spam
    report about one (service/bounces.py) names the case it concerns."""
    if message.channel != "email" or "complaint" in message.attributes:
        return message
    return replace(message, attributes={**message.attributes, "complaint": number})


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 5, 10, 20, 40, 80 minutes."""
    return FIRST_RETRY * (2 ** max(attempts - 1, 0))


def deliver(
    entries: list[OutboxEntry], notifier: Notifier, complaints: Complaints, now: datetime
) -> list[OutboxEntry]:
    """Send what is owed, then record every outcome in one batch.

    Staff messages for the same person or group are sent as one digest: a run that
    escalates forty cases to one supervisor sends one message listing forty, not forty.
    """
    owed = [entry for entry in entries if entry.status == "pending"]  # not held ones
    for group in group_for_delivery(owed):
        message = group[0].message if len(group) == 1 else digest(group)
        try:
            notifier.send(message)
            for entry in group:
                entry.mark_sent(now)
        except Deferred as held:
            for entry in group:
                entry.defer(held.until, str(held))
        except Suppressed as why:
            for entry in group:
                entry.suppress(str(why))
        except DeliveryError as error:
            for entry in group:
                entry.mark_failed(now, str(error), _retry_at(entry, now))
    complaints.record_deliveries(entries)
    return entries


def _retry_at(entry: OutboxEntry, now: datetime) -> datetime | None:
    if entry.attempts + 1 >= MAX_ATTEMPTS:
        return None  # given up: listed for admins
    return now + retry_delay(entry.attempts + 1)


def group_for_delivery(entries: list[OutboxEntry]) -> list[list[OutboxEntry]]:
    groups: dict[tuple, list[OutboxEntry]] = {}
    for entry in entries:
        message = entry.message
        if message.channel == "topic":
            key = ("topic", tuple(sorted(message.attributes.items())))
        else:
            key = ("single", entry.number, entry.id)  # complainants get each message
        groups.setdefault(key, []).append(entry)
    return list(groups.values())


def digest(group: list[OutboxEntry]) -> Message:
    first = group[0].message
    lines = [f"- {entry.message.subject}: {entry.message.body.splitlines()[0]}" for entry in group]
    return Message(
        channel=first.channel,
        audience=first.audience,
        recipient=first.recipient,
        subject=f"{len(group)} complaints need attention",
        body=f"{len(group)} 件投诉需要处理 / {len(group)} complaints need attention:\n"
        + "\n".join(lines)
        + "\n",
        attributes=dict(first.attributes),
    )
