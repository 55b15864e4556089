"""Backlog figures: open cases at each month-end by age and overdue, and every open case's
entry among the open ones (pk LIVE).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .calendar import BusinessCalendar
from .deadlines import SERVICE_DEADLINES
from .stats_cells import CaseView, Group
from .stats_months import _dt, month_end, month_of, next_month

BACKLOG_BUCKETS = (("0-3", 0, 3), ("4-10", 4, 10), ("11-20", 11, 20), ("over_20", 21, None))


# -- backlog ------------------------------------------------------------------------------


def _live_entry(case: CaseView, at: datetime, calendar: BusinessCalendar) -> dict:
    pending = [
        _dt(d["due"])
        for name, d in case.deadlines.items()
        if name in SERVICE_DEADLINES and not d.get("met_at")
    ]
    due = min(pending) if pending else None
    return {
        "month": month_of(at, calendar),
        "group": case.group().as_dict(),
        "attr": live_attribute(case.received_at, due, calendar),
    }


def live_attribute(received: datetime, due: datetime | None, calendar) -> str:
    """o<received day>_<earliest pending due, to the hour, or ->: an open case's key."""
    day = calendar.local(received).strftime("%Y%m%d")
    hour = calendar.local(due).strftime("%Y%m%d%H") if due else "-"
    return f"o{day}_{hour}"


def parse_live_attribute(name: str) -> tuple[date, str | None]:
    day, hour = name[1:].split("_")
    return datetime.strptime(day, "%Y%m%d").date(), (None if hour == "-" else hour)


def _book_backlog(inc, booking, at, calendar) -> None:
    """Month-ends passed since the last change, while the case was open, are booked now
    from what it was then (nothing about it changed in between)."""
    live = booking.get("live")
    if not live:
        return
    since = _dt(booking["t"])
    month = month_of(since, calendar)
    while month_end(month, calendar) <= at:
        end = month_end(month, calendar)
        if end > since:
            group = Group(**live["group"])
            received, due_hour = parse_live_attribute(live["attr"])
            bucket, overdue = backlog_position(received, due_hour, end, calendar)
            inc.add(f"STATS#{month}", group, f"backlog_{bucket}")
            if overdue:
                inc.add(f"STATS#{month}", group, "backlog_overdue")
        month = next_month(month)


def backlog_position(received: date, due_hour: str | None, at: datetime, calendar):
    """Age bucket and overdue flag of an open case at `at` (a month-end or now)."""
    last_day = (calendar.local(at) - timedelta(microseconds=1)).date()
    age = working_days_between(received, last_day, calendar)
    bucket = next(name for name, lo, hi in BACKLOG_BUCKETS if hi is None or age <= hi)
    overdue = due_hour is not None and due_hour < calendar.local(at).strftime("%Y%m%d%H")
    return bucket, overdue


def working_days_between(first: date, last: date, calendar: BusinessCalendar) -> int:
    """Working days after `first` up to and including `last`."""
    count, day = 0, first + timedelta(days=1)
    while day <= last:
        count += calendar.is_working_day(day)
        day += timedelta(days=1)
    return count


def _book_live(inc, booking, case, calendar) -> None:
    """The case's entry among open cases (pk LIVE): moved to the month of this change."""
    old = booking.get("live")
    if old and old.get("virtual"):
        old = None
    new = _live_entry(case, _dt(booking["t"]), calendar) if case.working else None
    booking["live"] = new
    if old == new:
        return
    if old:
        inc.add(f"LIVE#{old['month']}", Group(**old["group"]), old["attr"], -1)
    if new:
        inc.add(f"LIVE#{new['month']}", Group(**new["group"]), new["attr"], +1)
