"""Use cases of the conversation with the complainant (issue 17): staff messages and
requests for information, the contact log, the complainant's replies, and the thread.

Each command is one transaction (the record, its audit event, its outbox entries and the
statistics it moves), like every other staff action.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ..domain import conversation as talk
from ..domain import handling
from ..domain.actor import Actor
from ..domain.conversation_bodies import ContactBody, ReplyBody, StaffMessage
from ..domain.errors import CaseClosed, StaleVersion
from ..domain.lifecycle import Action, authorize
from ..domain.limits import TooManyRequests
from ..domain.model import Complaint
from ..domain.vocabulary import Status
from . import recusal
from .context import Services
from .intake import complainant_context
from .staff import case_view, commit, context_for, load, record_once
from .views import public_thread_view, thread_view

TRIES = 3  # a command that loses a version race to a concurrent change re-reads and retries


def send_message(
    number: str, body: dict, actor: Actor, expected_version: int | None, services: Services
) -> dict:
    """A public message, or with `request` a request for information (一次性告知)."""
    command = StaffMessage.model_validate(body)
    action = Action.request_info if command.request else Action.send_message
    complaint, outbox, event = _act(number, action, command, actor, expected_version, services)
    sent = [
        entry.sent_at
        for entry in outbox
        if entry.message.audience == "complainant" and entry.status == "sent"
    ]
    pending = complaint.deadlines.get("first_contact")
    if sent and pending and pending.pending:
        # A message the complainant's channel accepted is contact made (DOMAIN.md).
        message_id = event.details["message_id"]
        complaint = meet_first_contact_once(number, min(sent), message_id, actor, services)
    return case_view(complaint, actor, services)


def record_contact(
    number: str, body: dict, actor: Actor, expected_version: int | None, services: Services
) -> dict:
    command = ContactBody.model_validate(body)
    complaint, _, _ = _act(
        number, Action.record_contact, command, actor, expected_version, services
    )
    return case_view(complaint, actor, services)


def _act(number, action, command, actor, expected_version, services):
    """(complaint as saved, its outbox entries delivered, the event recorded)."""
    complaint = load(number, services)
    if expected_version is not None and complaint.version != expected_version:
        raise StaleVersion(
            "the complaint has changed since you read it; reload and retry",
            current_version=complaint.version,
        )
    authorize(actor, action, department=complaint.department, assignee=complaint.assignee)
    recusal.check(complaint, action, command, actor)  # 回避: not the respondent, nor marked
    handling.converse(complaint, action, command, context_for(complaint, actor, services))
    event = complaint.pending_events()[-1]
    outbox = commit(complaint, services)
    return complaint, outbox, event


def meet_first_contact_once(number, at, message_id, actor, services) -> Complaint:
    """Recorded as its own event; re-read on a version race (never twice: a met deadline
    is not pending any more)."""

    def meet(complaint: Complaint) -> bool:
        deadline = complaint.deadlines.get("first_contact")
        if not complaint.is_open or not (deadline and deadline.pending):
            return False
        ctx = context_for(complaint, actor, services)
        details = {"by": "message", "message_id": message_id, "at": at.isoformat()}
        handling.stamp(
            complaint,
            "first_contact_made",
            ctx,
            details,
            lambda c: talk.meet_first_contact(c, at),
        )
        return True

    return record_once(number, services, meet, tries=TRIES)


# -- the complainant's reply ------------------------------------------------------------


def reply(
    number: str,
    complaint: Complaint,
    body: ReplyBody,
    services: Services,
    *,
    via: str = "web",
    extra: dict | None = None,
    files: list | None = None,
    tries: int = TRIES,
) -> tuple[Complaint, str]:
    """A reply from the complainant (tracking page or e-mail). On a waiting case it ends
    the wait; on another open case it is recorded and notified; on a closed case 409
    with the way to complain again. A version race (with the expiry job, or staff) is
    re-read and decided again: the loser's view of the case is never written."""
    for attempt in range(tries):
        if attempt:
            complaint = load(number, services)
        complaint.attachments = [*complaint.attachments, *(files or [])]
        message_id = _record_reply(complaint, body, services, via, extra or {})
        try:
            commit(complaint, services)
            return complaint, message_id
        except StaleVersion:
            if attempt == tries - 1:
                raise
    raise AssertionError("unreachable")


