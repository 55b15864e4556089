"""What staff may ask a list for; the adapter turns it into one key or index query each."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from .grading import GRADES
from .model import Status, Strict, Text


class ListCriteria(Strict):
    status: Status | None = None
    department: Text(100) | None = None
    assignee: Text(100) | None = None
    grade: str | None = None
    escalation_level: int | None = Field(default=None, ge=0, le=10)
    received_from: date | None = None
    received_to: date | None = None
    limit: int = Field(default=50, ge=1, le=200)
    cursor: Text(2000) | None = None

    @model_validator(mode="after")
    def _check(self) -> ListCriteria:
        if self.grade is not None and self.grade not in GRADES:
            raise ValueError(f"grade must be one of: {', '.join(GRADES)}")
        if self.received_from and self.received_to and self.received_to < self.received_from:
            raise ValueError("received_to is before received_from")
        return self
