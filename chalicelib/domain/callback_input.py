"""What the agent records for one follow-up call (电话回访): its outcome and slot, and the
complainant's answers when reached. The callback's state is in domain/callbacks.py, which
every case loads; only the callbacks route and its use case load this input.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from .base import Model
from .callbacks import IfDissatisfied, Outcome, Slot
from .patterns import NON_BLANK

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
