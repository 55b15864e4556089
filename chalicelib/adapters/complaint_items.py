"""Complaint records, audit events and outbox entries to and from their DynamoDB items."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from ..domain.events import DomainEvent
from ..domain.model import Complaint
from ..domain.notifications import Message, OutboxEntry
from .dynamo import EventItem, OutboxItem

DELIVERY_GRACE = timedelta(minutes=2)


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def complaint_pk(number: str) -> str:
    return f"C#{number}"


def _event_item(complaint: Complaint, index: int, event: DomainEvent) -> EventItem:
    # The version read makes the key unique even when two commands share a timestamp.
    return EventItem(
        complaint_pk(complaint.number),
        f"EV#{_iso(event.at)}#{complaint.version:06d}#{index:03d}",
        type=event.type,
        at=_iso(event.at),
        actor=event.actor,
        actor_role=event.actor_role,
        public=event.public,
        changes=json.dumps(event.changes, ensure_ascii=False, default=str),
        details=json.dumps(event.details, ensure_ascii=False, default=str),
    )


def _to_event(item: EventItem) -> DomainEvent:
    return DomainEvent(
        type=item.type,
        at=_parse(item.at),
        actor=item.actor,
        actor_role=item.actor_role,
        changes=json.loads(item.changes),
        details=json.loads(item.details),
    )


# A message's texts, stored as the outbox item's attributes of the same names.
MESSAGE_TEXTS = ("channel", "audience", "recipient", "subject", "body")


def _texts(source) -> dict[str, str]:
    return {name: getattr(source, name) for name in MESSAGE_TEXTS}


def _outbox_item(entry: OutboxEntry) -> OutboxItem:
    message = entry.message
    item = OutboxItem(
        complaint_pk(entry.number),
        f"OUT#{entry.id}",
        **_texts(message),
        attributes=json.dumps(message.attributes),
        status=entry.status,
        attempts=entry.attempts,
        last_error=entry.last_error,
        created_at=_iso(entry.created_at),
        sent_at=_iso(entry.sent_at),
    )
    if entry.status == "pending":
        # A new entry is being delivered by the command that made it: the retry job
        # leaves it alone for a grace period, so the two never send it together.
        retry_at = entry.next_attempt_at or entry.created_at + DELIVERY_GRACE
        item.outbox_pk = "PENDING"
        item.outbox_sk = f"{_iso(retry_at)}#{entry.number}#{entry.id}"
    elif entry.status == "failed":
        # Given up after the last retry: kept in a list for admins to look at.
        item.outbox_pk = "FAILED"
        item.outbox_sk = f"{_iso(entry.created_at)}#{entry.number}#{entry.id}"
    return item


def outbox_entry_from_item(item: OutboxItem) -> OutboxEntry:
    message = Message(**_texts(item), attributes=json.loads(item.attributes))
    retry_at = item.outbox_sk.split("#", 1)[0] if item.outbox_pk == "PENDING" else None
    return OutboxEntry(
        number=item.pk.removeprefix("C#"),
        id=item.sk.removeprefix("OUT#"),
        message=message,
        created_at=_parse(item.created_at),
        status=item.status,
        attempts=int(item.attempts),
        last_error=item.last_error,
        sent_at=_parse(item.sent_at),
        next_attempt_at=_parse(retry_at),
    )
