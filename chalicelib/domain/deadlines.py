"""Deadlines on a complaint and the points in time at which the scheduler must act.

Service deadlines (acceptance, first contact, resolution) are chased: a reminder to the
person responsible at 75% of the period, then on a breach one escalation per level up the
chain, one working day apart. Each notice has a key (deadline, obligation, level) that is
kept on the complaint once sent, so no level is told twice about one obligation: a grade
change or a pause moves the due but not the obligation, while an extension or a reopen
starts a fresh one. Follow-up and review deadlines are acted on when they fall due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .calendar import BusinessCalendar
from .model import Complaint, Deadline
from .sla import Limits, compute_deadlines, reminder_time

SERVICE_DEADLINES = ("acceptance", "first_contact", "resolution")
# The callback owed after resolution is chased too: no reminder (the 09:00 digest is
# one), an escalation to the supervisor when its day is missed, then up the chain.
CALLBACK = "callback"
ACTED_ON_AT_DUE = ("follow_up", "follow_up_reply", "grade_review")
CHAIN = ("handler", "supervisor", "manager", "director")
TOP_LEVEL = 3  # handler's reminder is level 0; director is level 3 at most
UNRESOLVED_REVIEW = timedelta(days=30)
UNRESOLVED_REVIEW_COLLECTIVE = timedelta(days=7)


@dataclass(frozen=True)
class Notice:
    deadline: str
    due: datetime
    level: int  # 0: reminder before the due; 1..3: escalations after it
    role: str  # who is told
    obligation: datetime | None = None  # the due the obligation began with (Deadline)

    @property
    def key(self) -> str:
        # Keyed by the obligation, not the current due: one level is told once about it.
        return f"{self.deadline}@{(self.obligation or self.due).isoformat()}#{self.level}"


def initial_deadlines(
    received_at: datetime, limits: Limits, calendar: BusinessCalendar, people: int = 1
) -> dict[str, Deadline]:
    due = compute_deadlines(received_at, limits, calendar)
    review = UNRESOLVED_REVIEW_COLLECTIVE if people >= 3 else UNRESOLVED_REVIEW
    return {
        "acceptance": Deadline(start=received_at, due=due.acceptance_due),
        "first_contact": Deadline(start=received_at, due=due.first_contact_due),
        "resolution": Deadline(start=received_at, due=due.resolution_due),
        "grade_review": Deadline(start=received_at, due=received_at + review),
    }


def owner_level(complaint: Complaint, deadline: str) -> int:
    """Whose job the deadline is: the handler once assigned, else the supervisor."""
    if deadline == CALLBACK:
        return 0
    if deadline == "acceptance" or not complaint.assignee:
        return 1
    return 0


def notice_points(
    complaint: Complaint, name: str, calendar: BusinessCalendar
) -> list[tuple[datetime, Notice]]:
    """(when, notice) for the reminder and each escalation of one deadline."""
    deadline = complaint.deadlines[name]
    owner = owner_level(complaint, name)
    obligation = deadline.obligation
    reminder = Notice(name, deadline.due, 0, CHAIN[owner], obligation)
    points = [] if name == CALLBACK else [(reminder_time(deadline.start, deadline.due), reminder)]
    due_day = calendar.local(deadline.due).date()
    for step, level in enumerate(range(owner + 1, TOP_LEVEL + 1)):
        later = calendar.closing_time(calendar.add_working_days(due_day, step))
        notice = Notice(name, deadline.due, level, CHAIN[level], obligation)
        points.append((deadline.due if step == 0 else later, notice))
    return points


def owed_notices(
    complaint: Complaint, now: datetime, calendar: BusinessCalendar
) -> tuple[list[Notice], list[str]]:
    """Notices to send now, and every notice key now handled.

    Only the highest level owed per deadline is sent: a run that comes late must not
    remind about what has already escalated; the lower ones are marked handled with it.
    """
    send, handled = [], []
    for name in _chased(complaint):
        fresh = [
            notice
            for at, notice in notice_points(complaint, name, calendar)
            if at <= now and notice.key not in complaint.notices
        ]
        if fresh:
            send.append(max(fresh, key=lambda notice: notice.level))
            handled += [notice.key for notice in fresh]
    return send, handled


def acted_on(complaint: Complaint, now: datetime) -> list[str]:
    """Follow-up and review deadlines that have fallen due."""
    return [
        name
        for name in ACTED_ON_AT_DUE
        if name in complaint.deadlines
        and complaint.deadlines[name].pending
        and complaint.deadlines[name].due <= now
    ]


def next_check_at(complaint: Complaint, calendar: BusinessCalendar) -> datetime | None:
    """The next moment the scheduler has something to do for this complaint."""
    if not complaint.is_open:
        return None
    points = []
    for name in _chased(complaint):
        points += [
            at
            for at, notice in notice_points(complaint, name, calendar)
            if notice.key not in complaint.notices
        ]
    points += [
        complaint.deadlines[name].due
        for name in ACTED_ON_AT_DUE
        if name in complaint.deadlines and complaint.deadlines[name].pending
    ]
    points += info_request_points(complaint, calendar)
    return min(points, default=None)


def info_request_points(complaint: Complaint, calendar: BusinessCalendar) -> list[datetime]:
    """An open request for information: its one reminder (unless sent) and its expiry."""
    from .conversation import open_request, reminder_at

    request = open_request(complaint)
    if request is None:
        return []
    points = [request.due]
    remind = reminder_at(request, calendar)
    if request.reminded_at is None and remind is not None:
        points.append(remind)
    return points


def _chased(complaint: Complaint) -> list[str]:
    # While waiting for the complainant the clock is paused: nobody is chased.
    if complaint.paused_at:
        return []
    return [
        name
        for name in (*SERVICE_DEADLINES, CALLBACK)
        if name in complaint.deadlines and complaint.deadlines[name].pending
    ]
