"""Use cases of the public: submit a complaint, and look at it with the tracking token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..domain.errors import InvalidCommand, NotFound
from ..domain.model import Channel, Complaint, ComplaintInput
from ..domain.numbering import local_day
from ..domain.tokens import hash_token, new_tracking_token, token_matches
from .context import Services
from .outbox import deliver, entries_for


@dataclass(frozen=True)
class Receipt:
    number: str
    status: str
    tracking_token: str
    received_at: datetime


def check_configured(data: ComplaintInput, services: Services) -> str:
    """Categories and departments are per organisation; returns the receiving department."""
    settings = services.settings
    errors = {}
    if data.category not in settings.categories:
        errors["category"] = f"must be one of: {', '.join(settings.categories)}"
    department = data.department or settings.default_department
    if department not in settings.departments:
        errors["department"] = f"must be one of: {', '.join(settings.departments)}"
    if errors:
        raise InvalidCommand("the complaint has invalid fields", fields=errors)
    return department


def submit_complaint(
    data: ComplaintInput,
    services: Services,
    *,
    channel: Channel = Channel.web,
    actor: str = "complainant",
    actor_role: str = "complainant",
) -> Receipt:
    department = check_configured(data, services)
    now = services.clock.now()
    token = new_tracking_token()

    def build(number: str):
        complaint = Complaint.receive(
            number=number,
            data=data,
            received_at=now,
            channel=channel,
            department=department,
            tracking_token_hash=hash_token(token),
            actor=actor,
            actor_role=actor_role,
        )
        schedule_deadlines(complaint, services)
        return complaint, entries_for(
            complaint, complaint.pending_events(), now, services.track_url
        )

    day = local_day(now, services.settings.timezone)
    complaint, outbox = services.complaints.create(day, build)
    deliver(outbox, services.notifier, services.complaints, services.clock.now())
    return Receipt(complaint.number, complaint.status.value, token, now)


def schedule_deadlines(complaint: Complaint, services: Services) -> None:
    from ..domain.deadlines import initial_deadlines, next_check_at

    limits = services.sla.limits_for(
        complaint.grade, kind=complaint.data.kind.value, category=complaint.data.category
    )
    complaint.deadlines = initial_deadlines(complaint.received_at, limits, services.calendar)
    complaint.next_due_at = next_check_at(complaint)


def public_view(number: str, token: str | None, services: Services) -> dict:
    """What the complainant sees. A wrong token looks exactly like an unknown number."""
    complaint, events = services.complaints.load_with_events(number)
    if complaint is None or not token_matches(token, complaint.tracking_token_hash):
        raise NotFound("no complaint with that number and tracking token")
    return {
        "number": complaint.number,
        "status": complaint.status.value,
        "kind": complaint.data.kind.value,
        "category": complaint.data.category,
        "subject": complaint.data.subject,
        "received_at": complaint.received_at.isoformat(),
        "deadlines": {
            name: deadline.due.isoformat()
            for name, deadline in complaint.deadlines.items()
            if deadline.pending
        },
        "timeline": [
            {"at": event.at.isoformat(), "event": event.type, **_public_details(event)}
            for event in events
            if event.public
        ],
    }


def _public_details(event) -> dict:
    # Only details written for the complainant (a refusal reason, a new date) go out.
    shown = {key: event.details[key] for key in ("reason", "to", "new_due") if key in event.details}
    return {"details": shown} if shown else {}
