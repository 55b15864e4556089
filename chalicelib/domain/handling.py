"""What each staff action does to a complaint. Pure: the caller loads, authorizes and saves.

Every action goes through `perform`, which checks the transition, applies the change and
records one event whose `changes` hold the before and after of every field it changed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from . import conversation as talk
from .actor import Role
from .deadlines import SERVICE_DEADLINES, next_check_at
from .errors import Forbidden, InvalidCommand
from .follow_up import cancel_callback, open_callback
from .lifecycle import WITHDRAWABLE, Action, next_status
from .model import Complaint, Conflict, Deadline, ExtensionRequest, HandlingRecord
from .sla import Deadlines, Limits, extend, follow_up_due, shift_for_pause
from .vocabulary import Kind, Status

if TYPE_CHECKING:  # the action bodies' models: see BODIES
    from . import commands as c
    from .action_context import Context

AUDIT_EXCLUDED = {"version", "next_due_at", "updated_at"}


def perform(complaint: Complaint, action: Action, body, ctx: Context) -> None:
    target = next_status(complaint.status, action)
    before = _snapshot(complaint)
    event_type, details = APPLY[action](complaint, body, ctx)
    complaint.status = target
    complaint.next_due_at = next_check_at(complaint, ctx.calendar)
    _record(complaint, event_type, ctx, before, details)


TALK: dict[Action, Callable] = {
    Action.send_message: talk.apply_message,
    Action.request_info: talk.apply_request,
    Action.record_contact: talk.apply_contact,
}


def converse(complaint: Complaint, action: Action, body, ctx: Context) -> None:
    """A message, a request for information or a contact: on any case not finished; a
    request only while in progress or waiting, and it makes the case wait."""
    from .errors import IllegalTransition
    from .lifecycle import allowed_actions
    from .model import FINAL_STATUSES

    if complaint.status in FINAL_STATUSES:
        raise IllegalTransition(
            f"cannot {action.value} a complaint that is {complaint.status.value}",
            status=complaint.status.value,
            allowed=allowed_actions(complaint.status),
        )
    if action == Action.request_info:
        talk.can_request(complaint)
    before = _snapshot(complaint)
    event_type, details = TALK[action](complaint, body, ctx)
    if action == Action.request_info:
        complaint.status = Status.waiting_for_complainant
    complaint.next_due_at = next_check_at(complaint, ctx.calendar)
    _record(complaint, event_type, ctx, before, details)


def stamp(complaint: Complaint, event_type: str, ctx: Context, details: dict, change=None):
    """Record a change that is not a status transition (a reminder, a follow-up sent)."""
    complaint.check_changeable(event_type)
    before = _snapshot(complaint)
    if change:
        change(complaint)
    _record(complaint, event_type, ctx, before, details)


def _record(complaint: Complaint, event_type: str, ctx: Context, before: dict, details: dict):
    _record_as(complaint, event_type, before, details, ctx.at, ctx.actor.user_id, ctx.role)


def _record_as(complaint, event_type, before, details, at, actor, role) -> None:
    """The event, with what changed since `before` (a snapshot)."""
    complaint.record(
        event_type,
        at,
        actor=actor,
        actor_role=role,
        changes=_diff(before, _snapshot(complaint)),
        details=details,
    )


def withdraw(complaint: Complaint, reason: str | None, at: datetime) -> None:
    """The complainant's own action, with the tracking token."""
    from .errors import IllegalTransition

    if complaint.status not in WITHDRAWABLE:
        raise IllegalTransition(
            f"a complaint that is {complaint.status.value} cannot be withdrawn",
            status=complaint.status.value,
            allowed=[],
        )
    before = _snapshot(complaint)
    complaint.status = Status.withdrawn
    complaint.closed_at = at
    _meet_all(complaint, at)
    complaint.next_due_at = None
    details = {"reason": reason} if reason else {}
    _record_as(complaint, "withdrawn", before, details, at, "complainant", "complainant")


