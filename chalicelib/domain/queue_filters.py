"""What the staff's queues and their counts may be narrowed by (GET /staff/queues...).
The queues' rules stay in domain/queues.py; only these routes load the filters.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from .fields import OneOf, Strict, Text
from .grading import GRADES
from .vocabulary import Channel, Status


class QueueFilters(Strict):
    """What a queue may be narrowed by; each is a key or a filter of the same query."""

    department: Text(100) | None = None
    status: Status | None = None
    grade: OneOf(GRADES) | None = None
    category: Text(50) | None = None
    channel: Channel | None = None
    limit: int = Field(default=25, ge=1, le=100)
    cursor: Text(4000) | None = None

    @model_validator(mode="after")
    def _check(self) -> QueueFilters:
        if self.grade is not None and self.grade not in GRADES:
            raise ValueError(f"grade must be one of: {', '.join(GRADES)}")
        return self


class CountFilters(Strict):
    """What the counts may be narrowed by: the keys of the queue counters."""

    department: Text(100) | None = None
    status: Status | None = None
