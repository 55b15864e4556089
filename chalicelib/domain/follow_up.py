"""The follow-up (回访) of a resolved case: who is owed a callback, and settling the
follow-up by whichever answer comes first (a survey or a callback); a later answer is kept
as additional feedback and counts for nothing. Pure: callers load and save.
"""

from __future__ import annotations

from datetime import datetime

from .callbacks import (
    CallbackAttempt,
    CallbackState,
    CallbackStatus,
    FollowUpFeedback,
    Slot,
    due_at,
    first_slot,
    reschedule,
)
from .contact import callable_number, wants_callback
from .model import Complaint, Deadline

MAJOR_GRADES = ("A", "B")


def owes_callback(complaint: Complaint) -> bool:
    """Phone preferred or no other channel, and every grade A/B case with a number."""
    person = complaint.data.complainant
    if callable_number(person) is None:
        return False
    return wants_callback(person) or complaint.grade in MAJOR_GRADES


def open_callback(complaint: Complaint, ctx, slots: tuple[Slot, ...] = ()) -> None:
    """On resolution: the follow-up starts afresh; a callback becomes due if owed."""
    complaint.follow_up_settled_by = None
    if not owes_callback(complaint):
        complaint.callback = None
        return
    resolved_day = ctx.calendar.local(ctx.at).date()
    day = ctx.calendar.add_working_days(resolved_day, ctx.limits.callback_delay_days)
    state = CallbackState(due_on=day, slot=first_slot(slots))
    complaint.callback = state
    complaint.deadlines["callback"] = Deadline(start=ctx.at, due=due_at(state, ctx.calendar))


def cancel_callback(complaint: Complaint, at: datetime) -> None:
    state = complaint.callback
    if state and state.status == CallbackStatus.due:
        state.status = CallbackStatus.cancelled
    _meet(complaint, "callback", at)


def record_attempt(complaint: Complaint, attempt: CallbackAttempt) -> None:
    complaint.callback.attempts.append(attempt)


def retry_later(complaint: Complaint, ctx, slots: tuple[Slot, ...]) -> None:
    """The next working day in another slot: a new obligation with its own deadline."""
    state = complaint.callback
    tried_on = ctx.calendar.local(ctx.at).date()
    reschedule(state, max(tried_on, state.due_on), ctx.calendar, slots)
    _meet(complaint, "callback", ctx.at)
    complaint.deadlines["callback"] = Deadline(start=ctx.at, due=due_at(state, ctx.calendar))


def stop_calling(complaint: Complaint, status: CallbackStatus, at: datetime) -> None:
    complaint.callback.status = status
    _meet(complaint, "callback", at)


def settle(complaint: Complaint, by: str, at: datetime, answers: dict) -> bool:
    """Settle the follow-up with this answer; False if it was settled already (then the
    answer is kept as additional feedback). The caller records the event."""
    if complaint.follow_up_settled_by:
        complaint.feedback.append(FollowUpFeedback(at=at, by=by, answers=answers))
        return False
    complaint.follow_up_settled_by = by
    if complaint.callback and complaint.callback.status != CallbackStatus.cancelled:
        complaint.callback.status = CallbackStatus.settled
    for name in ("callback", "follow_up", "follow_up_reply"):
        _meet(complaint, name, at)
    return True


def awaits_callback(complaint: Complaint) -> bool:
    return bool(complaint.callback and complaint.callback.open)


def _meet(complaint: Complaint, name: str, at: datetime) -> None:
    deadline = complaint.deadlines.get(name)
    if deadline and deadline.pending:
        deadline.met_at = at
