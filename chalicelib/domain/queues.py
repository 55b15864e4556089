"""The staff console's work queues, and how near each case is to its deadlines.

Pure: which statuses a queue holds and who may open it, what a queue reads and counts, and
the time left on each deadline in working hours on the organisation's calendar. The cells a
saved case is counted in, by the deadline it is sorted by, are domain/queue_cells.py's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from .actor import Actor, Role
from .calendar import BusinessCalendar
from .model import Complaint
from .queue_cells import (
    ASSIGNEE_CELL,
    DEPARTMENT_CELL,
    REPLIED_PREFIX,
    due_bound,
    hour_cell,
    nearest_deadline,
)
from .vocabulary import Status

if TYPE_CHECKING:  # the filters' models load with the queue routes only
    from .queue_filters import QueueFilters

DUE_SOON = timedelta(hours=8)  # one working day of business hours


class Queue(StrEnum):
    mine = "mine"
    to_accept = "to_accept"
    due = "due"
    waiting = "waiting"
    follow_up = "follow_up"
    # Cases with a complainant reply their handler has not opened (issue 17 item 9).
    replied = "replied"


S = Status
ACTIVE = (S.received, S.transferred, S.accepted, S.assigned, S.in_progress)


@dataclass(frozen=True)
class QueueSpec:
    statuses: tuple[Status, ...]
    roles: frozenset[Role]
    # True: the queue is the caller's own cases, whatever their departments.
    own: bool = False
    # True: only cases whose nearest deadline falls before now + DUE_SOON.
    due_soon: bool = False
    # True: only cases with a reply the handler (the assignee) has not opened yet.
    replied: bool = False


DECIDERS = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.DIRECTOR, Role.ADMIN})
CASE_WORKERS = DECIDERS | {Role.HANDLER}
OPEN_WORK = (S.assigned, S.in_progress, S.waiting_for_complainant)

QUEUES: dict[Queue, QueueSpec] = {
    Queue.mine: QueueSpec(OPEN_WORK, CASE_WORKERS, own=True),
    Queue.to_accept: QueueSpec((S.received, S.transferred), DECIDERS),
    Queue.due: QueueSpec(ACTIVE, CASE_WORKERS | {Role.QUALITY}, due_soon=True),
    Queue.waiting: QueueSpec((S.waiting_for_complainant,), CASE_WORKERS | {Role.QUALITY}),
    Queue.follow_up: QueueSpec((S.resolved,), DECIDERS | {Role.QUALITY}),
    Queue.replied: QueueSpec(OPEN_WORK, CASE_WORKERS, replied=True),
}


def queues_for(actor: Actor) -> list[Queue]:
    return [queue for queue, spec in QUEUES.items() if actor.roles & spec.roles]


def own_cases_only(actor: Actor) -> bool:
    """A handler (with no deciding role) works on his own cases only."""
    return not (actor.roles - {Role.HANDLER, Role.INTAKE_AGENT})


def clock(complaint: Complaint, now: datetime, calendar: BusinessCalendar) -> dict:
    """Each pending deadline's due time and working hours left (negative once breached)."""
    result = {}
    for name, deadline in complaint.deadlines.items():
        if not deadline.pending:
            continue
        if deadline.due >= now:
            left = calendar.working_time_between(now, deadline.due)
        else:
            left = -calendar.working_time_between(deadline.due, now)
        result[name] = {
            "due": deadline.due.isoformat(),
            "working_hours_left": round(left.total_seconds() / 3600, 1),
            "overdue": deadline.due < now,
            "due_soon": deadline.due >= now and left <= DUE_SOON,
        }
    nearest = nearest_deadline(complaint)
    return {
        "deadlines": result,
        "nearest": nearest[0] if nearest else None,
        "paused": complaint.paused_at is not None,
        "escalation_level": complaint.escalation_level,
    }


@dataclass(frozen=True)
class QueuePlan:
    """What to read: the caller's own cases or some departments, in some statuses."""

    statuses: tuple[Status, ...]
    assignee: str | None = None
    departments: tuple[str, ...] = ()
    before: datetime | None = None
    grade: str | None = None
    category: str | None = None
    channel: str | None = None
    replied: bool = False


def due_soon_until(now: datetime, calendar: BusinessCalendar) -> datetime:
    """The latest deadline with at most DUE_SOON of working time left, as `clock` judges it.

    A deadline in the night or weekend after the 8th working hour still has only 8 working
    hours left (Friday 10:00 -> Saturday 10:00), so the bound runs to the next opening.
    """
    return calendar.next_business_time(calendar.add_working_time(now, DUE_SOON))


def plan(
    queue: Queue,
    filters: QueueFilters,
    actor: Actor,
    scope: tuple[str, ...],
    now: datetime,
    calendar: BusinessCalendar,
) -> QueuePlan:
    """`scope`: the departments the caller covers (already checked against the filter)."""
    spec = QUEUES[queue]
    statuses = spec.statuses
    if filters.status is not None:
        statuses = tuple(s for s in statuses if s == filters.status)
    own = spec.own or own_cases_only(actor)
    # Whole hours: the counters are kept per hour (due_bound).
    before = due_bound(due_soon_until(now, calendar)) if spec.due_soon else None
    return QueuePlan(
        statuses=statuses,
        assignee=actor.user_id if own else None,
        departments=() if own else scope,
        before=before,
        grade=filters.grade,
        category=filters.category,
        channel=filters.channel.value if filters.channel else None,
        replied=spec.replied,
    )


def plan_cells(plan: QueuePlan) -> list[str]:
    statuses = [status.value for status in plan.statuses]
    prefix = REPLIED_PREFIX if plan.replied else ""
    if plan.assignee is not None:
        return [f"{prefix}{ASSIGNEE_CELL}#{plan.assignee}#{status}" for status in statuses]
    return [
        f"{prefix}{DEPARTMENT_CELL}#{department}#{status}"
        for department in plan.departments
        for status in statuses
    ]


def count_from(plan: QueuePlan, cells: dict[str, dict[str, int]]) -> int:
    """A queue's count from the counter cells read ({cell: {hour: n}})."""
    limit = hour_cell(plan.before) if plan.before else None
    total = 0
    for cell in plan_cells(plan):
        for hour, n in cells.get(cell, {}).items():
            if limit is None or hour < limit:
                total += n
    return total
