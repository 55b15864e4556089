"""Talking with the complainant (沟通与补正): public messages, requests for information,
the complainant's replies, and contacts made or received outside the system.

Pure: the use cases (service/conversation.py) load, authorize and save. Every change
goes through `handling.perform`/`handling.stamp`, so it is an audit event like any other,
refused on a closed case, and counted by domain/stats.py in the same transaction.

Rules (DOMAIN.md "Talking with the complainant"):
- a request for information (一次性告知) lists everything needed at once, with a date to
  reply by (补正期限); the case waits for the complainant and its clock pauses; one open
  request at a time;
- a reply on a waiting case ends the wait: back to in progress, the clock resumes, the
  request is answered;
- first contact (首次联系) is met by a contact that reached the complainant, or a public
  message delivered to them, never by opening the case;
- a request left unanswered past its date is treated as withdrawn (视为撤销), or goes back
  to the handler, as the organisation chooses (INFO_REQUEST_EXPIRY).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from .calendar import BusinessCalendar
from .errors import Conflict, IllegalTransition, InvalidCommand
from .info_request import InfoRequest
from .model import Complaint
from .vocabulary import Status

if TYPE_CHECKING:  # the bodies' models load with the conversation routes only
    from .conversation_bodies import ContactBody, StaffMessage

REMINDER_WORKING_DAYS = 2  # one reminder this many working days before reply_by


class ContactChannel(StrEnum):
    phone = "phone"
    visit = "visit"
    sms = "sms"
    email = "email"
    other = "other"


class Direction(StrEnum):
    outbound = "outbound"
    inbound = "inbound"


class ContactOutcome(StrEnum):
    reached = "reached"
    no_answer = "no_answer"
    busy = "busy"
    wrong_number = "wrong_number"
    left_message = "left_message"


class Expiry(StrEnum):
    withdraw = "withdraw"  # 视为撤销: the case ends as withdrawn
    resume = "resume"  # the handler decides with what there is


def new_message_id() -> str:
    return uuid.uuid4().hex[:16]


def default_reply_by(now: datetime, days: int, calendar: BusinessCalendar) -> date:
    return calendar.working_days_deadline(now, days).date()


def check_reply_by(reply_by: date, now: datetime, calendar: BusinessCalendar) -> None:
    earliest = calendar.next_working_day(calendar.local(now).date())
    if reply_by < earliest:
        raise InvalidCommand(
            "the date to reply by is too early",
            {"request.reply_by": f"not before the next working day, {earliest.isoformat()}"},
        )


def reminder_at(request: InfoRequest, calendar: BusinessCalendar) -> datetime | None:
    """The opening of the working day two working days before reply_by (business hours,
    so quiet hours are respected by construction); None when that is not after the
    request (a short time to reply gets no reminder)."""
    day = request.reply_by
    for _ in range(REMINDER_WORKING_DAYS):
        day = _previous_working_day(day, calendar)
    at = calendar.opening_time(day)
    return at if at > request.requested_at else None


def _previous_working_day(d: date, calendar: BusinessCalendar) -> date:
    from datetime import timedelta

    d -= timedelta(days=1)
    while not calendar.is_working_day(d):
        d -= timedelta(days=1)
    return d


def open_request(complaint: Complaint) -> InfoRequest | None:
    request = complaint.info_request
    return request if request and request.open else None


def ensure_no_open_request(complaint: Complaint) -> None:
    if open_request(complaint):
        raise Conflict(
            "a request for information is already open; wait for the answer or its date",
            request=complaint.info_request.id,
            reply_by=complaint.info_request.reply_by.isoformat(),
        )


def can_request(complaint: Complaint) -> None:
    if complaint.status not in (Status.in_progress, Status.waiting_for_complainant):
        raise IllegalTransition(
            f"information is requested while the case is in progress, not {complaint.status}",
            status=complaint.status.value,
            allowed=[],
        )


def numbered(items: list[str]) -> str:
    return "\n".join(f"{index}. {item}" for index, item in enumerate(items, 1))


def meet_first_contact(complaint: Complaint, at: datetime) -> bool:
    deadline = complaint.deadlines.get("first_contact")
    if deadline and deadline.pending:
        deadline.met_at = at
        return True
    return False


def replies_today(complaint: Complaint, day: date) -> int:
    return complaint.reply_count_day if complaint.reply_day == day else 0


def count_reply(complaint: Complaint, day: date) -> None:
    complaint.reply_count_day = replies_today(complaint, day) + 1
    complaint.reply_day = day
    complaint.reply_count += 1
    complaint.replies_unread += 1


def opens_replies(complaint: Complaint, user_id: str) -> bool:
    """The handler opening the case marks its replies seen (the "replied" queue)."""
    return complaint.is_open and bool(complaint.replies_unread) and complaint.assignee == user_id


def mark_replies_seen(complaint: Complaint) -> None:
    complaint.replies_unread = 0


def complainant_channel(complaint: Complaint) -> str:
    """Where a public message reaches them: e-mail, SMS, or the tracking page only."""
    from .contact import written_channel

    return written_channel(complaint.data.complainant) or "tracking_page"


def check_attachments(complaint: Complaint, ids: list[str], field: str = "attachments") -> None:
    """Files named in a message must be on the case and confirmed (the upload flow)."""
    confirmed = {item.id for item in complaint.attachments if item.uploaded_at}
    unknown = [item for item in ids if item not in confirmed]
    if unknown:
        raise InvalidCommand(
            "a file named is not an uploaded, confirmed file of this complaint",
            {field: f"unknown or unconfirmed: {', '.join(unknown)}"},
        )


# -- staff actions (called through handling.perform) ----------------------------------------


def apply_message(complaint: Complaint, body: StaffMessage, ctx):
    check_attachments(complaint, body.attachments)
    complaint.last_public_message = body.text
    return "message_sent", _message_details(complaint, body)


def apply_request(complaint: Complaint, body: StaffMessage, ctx):
    if body.request is None:
        raise InvalidCommand("a request for information needs its items", {"request": "missing"})
    ensure_no_open_request(complaint)
    check_attachments(complaint, body.attachments)
    days = ctx.limits.info_request_days
    reply_by = body.request.reply_by or default_reply_by(ctx.at, days, ctx.calendar)
    check_reply_by(reply_by, ctx.at, ctx.calendar)
    details = _message_details(complaint, body)
    complaint.info_request = InfoRequest(
        id=details["message_id"],
        items=list(body.request.items),
        reply_by=reply_by,
        due=ctx.calendar.closing_time(reply_by),
        requested_at=ctx.at,
        requested_by=ctx.actor.user_id,
        on_expiry=ctx.info_request_expiry,
    )
    complaint.paused_at = complaint.paused_at or ctx.at  # the clock pauses, as for "wait"
    complaint.last_public_message = body.text
    return "info_requested", {
        **details,
        "items": list(body.request.items),
        "reply_by": reply_by.isoformat(),
    }


def _message_details(complaint: Complaint, body: StaffMessage) -> dict:
    details = {
        "message_id": new_message_id(),
        "text": body.text,
        "channel": complainant_channel(complaint),
    }
    if body.attachments:
        details["attachments"] = list(body.attachments)
    return details


def apply_contact(complaint: Complaint, body: ContactBody, ctx):
    at = body.at or ctx.at
    if at > ctx.at:
        raise InvalidCommand("a contact is recorded after it happened", {"at": "in the future"})
    if at < complaint.received_at:
        raise InvalidCommand(
            "a contact cannot be before the complaint came in", {"at": "before received_at"}
        )
    reached = body.outcome == ContactOutcome.reached
    first = reached and meet_first_contact(complaint, at)
    return "contact_recorded", {
        "channel": body.channel.value,
        "direction": body.direction.value,
        "outcome": body.outcome.value,
        "summary": body.summary,
        "at": at.isoformat(),
        "first_contact": first,
    }


# -- the job (service/jobs.py) -----------------------------------------------------------------


def due_step(complaint: Complaint, now: datetime, calendar: BusinessCalendar) -> str | None:
    """What an open request needs now: "expire", "remind" or nothing."""
    request = open_request(complaint)
    if request is None:
        return None
    if now >= request.due:
        return "expire"
    remind = reminder_at(request, calendar)
    if request.reminded_at is None and remind is not None and now >= remind:
        return "remind"
    return None