def _record_reply(complaint: Complaint, body, services: Services, via: str, extra: dict) -> str:
    now = services.clock.now()
    if not complaint.is_open:
        _keep_late_reply(complaint, body, via, now, services)
    _refuse_closed(complaint)
    _check_daily_limit(complaint, now, services)
    talk.check_attachments(complaint, body.attachments)
    ctx = complainant_context(complaint, now, services)
    details = {"message_id": talk.new_message_id(), "text": body.text, "via": via, **extra}
    if body.attachments:
        details["attachments"] = list(body.attachments)
    waiting = complaint.status == Status.waiting_for_complainant
    request = talk.open_request(complaint)
    if request:
        details["request"] = request.id
        details["in_time"] = now <= request.due
        details["request_at"] = request.requested_at.isoformat()
    day = services.calendar.local(now).date()

    def change(case: Complaint) -> None:
        talk.count_reply(case, day)
        if request:
            case.info_request.status = "answered"
            case.info_request.answered_at = now
        if waiting:
            handling.end_wait(case, ctx)

    handling.stamp(complaint, "complainant_replied", ctx, details, change)
    return details["message_id"]


LATE_REPLY_WINDOW = timedelta(hours=1)


def _keep_late_reply(complaint: Complaint, body, via: str, now: datetime, services) -> None:
    """A reply that comes just after its request expired (the job's version won the
    race) goes to the audit trail, so staff can see it; the case stays as decided."""
    request = complaint.info_request
    expired = request and request.status == "expired" and request.expired_at
    if not (expired and complaint.status == Status.withdrawn):
        return
    if now - request.expired_at > LATE_REPLY_WINDOW:
        return
    details = {"text": body.text, "via": via, "request": request.id}
    complaint.record(
        "reply_after_expiry", now, actor="complainant", actor_role="complainant", details=details
    )
    services.complaints.save(complaint, [])


def _refuse_closed(complaint: Complaint) -> None:
    if complaint.is_open:
        return
    raise CaseClosed(
        f"this complaint is {complaint.status.value}: a reply cannot be added; "
        "complain again to reopen the matter",
        status=complaint.status.value,
        allowed=["recomplaint"] if complaint.status == Status.closed else [],
        recomplaint=f"/complaints/{complaint.number}/recomplaint",
    )


def _check_daily_limit(complaint: Complaint, now: datetime, services: Services) -> None:
    limit = services.settings.public_messages_per_day
    local = services.calendar.local(now)
    if talk.replies_today(complaint, local.date()) < limit:
        return
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    raise TooManyRequests(
        f"at most {limit} replies a day on one complaint; please continue tomorrow",
        retry_after=max(1, int((midnight - local).total_seconds())),
    )


# -- threads --------------------------------------------------------------------------------

PUBLIC_MESSAGES = ("message_sent", "info_requested", "info_request_reminded")


def staff_thread(number: str, actor: Actor, services: Services) -> dict:
    complaint, events, entries, views = services.complaints.load_thread(number)
    if complaint is None:
        from ..domain.errors import NotFound

        raise NotFound(f"no complaint {number}")
    authorize(actor, Action.view, department=complaint.department, assignee=complaint.assignee)
    return {
        "number": complaint.number,
        "items": thread_view(complaint, events, entries, views, actor),
    }


def public_thread(number: str, token: str | None, services: Services) -> dict:
    """The complainant's thread (tracking token). Their first view of each message from
    staff is recorded (the staff thread shows it as read)."""
    from ..service.intake import _own

    complaint, events, _, views = services.complaints.load_thread(number)
    complaint = _own(complaint, token)
    items = public_thread_view(complaint, events, views)
    unread = [
        item["id"]
        for item in items
        if item["direction"] == "outbound" and item["id"] and not item.get("read_at")
    ]
    if unread:
        now = services.clock.now()
        services.complaints.record_views(number, unread, now)
        for item in items:
            if item["id"] in unread:
                item["read_at"] = now.isoformat()
    request = talk.open_request(complaint)
    return {
        "number": complaint.number,
        "status": complaint.status.value,
        "open_request": (
            {"items": request.items, "reply_by": request.reply_by.isoformat()} if request else None
        ),
        "items": items,
    }


def post_reply(number: str, token: str | None, body: dict, services: Services) -> dict:
    from ..service.intake import _own

    command = ReplyBody.model_validate(body)
    complaint = _own(services.complaints.load(number), token)
    complaint, message_id = reply(number, complaint, command, services, via="web")
    return {"number": complaint.number, "status": complaint.status.value, "id": message_id}
