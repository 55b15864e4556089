"""The scheduled job: chase deadlines, follow up, close unanswered cases, retry the outbox.

Runs every 5 minutes on AWS and on demand locally (scripts/run_jobs.py --now ...). It reads
only what is due: the sparse due index names the complaints, one batch read loads them.
Each complaint is saved in one transaction conditional on the version read, with the keys
of the notices it sent, so a retried or overlapping run never sends a notice twice.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from ..domain import commands, conversation_texts
from ..domain import conversation as talk
from ..domain.action_context import Context
from ..domain.actor import Actor
from ..domain.deadlines import ACTED_ON_AT_DUE, acted_on, next_check_at, owed_notices
from ..domain.errors import StaleVersion
from ..domain.follow_up import awaits_callback
from ..domain.grading import one_grade_up
from ..domain.handling import end_as_withdrawn, end_wait, perform, stamp
from ..domain.lifecycle import Action
from ..domain.model import Complaint, Deadline
from ..domain.notifications import Message, OutboxEntry, survey_message
from ..domain.sla import follow_up_reply_due
from ..domain.tokens import hash_token
from ..domain.vocabulary import Status
from .context import Services
from .monthly_report import queue_monthly_report
from .outbox import deliver, entries_owed, tagged

SURVEY_TOKEN_BYTES = 16  # 128 bits: a link that fits a two-segment SMS
SYSTEM = Actor(user_id="scheduler", name="scheduler")


@dataclass
class JobReport:
    due: int = 0
    changed: int = 0
    skipped_stale: int = 0
    errors: int = 0
    notices: int = 0
    held: int = 0  # staff notices made in quiet hours, saved for the next business hour
    outbox_retried: int = 0
    delivered: int = 0
    failed: int = 0
    monthly_report: str | None = None  # the monthly report this run queued, if any
    numbers: list[str] = field(default_factory=list)
    anonymised: list[str] = field(default_factory=list)  # past retention (retention.py)


def run_jobs(services: Services, now: datetime | None = None) -> JobReport:
    now = now or services.clock.now()
    report = JobReport()
    # What earlier deliveries still owe, read before this run adds entries of its own.
    retries = services.complaints.outbox_owed(now)
    owed: list[OutboxEntry] = []
    numbers = services.complaints.due_numbers(now)
    report.due = len(numbers)
    for complaint in services.complaints.load_many(numbers):
        try:
            entries = handle_due(complaint, now, services)
        except StaleVersion:
            report.skipped_stale += 1  # changed meanwhile; the next run looks again
            continue
        except Exception:  # noqa: BLE001 - one bad case must not stop the others
            from ..observability import logger

            logger().exception("job failed for a complaint", number=complaint.number)
            report.errors += 1
            continue
        if entries is not None:
            report.changed += 1
            report.numbers.append(complaint.number)
            owed += entries
    owed += _callback_digest(services, now)
    report.anonymised = _retention(services, now)
    _compact_queue_counts(services, now)
    monthly = queue_monthly_report(now, services)
    if monthly:
        report.monthly_report = monthly.number
        owed.append(monthly)
    report.outbox_retried = len(retries)
    report.notices = sum(1 for entry in owed if entry.message.channel == "topic")
    # Staff notices made in quiet hours were saved to go out at the next business hour;
    # that run's outbox retry picks them up and they join its digest.
    now_owed = [entry for entry in owed if not entry.next_attempt_at]
    report.held = len(owed) - len(now_owed)
    owed = now_owed
    deliver(owed + retries, services.notifier, services.complaints, now)
    report.delivered = sum(1 for entry in owed + retries if entry.status == "sent")
    report.failed = sum(1 for entry in owed + retries if entry.status != "sent" and not entry.held)
    return report


def _compact_queue_counts(services: Services, now: datetime) -> None:
    """Once a day (the first run after 03:00, organisation time, a quiet hour), hours
    whose count went back to zero leave the queue counters, so reading them stays small."""
    from zoneinfo import ZoneInfo

    local = now.astimezone(ZoneInfo(services.settings.timezone))
    if local.hour == 3 and local.minute < 5:
        services.complaints.compact_queue_counts()


def _retention(services: Services, now: datetime) -> list[str]:
    from .retention import anonymise_due

    try:
        return anonymise_due(services, now).numbers
    except Exception:  # noqa: BLE001 - retention must not stop the run's notices
        from ..observability import logger

        logger().exception("retention failed; the next run tries again")
        return []


def _callback_digest(services: Services, now: datetime) -> list[OutboxEntry]:
    from .callbacks import morning_digest

    try:
        return morning_digest(services, now)
    except Exception:  # noqa: BLE001 - the digest must not stop the run
        from ..observability import logger

        logger().exception("callback digest failed")
        return []


def handle_due(complaint: Complaint, now: datetime, services: Services) -> list | None:
    """Apply what is due and save; returns the outbox entries owed, None if nothing was."""
    ctx = _context(complaint, now, services)
    extra: list[Message] = []
    for name in acted_on(complaint, now):
        extra += ACT[name](complaint, ctx, services)
    quiet = not services.calendar.is_business_time(now)  # for staff: outside business hours
    hushed_until = services.org.quiet_until(now, services.calendar)  # complainants' quiet hours
    _info_request(complaint, ctx, hushed_until, services)
    sent, handled = ([], []) if quiet else owed_notices(complaint, now, services.calendar)
    for notice in sent:
        kind = "reminded" if notice.level == 0 else "escalated"
        details = {
            "deadline": notice.deadline,
            "level": notice.level,
            "role": notice.role,
            "due": notice.due.isoformat(),
        }
        stamp(complaint, kind, ctx, details, lambda c, n=notice: _escalate(c, n))
    complaint.notices = complaint.notices + [k for k in handled if k not in complaint.notices]
    before = complaint.next_due_at
    complaint.next_due_at = _next(complaint, now, quiet, hushed_until, services)
    if not (complaint.pending_events() or handled or complaint.next_due_at != before):
        return None
    outbox = entries_owed(services, now, complaint)
    outbox += [
        OutboxEntry(complaint.number, _id(), tagged(message, complaint.number), now)
        for message in extra
    ]
    if quiet:
        _hold_for_business_hours(outbox, services.calendar.next_business_time(now))
    if hushed_until and services.org.quiet_hours is not None:
        _hold_for_complainants(outbox, hushed_until)
    services.complaints.save(complaint, outbox)
    return outbox


def _hold_for_business_hours(outbox: list[OutboxEntry], opening) -> None:
    """Every staff notice the job makes (a grade change, a closing, anything) waits for
    business hours; what goes to complainants is governed by their quiet hours."""
    for entry in outbox:
        if entry.message.audience != "complainant":
            entry.next_attempt_at = opening


def _hold_for_complainants(outbox: list[OutboxEntry], until) -> None:
    """With quiet hours of its own set, every message the job makes for a complainant (a
    survey, a closing notice) waits for their end. Without them (outside business hours,
    the default) only the reminder of a request for information waits, as it always has:
    a survey due at the close of business still goes out then."""
    for entry in outbox:
        if entry.message.audience == "complainant":
            entry.next_attempt_at = until


def _escalate(complaint: Complaint, notice) -> None:
    complaint.notices = [*complaint.notices, notice.key]
    complaint.escalation_level = max(complaint.escalation_level, notice.level)


def _next(complaint: Complaint, now: datetime, quiet: bool, hushed_until, services: Services):
    """Outside business hours staff notices wait for the next business hour, and in the
    complainants' quiet hours the reminder of a request waits for their end; follow-ups
    fall due when they do (their messages are held, not the step)."""
    upcoming = next_check_at(complaint, services.calendar)
    if not (quiet or hushed_until) or upcoming is None or upcoming > now:
        return upcoming
    ends = [hushed_until] if hushed_until else []
    if quiet:
        ends.append(services.calendar.next_business_time(now))
    waiting = min(ends)
    complainant_side = [
        complaint.deadlines[name].due
        for name in ACTED_ON_AT_DUE
        if name in complaint.deadlines and complaint.deadlines[name].pending
    ]
    return min([waiting, *complainant_side])


# -- requests for information (issue 17) -------------------------------------------------------


def _info_request(complaint: Complaint, ctx: Context, hushed_until, services: Services) -> None:
    """One reminder two working days before reply_by (outside complainants' quiet hours,
    by default outside business hours), then at
    the end of reply_by what INFO_REQUEST_EXPIRY said when it was asked. Saved under the
    version read, like every job change: overlapping runs do it once, and a reply in the
    same minute either wins (the request is answered) or finds the case decided."""
    step = talk.due_step(complaint, ctx.at, services.calendar)
    if not complaint.is_open or step is None:
        return
    request = complaint.info_request
    if step == "remind":
        if hushed_until:
            return  # the first run after the quiet hours sends it (_next wakes it then)
        details = {
            "message_id": talk.new_message_id(),
            "reply_by": request.reply_by.isoformat(),
            "channel": talk.complainant_channel(complaint),
        }
        stamp(complaint, "info_request_reminded", ctx, details, lambda c: _reminded(c, ctx.at))
        return
    details = {
        "by": conversation_texts.EXPIRED,
        "request": request.id,
        "reply_by": request.reply_by.isoformat(),
    }
    if request.on_expiry == talk.Expiry.resume:
        stamp(complaint, "resumed", ctx, details, lambda c: _expire(c, ctx, resume=True))
    else:
        reason = "no reply to the request for information in time / 逾期未补正，视为撤销"
        details["reason"] = reason
        stamp(complaint, "withdrawn", ctx, details, lambda c: _expire(c, ctx, resume=False))


def _reminded(complaint: Complaint, at: datetime) -> None:
    complaint.info_request.reminded_at = at


def _expire(complaint: Complaint, ctx: Context, *, resume: bool) -> None:
    complaint.info_request.status = "expired"
    complaint.info_request.expired_at = ctx.at
    if resume:
        end_wait(complaint, ctx)
    else:
        end_as_withdrawn(complaint, ctx.at)


# -- follow-up and review ------------------------------------------------------------------


def _send_survey(complaint: Complaint, ctx: Context, services: Services) -> list[Message]:
    """回访: ask the complainant, with a link that carries a survey token (its hash kept).

    Only what goes out is recorded as sent: with no channel to write to, nothing is
    stamped as sent; a callback owed carries the follow-up, and otherwise the survey
    waits on the tracking page for the reply window.
    """
    token = secrets.token_urlsafe(SURVEY_TOKEN_BYTES)
    due = follow_up_reply_due(ctx.at, ctx.limits, ctx.calendar)
    base = services.settings.public_base_url.rstrip("/")
    message = survey_message(complaint, base, token, due)
    calling = awaits_callback(complaint)

    def change(c: Complaint) -> None:
        c.deadlines["follow_up"].met_at = ctx.at
        if message:
            c.survey_token_hash = hash_token(token)
        if message or not calling:
            c.deadlines["follow_up_reply"] = Deadline(start=ctx.at, due=due)

    if message:
        details = {"reply_by": due.isoformat(), "channel": message.channel}
        stamp(complaint, "follow_up_sent", ctx, details, change)
        return [message]
    if calling:
        # Nothing to write to: the follow-up is owed all the same, by telephone.
        stamp(complaint, "follow_up_by_callback", ctx, {"reason": "no_channel"}, change)
    else:
        details = {"reason": "no_channel", "reply_by": due.isoformat()}
        stamp(complaint, "follow_up_not_sent", ctx, details, change)
    return []


def _close_unanswered(complaint: Complaint, ctx: Context, services: Services) -> list:
    complaint.deadlines["follow_up_reply"].met_at = ctx.at
    if awaits_callback(complaint):
        return []  # the callback work carries the follow-up; it closes the case itself
    if complaint.status == Status.resolved and not _answered(complaint):
        if complaint.survey_token_hash:
            note = "no reply to the follow-up within the reply window / 回访无回复，自动关闭"
        else:
            note = "closed without a follow-up: no way to reach them / 无法回访，自动关闭"
        perform(complaint, Action.close, commands.Empty(note=note), ctx)
    return []


def _answered(complaint: Complaint) -> bool:
    return complaint.survey is not None or bool(complaint.follow_up_settled_by)


def _review_grade(complaint: Complaint, ctx: Context, services: Services) -> list:
    """Unresolved after a month (a week for collective complaints): one grade up."""
    complaint.deadlines["grade_review"].met_at = ctx.at
    higher = one_grade_up(complaint.grade)
    if higher != complaint.grade and complaint.status not in (Status.resolved, Status.closed):
        reason = "unresolved after the review period / 超期未解决，自动升级"
        perform(
            complaint, Action.change_grade, commands.GradeChange(grade=higher, reason=reason), ctx
        )
    return []


ACT = {
    "follow_up": _send_survey,
    "follow_up_reply": _close_unanswered,
    "grade_review": _review_grade,
}


def _context(complaint: Complaint, now: datetime, services: Services) -> Context:
    limits = services.sla.limits_for(
        complaint.grade, kind=complaint.data.kind.value, category=complaint.data.category
    )
    return Context(
        actor=SYSTEM,
        at=now,
        calendar=services.calendar,
        limits=limits,
        internal_departments=services.org.codes("departments", active_only=False),
        role_name="system",
        policy=services.sla,
    )


def _id() -> str:
    import uuid

    return uuid.uuid4().hex