def link_recomplaint(original: Complaint, new_number: str, at: datetime) -> None:
    original.check_changeable("recomplained")
    before = _snapshot(original)
    original.recomplaints.append(new_number)
    if original.status == Status.resolved:
        original.status = Status.closed
        original.closed_at = at
        cancel_callback(original, at)
        _meet_all(original, at)
        original.next_due_at = None
    details = {"new_number": new_number}
    _record_as(original, "recomplained", before, details, at, "complainant", "complainant")


# -- the actions ---------------------------------------------------------------------------


def _accept(complaint: Complaint, body: c.Empty, ctx: Context):
    _meet(complaint, "acceptance", ctx.at)
    return "accepted", _note(body)


def _refuse(complaint: Complaint, body: c.Refuse, ctx: Context):
    _meet(complaint, "acceptance", ctx.at)
    complaint.refusal_reason = body.reason
    complaint.closed_at = ctx.at
    _meet_all(complaint, ctx.at)
    return "not_accepted", {"reason": body.reason}


def _transfer(complaint: Complaint, body: c.Transfer, ctx: Context):
    complaint.transferred_to = body.to
    if body.to in ctx.internal_departments:
        # Another department decides afresh, with a new acceptance period.
        complaint.department = body.to
        complaint.assignee = None
        due = ctx.calendar.working_days_deadline(ctx.at, ctx.limits.acceptance_days)
        complaint.deadlines["acceptance"] = Deadline(start=ctx.at, due=due)
    else:
        _meet(complaint, "acceptance", ctx.at)
    return "transferred", {"to": body.to, "reason": body.reason}


def _assign(complaint: Complaint, body: c.Assign, ctx: Context):
    complaint.assignee = body.handler
    return "assigned", {"handler": body.handler}


def _start(complaint: Complaint, body: c.Empty, ctx: Context):
    # Opening the case is not contact (DOMAIN.md): first contact is met by a contact that
    # reached the complainant or a public message delivered to them (conversation.py).
    complaint.handling.actual_start = complaint.handling.actual_start or ctx.at
    return "in_progress", _note(body)


def _wait(complaint: Complaint, body: c.Wait, ctx: Context):
    complaint.paused_at = ctx.at
    return "waiting_for_complainant", {"reason": body.reason}


def _resume(complaint: Complaint, body: c.Empty, ctx: Context):
    _shift_for_pause(complaint, complaint.paused_at or ctx.at, ctx)
    complaint.paused_at = None
    return "resumed", _note(body)


def _record_handling(complaint: Complaint, body: c.HandlingUpdate, ctx: Context):
    _merge_handling(complaint, body)
    return "handling_recorded", {}


HANDLING_FIELDS = ("root_cause", "solution", "result")  # on record before resolving


def _resolve(complaint: Complaint, body: c.Resolve, ctx: Context):
    _merge_handling(complaint, body)
    record = complaint.handling
    missing = {
        name: "is required to resolve" for name in HANDLING_FIELDS if not getattr(record, name)
    }
    if body.finding is None and complaint.data.kind == Kind.complaint:
        missing["finding"] = "is required to resolve a complaint (substantiated, valid, ...)"
    if missing:
        names = ", ".join(name.replace("_", " ") for name in missing)
        raise InvalidCommand(f"required to resolve: {names}", missing)
    if body.finding is not None:
        complaint.finding = body.finding
    if complaint.paused_at:
        _shift_for_pause(complaint, complaint.paused_at, ctx)
        complaint.paused_at = None
    record.actual_finish = record.actual_finish or ctx.at
    complaint.resolved_at = ctx.at
    # A first contact still pending is no longer chased once the case is resolved (the
    # statistics count it as missed if it was due, domain/stats.py "void").
    for name in ("resolution", "grade_review", "first_contact"):
        _meet(complaint, name, ctx.at)
    # 回访: the complainant is asked N working days after resolution.
    due = follow_up_due(ctx.at, ctx.limits, ctx.calendar)
    complaint.deadlines["follow_up"] = Deadline(start=ctx.at, due=due)
    open_callback(complaint, ctx)  # 电话回访 for those reached by phone, and grades A/B
    return "resolved", {"result": record.result}


def _close(complaint: Complaint, body: c.Empty, ctx: Context):
    complaint.closed_at = ctx.at
    cancel_callback(complaint, ctx.at)
    _meet_all(complaint, ctx.at)
    return "closed", _note(body)


