"""What staff send for each action, validated like the complaint itself."""

from __future__ import annotations

from pydantic import AwareDatetime, Field, model_validator

from .complaint_input import ComplaintInput
from .fields import OneOf, Strict, Text, not_before
from .finding import Finding
from .grading import GRADES
from .model import PartUsed
from .vocabulary import Channel

Reason = Text(1000, min_length=1)


class Empty(Strict):
    note: Text(1000) | None = None


class Refuse(Strict):
    reason: Reason


class Transfer(Strict):
    to: Text(100, min_length=1)
    reason: Reason


class Assign(Strict):
    handler: Text(100, min_length=1)


class Wait(Strict):
    reason: Reason


class HandlingUpdate(Strict):
    root_cause: Text(5000) | None = None
    solution: Text(5000) | None = None
    result: Text(5000) | None = None
    parts_used: list[PartUsed] | None = Field(default=None, max_length=100)
    actual_start: AwareDatetime | None = None
    actual_finish: AwareDatetime | None = None

    _start_before_finish = not_before("actual_start", "actual_finish")


class Resolve(HandlingUpdate):
    """Root cause, solution and result must be on record, sent now or recorded before.
    A complaint (kind `complaint`) needs its finding too; other kinds may carry one."""

    finding: Finding | None = None


class MarkConflict(Strict):
    """A member of staff with a direct interest in the case (回避), by user id."""

    user_id: Text(100, min_length=1)
    reason: Reason


class Reopen(Strict):
    reason: Reason


class Note(Strict):
    text: Text(5000, min_length=1)


class ExtensionRequestBody(Strict):
    reason: Reason
    new_due: AwareDatetime


class ExtensionDecision(Strict):
    approve: bool
    note: Text(1000) | None = None


class GradeChange(Strict):
    grade: OneOf(GRADES)
    reason: Reason

    @model_validator(mode="after")
    def _known_grade(self) -> GradeChange:
        if self.grade not in GRADES:
            raise ValueError(f"grade must be one of: {', '.join(GRADES)}")
        return self


STAFF_CHANNELS = tuple(c for c in Channel if c not in (Channel.web, Channel.open311))


class StaffIntake(ComplaintInput):
    """A complaint taken by phone, visit, letter, fax or e-mail, and when it came in."""

    channel: Channel = Field(json_schema_extra={"enum": [c.value for c in STAFF_CHANNELS]})
    received_at: AwareDatetime = Field(
        description="when it came in, with its offset: not in the future, at most "
        "RECEIVED_LOOKBACK_DAYS (default 366) back and not before RECEIVED_SINCE "
        "(default 2020-01-01); 400 otherwise"
    )

    @model_validator(mode="after")
    def _staff_channel(self) -> StaffIntake:
        if self.channel not in STAFF_CHANNELS:
            allowed = ", ".join(c.value for c in STAFF_CHANNELS)
            raise ValueError(f"channel must be one of: {allowed}")
        return self

    def complaint_input(self) -> ComplaintInput:
        return ComplaintInput.model_validate(self.model_dump(exclude={"channel", "received_at"}))


class Withdraw(Strict):
    reason: Text(1000) | None = None


class Recomplaint(Strict):
    description: Text(10_000, min_length=1)
    desired_outcome: Text(2_000) | None = None
