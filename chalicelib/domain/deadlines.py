"""Deadlines on a complaint: which are set at receipt, and when the scheduler must look next."""

from __future__ import annotations

from datetime import datetime

from .calendar import BusinessCalendar
from .model import Complaint, Deadline
from .sla import Limits, compute_deadlines, reminder_time


def initial_deadlines(
    received_at: datetime, limits: Limits, calendar: BusinessCalendar
) -> dict[str, Deadline]:
    due = compute_deadlines(received_at, limits, calendar)
    return {
        "acceptance": Deadline(start=received_at, due=due.acceptance_due),
        "first_contact": Deadline(start=received_at, due=due.first_contact_due),
        "resolution": Deadline(start=received_at, due=due.resolution_due),
    }


def next_check_at(complaint: Complaint) -> datetime | None:
    """The earliest reminder point (75% of a period) among the pending deadlines."""
    if not complaint.is_open:
        return None
    points = [
        reminder_time(deadline.start, deadline.due)
        for deadline in complaint.deadlines.values()
        if deadline.pending
    ]
    return min(points, default=None)
