"""Callbacks as staff work (电话回访): the list of callbacks due, recording an attempt, and
the 09:00 digest. One attempt, one transaction, conditional on the version read; a callback
and a survey answer racing for one case are decided by that condition: the first settles
the follow-up, the other is re-read and kept as additional feedback.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import ConfigDict, Field

from ..config import get_phone_settings
from ..domain import commands, follow_up
from ..domain.actor import Actor, Role
from ..domain.base import Model
from ..domain.callback_input import CallbackAttemptInput
from ..domain.callbacks import (
    RETRY_OUTCOMES,
    CallbackAttempt,
    CallbackStatus,
    IfDissatisfied,
    Outcome,
    Slot,
)
from ..domain.contact import callable_number
from ..domain.deadlines import next_check_at
from ..domain.errors import Forbidden, IllegalTransition, NotFound, StaleVersion
from ..domain.grading import one_grade_up
from ..domain.handling import link_recomplaint, perform, stamp
from ..domain.lifecycle import Action, covers
from ..domain.model import Complaint, Deadline
from ..domain.notifications import OutboxEntry, survey_message
from ..domain.numbering import local_day
from ..domain.sla import follow_up_reply_due
from ..domain.tokens import hash_token
from ..domain.vocabulary import Status
from .context import Services
from .outbox import commit
from .staff import context_for, org_wide
from .views import sees_identity

RACE_RETRIES = 3
# The digest goes with the first run from opening time; a run in this window checks the
# day's marker (one read), so the job reads nothing for it the rest of the day.
DIGEST_WINDOW = timedelta(hours=1)
DIGEST_AUDIENCE = "callbacks"  # the SNS filter attribute callback staff subscribe to
SURVEY_TOKEN_BYTES = 16  # 128 bits: short enough for a two-segment SMS


class When(StrEnum):
    due = "due"  # today's and overdue
    today = "today"
    overdue = "overdue"
    all = "all"  # every open callback, those due later included


class CallbackQuery(Model):
    """Filters of the callback list: which day range, which department, a page."""

    model_config = ConfigDict(extra="forbid")

    when: When = When.due
    department: str | None = Field(default=None, min_length=1, max_length=100)
    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2000)


def makes_callbacks(actor: Actor) -> bool:
    roles = {Role(role) for role in get_phone_settings().callback_roles}
    return bool(actor.roles & roles)


def _authorize(actor: Actor, department: str | None = None) -> None:
    if not makes_callbacks(actor):
        raise Forbidden("your role does not make callbacks")
    if department and not covers(actor, department):
        raise Forbidden("that department is outside your scope")


def list_due(query: dict, actor: Actor, services: Services) -> dict:
    criteria = CallbackQuery.model_validate(query)
    _authorize(actor, criteria.department)
    configured = list(services.org.codes("departments", active_only=False))
    if criteria.department:
        departments = [criteria.department]
    elif org_wide(actor):
        departments = configured
    else:
        departments = [d for d in configured if d in actor.departments]
    today = local_day(services.clock.now(), services.settings.timezone)
    complaints, cursor = services.complaints.callbacks_due(
        departments, today, criteria.when.value, criteria.limit, criteria.cursor
    )
    return {
        "today": today.isoformat(),
        "items": [callback_item(c, actor, today) for c in complaints],
        "next_cursor": cursor,
    }


def callback_item(complaint: Complaint, actor: Actor, today) -> dict:
    """What the caller needs: the number to dial (the caller may see it), the name only
    as staff_view would show it, and where the callback stands."""
    state = complaint.callback
    person = complaint.data.complainant
    return {
        "number": complaint.number,
        "department": complaint.department,
        "grade": complaint.grade,
        "subject": complaint.data.subject,
        "language": complaint.data.language.value,
        "resolved_at": complaint.resolved_at.isoformat() if complaint.resolved_at else None,
        "due_on": state.due_on.isoformat(),
        "slot": state.slot.value,
        "overdue": state.due_on < today,
        "attempts": len(state.attempts),
        "phone": callable_number(person),
        "name": person.name if sees_identity(actor, complaint) else "***",
        "version": complaint.version,
    }


def record(number: str, body: dict, actor: Actor, expected: int | None, services: Services) -> dict:
    command = CallbackAttemptInput.model_validate(body)
    for attempt in range(RACE_RETRIES):
        complaint = services.complaints.load(number)
        if complaint is None:
            raise NotFound(f"no complaint {number}")
        _authorize(actor, complaint.department)
        if expected is not None and complaint.version != expected:
            raise StaleVersion(
                "the complaint has changed since you read it; reload and retry",
                current_version=complaint.version,
            )
        try:
            return _record(complaint, command, actor, services)
        except StaleVersion:
            # Lost a race (a survey answer, another caller): read again and decide again,
            # unless the caller pinned the version they saw.
            if expected is not None or attempt + 1 == RACE_RETRIES:
                raise
    raise AssertionError("unreachable")


def _record(complaint: Complaint, command: CallbackAttemptInput, actor, services) -> dict:
    ctx = context_for(complaint, actor, services)
    settings = get_phone_settings()
    if complaint.follow_up_settled_by:
        if command.outcome != Outcome.reached:
            raise IllegalTransition(
                f"the follow-up was already settled by {complaint.follow_up_settled_by}",
                status=complaint.status.value,
                allowed=[],
            )
        return _additional_feedback(complaint, command, ctx, services)
    if complaint.status != Status.resolved:
        raise IllegalTransition(
            "only a resolved complaint is followed up", status=complaint.status.value, allowed=[]
        )
    if complaint.callback is None:  # staff chose to call a case that was not owed one
        follow_up.open_callback(complaint, ctx, _slots(services))
    state = complaint.callback
    if state.status in (CallbackStatus.settled, CallbackStatus.cancelled):
        state.status = CallbackStatus.due
    attempt = CallbackAttempt(
        at=ctx.at, by=actor.user_id, outcome=command.outcome, slot=command.slot
    )
    details = {"outcome": command.outcome.value, "slot": command.slot.value}
    details["attempt"] = len(state.attempts) + 1
    stamp(
        complaint, "callback_attempted", ctx, details, lambda c: c.callback.attempts.append(attempt)
    )
    extra: list = []
    if command.outcome in RETRY_OUTCOMES:
        if len(state.attempts) < settings.callback_attempts:
            stamp(
                complaint,
                "callback_rescheduled",
                ctx,
                {},
                lambda c: follow_up.retry_later(c, ctx, _slots(services)),
            )
        else:
            extra = _leave_message(complaint, ctx, services, CallbackStatus.message_left)
    elif command.outcome == Outcome.wrong_number:
        extra = _leave_message(complaint, ctx, services, CallbackStatus.unreachable)
    elif command.outcome == Outcome.refused:
        _settle(complaint, ctx, {"outcome": "refused"})
        perform(complaint, Action.close, commands.Empty(note="declined the follow-up call"), ctx)
    else:
        answers = command.answers
        _settle(complaint, ctx, {"outcome": "reached", **answers.model_dump(mode="json")})
        if not answers.dissatisfied:
            perform(complaint, Action.close, commands.Empty(note="satisfied at the callback"), ctx)
        elif command.if_dissatisfied == IfDissatisfied.reopen:
            perform(complaint, Action.reopen, commands.Reopen(reason=command.reason), ctx)
        else:
            return _recomplaint(complaint, answers, actor, services)
    _commit(complaint, services, extra)
    return _result(complaint)


def _settle(complaint: Complaint, ctx, answers: dict) -> None:
    """`follow_up_settled` with `follow_up_answer: true` is what the monthly statistics
    count as a follow-up done (domain/stats.py); a reached call's satisfaction is its
    score, as a survey's is."""
    details = {"by": "callback", "follow_up_answer": True, **answers}
    if "satisfaction" in answers:
        details["score"] = answers["satisfaction"]
        details["satisfied"] = answers["satisfaction"] >= 4 and answers["solved"]
    stamp(
        complaint,
        "follow_up_settled",
        ctx,
        details,
        lambda c: follow_up.settle(c, "callback", ctx.at, answers),
    )