def _reopen(complaint: Complaint, body: c.Reopen, ctx: Context):
    complaint.closed_at = None
    complaint.resolved_at = None
    complaint.finding = None  # the audit trail keeps it; the next resolution records anew
    for name in ("follow_up", "follow_up_reply"):
        _meet(complaint, name, ctx.at)
    cancel_callback(complaint, ctx.at)
    due = ctx.calendar.working_days_deadline(ctx.at, ctx.limits.resolution_days)
    complaint.deadlines["resolution"] = Deadline(start=ctx.at, due=due)
    return "reopened", {"reason": body.reason}


def _mark_conflict(complaint: Complaint, body: c.MarkConflict, ctx: Context):
    others = [x for x in complaint.conflicts if x.user_id != body.user_id]
    mark = Conflict(
        user_id=body.user_id, reason=body.reason, marked_by=ctx.actor.user_id, marked_at=ctx.at
    )
    complaint.conflicts = [*others, mark]
    return "conflict_marked", {"user_id": body.user_id, "reason": body.reason}


def _add_note(complaint: Complaint, body: c.Note, ctx: Context):
    return "note_added", {"text": body.text}


def _request_extension(complaint: Complaint, body: c.ExtensionRequestBody, ctx: Context):
    current = complaint.deadlines["resolution"].due
    extend(current, body.new_due, ctx.limits, ctx.calendar)  # refuse early what cannot pass
    complaint.extension = ExtensionRequest(
        requested_by=ctx.actor.user_id,
        requested_at=ctx.at,
        reason=body.reason,
        new_due=body.new_due,
    )
    details = {"reason": body.reason, "requested_due": body.new_due.isoformat()}
    return "extension_requested", details


def _decide_extension(complaint: Complaint, body: c.ExtensionDecision, ctx: Context):
    request = complaint.extension
    if request is None or request.status != "pending":
        raise InvalidCommand(
            "there is no pending extension request", {"approve": "nothing to decide"}
        )
    if body.approve and request.requested_by == ctx.actor.user_id:
        raise Forbidden("an extension is approved by someone other than who asked for it")
    request.decided_by, request.decided_at = ctx.actor.user_id, ctx.at
    if not body.approve:
        request.status = "refused"
        return "extension_refused", _note(body)
    deadline = complaint.deadlines["resolution"]
    deadline.due = extend(deadline.due, request.new_due, ctx.limits, ctx.calendar)
    deadline.first_due = None  # an extension is a new obligation, chased afresh
    request.status = "approved"
    return "extension_approved", {"reason": request.reason, "new_due": deadline.due.isoformat()}


def _change_grade(complaint: Complaint, body: c.GradeChange, ctx: Context):
    if body.grade in MAJOR_GRADES and not _decides_major(ctx):
        raise Forbidden("grades A and B are decided by a manager or director")
    complaint.grade = body.grade
    limits = ctx.limits
    if ctx.policy:
        data = complaint.data
        limits = ctx.policy.limits_for(body.grade, kind=data.kind.value, category=data.category)
    # A grade with a shorter limit shortens what is still running, each period from its own
    # start, but never to before now; otherwise nothing moves (an extension or a pause
    # already granted stays). A deadline already met or breached keeps its due: its
    # outcome, its notices and the figures built on them do not change after the fact.
    for name, deadline in complaint.deadlines.items():
        if not (deadline.pending and name in SERVICE_DEADLINES and deadline.due > ctx.at):
            continue
        shorter = _period_end(name, deadline.start, limits, ctx)
        if shorter < _period_end(name, deadline.start, ctx.limits, ctx):
            deadline.move(max(min(deadline.due, shorter), ctx.at))
    return "grade_changed", {"grade": body.grade, "reason": body.reason}


MAJOR_GRADES = ("A", "B")


def _decides_major(ctx: Context) -> bool:
    return ctx.role_name == "system" or bool(ctx.actor.roles & {Role.MANAGER, Role.DIRECTOR})


