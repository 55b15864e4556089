"""What staff may ask a list for; the adapter turns it into one key or index query each."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from .fields import Configured, OneOf, Strict, Text, not_before
from .grading import GRADES
from .vocabulary import Status


class ListCriteria(Strict):
    status: Status | None = None
    department: Configured(100, "departments") | None = None
    assignee: Text(100) | None = None
    grade: OneOf(GRADES) | None = None
    escalation_level: int | None = Field(default=None, ge=0, le=10)
    received_from: date | None = Field(
        default=None,
        description="first day received (organisation's time zone); default RECEIVED_SINCE "
        "(default 2020-01-01); between RECEIVED_SINCE and a year from today, else 400",
    )
    received_to: date | None = Field(
        default=None,
        description="last day received; default today; between RECEIVED_SINCE and a year "
        "from today, else 400",
    )
    limit: int = Field(default=50, ge=1, le=200, description="at most this many items a page")
    cursor: Text(2000) | None = Field(
        default=None,
        description="next_cursor of the previous page, with the same filters; a page may "
        "hold fewer than `limit` items, even none, while next_cursor is not null",
    )

    @model_validator(mode="after")
    def _check(self) -> ListCriteria:
        if self.grade is not None and self.grade not in GRADES:
            raise ValueError(f"grade must be one of: {', '.join(GRADES)}")
        return self

    _not_before_from = not_before("received_from", "received_to")