def _additional_feedback(complaint, command, ctx, services) -> dict:
    answers = {"outcome": "reached", **command.answers.model_dump(mode="json")}
    stamp(
        complaint,
        "follow_up_feedback",
        ctx,
        {"by": "callback", **answers},
        lambda c: follow_up.settle(c, "callback", ctx.at, answers),
    )
    _commit(complaint, services, [])
    return {**_result(complaint), "recorded_as": "additional_feedback"}


def _leave_message(complaint: Complaint, ctx, services, status: CallbackStatus) -> list:
    """No more calls: a message with the survey link (SMS where possible), and the case
    closes when the reply window passes without an answer, as an unanswered survey does."""
    import secrets

    token = secrets.token_urlsafe(SURVEY_TOKEN_BYTES)
    reply_by = follow_up_reply_due(ctx.at, ctx.limits, ctx.calendar)
    base = services.settings.public_base_url.rstrip("/")
    message = None
    if status == CallbackStatus.message_left:
        message = survey_message(complaint, base, token, reply_by, template="message_left")
    elif complaint.data.complainant.email:  # a wrong number: not that number again
        message = survey_message(complaint, base, token, reply_by)
        message = message if message and message.channel == "email" else None

    def change(c: Complaint) -> None:
        follow_up.stop_calling(c, status, ctx.at)
        survey = c.deadlines.get("follow_up")
        if survey and survey.pending:
            survey.met_at = ctx.at  # the message is the follow-up: no survey on top of it
        c.deadlines["follow_up_reply"] = Deadline(start=ctx.at, due=reply_by)
        if message:
            c.survey_token_hash = hash_token(token)

    details = {"reply_by": reply_by.isoformat(), "channel": message and message.channel}
    left = status == CallbackStatus.message_left
    event = "callback_message_left" if left else "callback_unreachable"
    stamp(complaint, event, ctx, details, change)
    if not message:
        return []
    return [OutboxEntry(complaint.number, uuid.uuid4().hex, message, ctx.at)]


