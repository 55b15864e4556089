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
from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from .base import Model
from .patterns import NON_BLANK


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


_Comment = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
_Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class CallbackAnswers(Model):
    """What the complainant said on the phone: solved, satisfaction and staff attitude."""

    model_config = ConfigDict(extra="forbid")

    solved: bool
    satisfaction: int = Field(ge=1, le=5)
    staff_attitude: int = Field(ge=1, le=5)
    comment: _Comment | None = None

    @property
    def dissatisfied(self) -> bool:
        return not self.solved or self.satisfaction <= 2


# The validator's rules below, as JSON Schema for the OpenAPI document.
_ATTEMPT_RULES = {
    "allOf": [
        {
            "if": {"properties": {"outcome": {"const": "reached"}}, "required": ["outcome"]},
            "then": {"required": ["answers"], "properties": {"answers": {"type": "object"}}},
            "else": {"properties": {"answers": {"type": "null"}}},
        },
        {
            "if": {
                "properties": {"if_dissatisfied": {"const": "reopen"}},
                "required": ["if_dissatisfied"],
            },
            "then": {
                "required": ["reason"],
                "properties": {"reason": {"type": "string", "pattern": NON_BLANK}},
            },
        },
    ]
}


class CallbackAttemptInput(Model):
    """One call: its outcome and slot; answers when reached. A dissatisfied complainant's
    case becomes a re-complaint one grade up unless they ask for it to be reopened."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_ATTEMPT_RULES)

    outcome: Outcome
    slot: Slot
    answers: CallbackAnswers | None = None
    if_dissatisfied: IfDissatisfied = IfDissatisfied.recomplaint
    reason: _Reason | None = None

    @model_validator(mode="after")
    def _answers_when_reached(self) -> CallbackAttemptInput:
        if (self.outcome == Outcome.reached) != (self.answers is not None):
            raise ValueError("answers are given when, and only when, the outcome is reached")
        if self.if_dissatisfied == IfDissatisfied.reopen and not self.reason:
            raise ValueError("reason is required to reopen the case")
        return self


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
    attempts: list[CallbackAttempt] = Field(default_factory=list)

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