def _period_end(name: str, start: datetime, limits: Limits, ctx: Context) -> datetime:
    if name == "first_contact":
        return ctx.calendar.hours_deadline(start, limits.first_contact_hours)
    days = limits.acceptance_days if name == "acceptance" else limits.resolution_days
    return ctx.calendar.working_days_deadline(start, days)


APPLY: dict[Action, Callable] = {
    Action.accept: _accept,
    Action.refuse: _refuse,
    Action.transfer: _transfer,
    Action.assign: _assign,
    Action.start: _start,
    Action.wait: _wait,
    Action.resume: _resume,
    Action.record_handling: _record_handling,
    Action.resolve: _resolve,
    Action.close: _close,
    Action.reopen: _reopen,
    Action.add_note: _add_note,
    Action.request_extension: _request_extension,
    Action.decide_extension: _decide_extension,
    Action.change_grade: _change_grade,
    Action.mark_conflict: _mark_conflict,
}

# What each action takes: the name of its model in domain/commands, which loads with the
# staff routes only (the first intake needs none of them). body_model gives the model.
BODIES: dict[Action, str] = {
    Action.accept: "Empty",
    Action.refuse: "Refuse",
    Action.transfer: "Transfer",
    Action.assign: "Assign",
    Action.start: "Empty",
    Action.wait: "Wait",
    Action.resume: "Empty",
    Action.record_handling: "HandlingUpdate",
    Action.resolve: "Resolve",
    Action.close: "Empty",
    Action.reopen: "Reopen",
    Action.add_note: "Note",
    Action.request_extension: "ExtensionRequestBody",
    Action.decide_extension: "ExtensionDecision",
    Action.change_grade: "GradeChange",
    Action.mark_conflict: "MarkConflict",
}


def body_model(action: Action) -> type:
    from . import commands

    return getattr(commands, BODIES[action])


# -- helpers ---------------------------------------------------------------------------------


def _meet(complaint: Complaint, name: str, at: datetime) -> None:
    deadline = complaint.deadlines.get(name)
    if deadline and deadline.pending:
        deadline.met_at = at


def _meet_all(complaint: Complaint, at: datetime) -> None:
    for name in list(complaint.deadlines):
        _meet(complaint, name, at)


def _note(body) -> dict:
    note = getattr(body, "note", None)
    return {"note": note} if note else {}


def _merge_handling(complaint: Complaint, body: c.HandlingUpdate) -> None:
    given = body.model_dump(exclude_none=True, exclude={"finding"})
    complaint.handling = HandlingRecord.model_validate({**complaint.handling.model_dump(), **given})


def end_wait(complaint: Complaint, ctx: Context) -> None:
    """The wait for the complainant is over (they replied, or the date passed and the
    handler decides): back to in progress, deadlines moved by the pause."""
    if complaint.paused_at:
        _shift_for_pause(complaint, complaint.paused_at, ctx)
        complaint.paused_at = None
    if complaint.status == Status.waiting_for_complainant:
        complaint.status = Status.in_progress
    complaint.next_due_at = next_check_at(complaint, ctx.calendar)


def end_as_withdrawn(complaint: Complaint, at: datetime) -> None:
    """视为撤销: a request left unanswered ends the case as withdrawn."""
    complaint.status = Status.withdrawn
    complaint.closed_at = at
    complaint.paused_at = None
    _meet_all(complaint, at)
    complaint.next_due_at = None


def _shift_for_pause(complaint: Complaint, paused_from: datetime, ctx: Context) -> None:
    names = ("acceptance", "first_contact", "resolution")
    if not all(name in complaint.deadlines for name in names):
        return
    current = Deadlines(*(complaint.deadlines[name].due for name in names))
    shifted = shift_for_pause(current, paused_from, ctx.at, ctx.calendar)
    for name, due in zip(
        names,
        (shifted.acceptance_due, shifted.first_contact_due, shifted.resolution_due),
        strict=True,
    ):
        if complaint.deadlines[name].pending:
            complaint.deadlines[name].move(due)


def _snapshot(complaint: Complaint) -> dict:
    return complaint.model_dump(mode="json", exclude=AUDIT_EXCLUDED | {"data"})


def _diff(before: dict, after: dict) -> dict[str, list]:
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