def _recomplaint(complaint: Complaint, answers, actor: Actor, services) -> dict:
    from .intake import submit_complaint

    score, solved = answers.satisfaction, answers.solved
    note = f"(callback: not satisfied, satisfaction {score}, solved {solved})"
    description = f"{answers.comment or ''}\n\n{note}".strip()[:10_000]
    data = complaint.data.model_copy(update={"description": description})

    def link(new: Complaint) -> list[Complaint]:
        new.related_to = complaint.number
        new.related_responsible = complaint.responsible_department
        new.grade = one_grade_up(complaint.grade)
        linked = complaint.model_copy(deep=True)  # fresh on every numbering attempt
        link_recomplaint(linked, new.number, new.received_at)
        return [linked]

    receipt = submit_complaint(
        data,
        services,
        channel=complaint.channel,
        actor=actor.user_id,
        actor_role=str(actor.highest_role() or "staff"),
        linked=link,
    )
    saved = services.complaints.load(complaint.number)
    return {
        **_result(saved),
        "recomplaint": receipt.number,
        "recomplaint_token": receipt.tracking_token,  # the new case's key, given once
    }


def _commit(complaint: Complaint, services, extra: list) -> None:
    # A callback moved, or a reply window opened: the job's next look at the case moves.
    complaint.next_due_at = next_check_at(complaint, services.calendar)
    commit(complaint, services, extra=extra)


def _result(complaint: Complaint) -> dict:
    state = complaint.callback
    return {
        "number": complaint.number,
        "status": complaint.status.value,
        "version": complaint.version,
        "settled_by": complaint.follow_up_settled_by,
        "callback": state.model_dump(mode="json") if state else None,
    }


def _slots(services) -> tuple[Slot, ...]:
    """The slots the organisation calls in (its settings)."""
    return tuple(Slot(slot) for slot in services.org.callback_slots)


# -- the 09:00 digest -------------------------------------------------------------------


def morning_digest(services: Services, now: datetime) -> list[OutboxEntry]:
    """Once per working day from 09:00: one message per department listing the callbacks
    due and overdue, to the callback staff's subscription (audience `callbacks`)."""
    calendar = services.calendar
    local = calendar.local(now)
    opening = calendar.opening_time(local.date())
    in_window = opening <= local < opening + DIGEST_WINDOW
    if not (in_window and calendar.is_working_day(local.date())):
        return []
    repo = services.complaints
    if repo.callback_digest_sent(local.date()):
        return []
    entries = []
    for department in services.org.codes("departments", active_only=False):
        due, _ = repo.callbacks_due([department], local.date(), "due", 100, None)
        if due:
            entries.append(_digest_entry(department, due, local.date(), now))
    if not repo.claim_callback_digest(local.date(), entries):
        return []
    return entries


def _digest_entry(department: str, due: list[Complaint], today, now) -> OutboxEntry:
    from ..domain.notifications import Message

    lines = [
        f"- {c.number} [{c.grade}] {'超期 overdue' if c.callback.due_on < today else '今日 today'}"
        f" ({c.callback.slot.value}, {len(c.callback.attempts)} tried)"
        for c in due
    ]
    body = f"{len(due)} 件回访待办 / {len(due)} callbacks due ({department}):\n" + "\n".join(lines)
    message = Message(
        "topic",
        DIGEST_AUDIENCE,
        department,
        f"{len(due)} callbacks due today",
        body + "\n",
        {"audience": DIGEST_AUDIENCE, "department": department},
    )
    return OutboxEntry(f"CALLBACKS-{today:%Y%m%d}", uuid.uuid4().hex, message, now)
