"""Which counter cells an open case is counted in, by its nearest pending deadline.

Saving a case books these cells in its own transaction, so the first intake loads this and
not the console's queues (domain/queues.py: who opens which queue, what a queue reads).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Complaint

# Deadlines a case is sorted by; the grade review is an internal check, not a promise.
SORTING_DEADLINES = ("acceptance", "first_contact", "resolution", "follow_up", "follow_up_reply")


def nearest_deadline(complaint: Complaint) -> tuple[str, datetime] | None:
    """The pending deadline that falls first, or None for a finished case."""
    if not complaint.is_open:
        return None
    pending = [
        (deadline.due, name)
        for name, deadline in complaint.deadlines.items()
        if name in SORTING_DEADLINES and deadline.pending
    ]
    if not pending:
        return None
    due, name = min(pending)
    return name, due


# -- counts kept as counters (issue 18 item 6) -------------------------------------------
#
# An open case is counted in two cells: its department and status, and (when assigned) its
# assignee and status, each under the hour (UTC) of its nearest pending deadline. A queue's
# count is the sum of the cells of its departments (or the caller's own) and statuses; the
# "due" queue adds only hours before its bound. Cells are kept by the command's own
# transaction (adapters/queue_counts.py), so counting never reads a complaint.

DEPARTMENT_CELL = "D"
ASSIGNEE_CELL = "A"
# The "replied" queue's cells: the same two kinds, prefixed, booked only while the case
# has replies its handler has not opened (Complaint.replies_unread).
REPLIED_PREFIX = "R"


def due_bound(moment: datetime) -> datetime:
    """The "due" queue takes whole hours: up to the end of the hour the bound falls in, so
    the counters (kept per hour) and the list agree exactly."""
    floor = moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return floor if floor == moment else floor + timedelta(hours=1)


def hour_cell(moment: datetime) -> str:
    return "h" + moment.astimezone(UTC).strftime("%Y%m%d%H")


def queue_booking(complaint: Complaint) -> list[list[str]]:
    """[cell, hour] pairs the case counts 1 in; empty when it is in no queue (finished, or
    no pending deadline: the deadline indexes hold it neither)."""
    nearest = nearest_deadline(complaint)
    if nearest is None:
        return []
    hour = hour_cell(nearest[1])
    status = complaint.status.value
    cells = [[f"{DEPARTMENT_CELL}#{complaint.department}#{status}", hour]]
    if complaint.assignee:
        cells.append([f"{ASSIGNEE_CELL}#{complaint.assignee}#{status}", hour])
    if complaint.replies_unread:
        cells += [[REPLIED_PREFIX + cell, hour] for cell, _ in cells]
    return cells


def booking_changes(before: list | None, after: list) -> dict[str, dict[str, int]]:
    """{cell: {hour: +1/-1}}: what moving a case from one booking to the other adds."""
    changes: dict[str, dict[str, int]] = {}
    for cells, sign in ((before or [], -1), (after, 1)):
        for cell, hour in cells:
            hours = changes.setdefault(cell, {})
            hours[hour] = hours.get(hour, 0) + sign
    return {
        cell: {hour: n for hour, n in hours.items() if n}
        for cell, hours in changes.items()
        if any(hours.values())
    }
