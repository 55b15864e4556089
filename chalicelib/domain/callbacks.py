"""Follow-up by phone (电话回访): the callback owed after resolution, its attempts and the
schedule of retries across working days and time slots. Pure: no I/O.

A callback is due `callback_delay_days` working days after resolution (SLA policy, 3-7,
default 3). An unanswered or busy attempt moves it to the next working day in another
slot; after the configured number of attempts a message is left and the case closes when
the reply window passes without an answer, as an unanswered survey does.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from pydantic import Field

from .base import Model, empty_list


class Slot(StrEnum):
    morning = "morning"  # 09-12
    afternoon = "afternoon"  # 14-18
    evening = "evening"  # 18-20, where the organisation allows it


SLOT_HOURS = {
    Slot.morning: (time(9), time(12)),
    Slot.afternoon: (time(14), time(18)),
    Slot.evening: (time(18), time(20)),
}


class Outcome(StrEnum):
    reached = "reached"
    no_answer = "no_answer"
    busy = "busy"
    wrong_number = "wrong_number"
    refused = "refused"


RETRY_OUTCOMES = (Outcome.no_answer, Outcome.busy)


class IfDissatisfied(StrEnum):
    recomplaint = "recomplaint"  # a linked re-complaint one grade up (再投诉)
    reopen = "reopen"  # back to the handler, with the complainant's reason


class CallbackStatus(StrEnum):
    due = "due"  # in the callback list
    message_left = "message_left"  # attempts used up: waiting for a reply to the message
    unreachable = "unreachable"  # wrong number: closes after the reply window
    settled = "settled"  # answered by phone or by the survey
    cancelled = "cancelled"  # reopened or closed otherwise


class CallbackAttempt(Model):
    at: datetime
    by: str
    outcome: Outcome
    slot: Slot


class CallbackState(Model):
    """The callback a case owes: when and in which slot the next call is due."""

    due_on: date
    slot: Slot
    status: CallbackStatus = CallbackStatus.due
    attempts: list[CallbackAttempt] = Field(default_factory=empty_list)

    @property
    def open(self) -> bool:
        return self.status == CallbackStatus.due


class FollowUpFeedback(Model):
    """An answer that came after the follow-up was already settled (kept, not counted)."""

    at: datetime
    by: str  # "survey" or "callback"
    answers: dict


def next_slot(last: Slot, allowed: tuple[Slot, ...]) -> Slot:
    """Another slot than the one just tried, in the organisation's order."""
    order = [slot for slot in Slot if slot in allowed] or [Slot.morning]
    if last not in order:
        return order[0]
    return order[(order.index(last) + 1) % len(order)]


def reschedule(state: CallbackState, tried_on: date, calendar, allowed: tuple[Slot, ...]):
    """After an unanswered try: the next working day, in a different slot."""
    state.due_on = calendar.next_working_day(tried_on)
    state.slot = next_slot(state.attempts[-1].slot if state.attempts else state.slot, allowed)


def due_at(state: CallbackState, calendar) -> datetime:
    """When the callback counts as missed: the end of its day's business or of its slot."""
    slot_end = datetime.combine(state.due_on, SLOT_HOURS[state.slot][1], tzinfo=calendar.tz)
    return max(calendar.closing_time(state.due_on), slot_end)


def first_slot(allowed: tuple[Slot, ...]) -> Slot:
    return next(slot for slot in Slot if slot in allowed) if allowed else Slot.morning
