"""Monthly statistics kept as the changes happen (监督统计的预聚合).

Pure: given what a complaint contributed before (its *booking*), the complaint as it is
after a command and the events the command recorded, `account` returns the counter
increments to commit in the same transaction as the change, and the new booking. The
repository stores the booking on the complaint item, so a retried or concurrent command
(whose transaction is conditional on the version read) can never count twice.

The rebuild (`service/reports.rebuild`) replays each complaint's audit trail through the
same function, commit by commit, and compares the sum with the stored counters.

Counters live in *cells*: (month, department, kind, dimension, value), where dimension is
`all` (value `-`), `category`, `channel`, `grade` or `handler`. Every change adds to the five
cells of the case's group, so any one dimension can be read per department and kind.
See docs/reporting.md for every counting rule.
"""

from __future__ import annotations

from datetime import datetime

from .calendar import BusinessCalendar
from .stats_backlog import _book_backlog, _book_live, _live_entry
from .stats_cells import UNASSIGNED, CaseView, Group, Happened, Increments, responsible_of
from .stats_deadlines import _book_deadlines
from .stats_months import _dt, _iso, month_end, month_of

# Events that settle a follow-up (回访): a survey answer or, from the phone follow-up work,
# a callback with its outcome. Any event whose details carry "follow_up_answer": true
# counts too, so a new way of recording a follow-up needs no change here.
FOLLOW_UP_ANSWERS = {"survey_answered", "callback_answered", "callback_reached"}
# Histogram edges in working days (REPORTING.md); the last bucket is "more".
BUCKET_DAYS = (0.5, 1, 2, 3, 5, 10, 15, 20, 30)


# -- the computation --------------------------------------------------------------------


def account(
    booking: dict | None,
    case: CaseView,
    events: list[Happened],
    calendar: BusinessCalendar,
) -> tuple[Increments, dict]:
    """Increments to commit with one command, and the complaint's new booking."""
    inc = Increments()
    if not events:
        return inc, booking or {}
    new = booking is None or not booking
    booking = _fresh(case, calendar) if new else _copy(booking)
    at = max(event.at for event in events)
    groups = _groups_per_event(case, events)
    for event, (before, after) in zip(events, groups, strict=True):
        _count_event(inc, booking, case, event, before, after, calendar)
    _book_backlog(inc, booking, at, calendar)
    _book_deadlines(inc, booking, case, events, at, calendar)
    booking["t"] = _iso(max(_dt(booking["t"]), at))
    _book_live(inc, booking, case, calendar)
    return inc, booking


def _fresh(case: CaseView, calendar: BusinessCalendar) -> dict:
    # A new case has been open since it was received (a letter recorded later included),
    # so month-ends between receipt and recording are booked as backlog.
    live = _live_entry(case, case.received_at, calendar) if case.working else None
    if live:
        live["virtual"] = True  # what it was at receipt; not stored under LIVE yet
    return {
        "t": _iso(case.received_at),
        "recv": case.group().as_dict(),
        "first_resolved": None,
        "paused_min": 0,
        "deadlines": {},
        "live": live,
    }


def _copy(booking: dict) -> dict:
    import copy

    return copy.deepcopy(booking)


def _groups_per_event(case: CaseView, events: list[Happened]) -> list[tuple[Group, Group]]:
    """The case's group just before and just after each event, undoing the changes the
    later events recorded (department, grade, assignee and finding are the fields that
    move)."""
    current = {
        "department": case.department,
        "grade": case.grade,
        "handler": case.assignee,
        "responsible": case.responsible,
    }
    fields = {"department": "department", "grade": "grade", "assignee": "handler"}
    result = []
    for event in reversed(events):
        after = case.group(**{k: v or UNASSIGNED for k, v in current.items()})
        for name, key in fields.items():
            if name in event.changes:
                current[key] = event.changes[name][0]
        if "finding" in event.changes:
            current["responsible"] = responsible_of(event.changes["finding"][0])
        before = case.group(**{k: v or UNASSIGNED for k, v in current.items()})
        result.append((before, after))
    return list(reversed(result))


def _count_event(inc, booking, case, event, before, after, calendar) -> None:
    month = month_of(event.at, calendar)
    stats = f"STATS#{month}"
    kind = event.type
    if kind == "received":
        recv_month = month_of(case.received_at, calendar)
        inc.add(f"STATS#{recv_month}", after, "received")
        if case.related_to:
            inc.add(f"STATS#{recv_month}", after, "recomplaints")
        if case.related_responsible:
            # The assessment counts a re-complaint against the original's responsible.
            original = case.group(responsible=case.related_responsible)
            inc.add(f"STATS#{recv_month}", original, "recomplaints_against")
    elif kind in ("accepted", "not_accepted", "withdrawn", "extension_approved"):
        inc.add(stats, after, "extensions" if kind == "extension_approved" else kind)
        if kind == "accepted":
            _duration(inc, stats, after, "tta", case.received_at, event.at, 0, calendar)
    elif kind == "transferred":
        inc.add(stats, before, "transferred")
    elif kind == "resolved":
        _count_resolution(inc, booking, case, event, after, calendar)
        _count_finding(inc, booking, event, after, calendar)
    elif kind == "escalated":
        level = int(event.details.get("level", 0) or 0)
        if 1 <= level <= 4:
            inc.add(stats, after, f"escalations_L{level}")
    elif kind in CONVERSATION_COUNTERS:
        _count_conversation(inc, stats, after, event, calendar)
    if event.details.get("by") == "info_request_expired":
        inc.add(
            stats,
            after,
            "info_expired_withdrawn" if kind == "withdrawn" else "info_expired_resumed",
        )
    if kind in FOLLOW_UP_ANSWERS or event.details.get("follow_up_answer") is True:
        _count_answer(inc, stats, after, event)
    status = event.changes.get("status")
    if status and status[1] == "closed" and status[0] != "closed":
        inc.add(stats, after, "closed")
    paused = event.changes.get("paused_at")
    if paused and paused[0] and not paused[1]:
        booking["paused_min"] += _minutes(calendar, _dt(paused[0]), event.at)


def _count_resolution(inc, booking, case, event, group, calendar) -> None:
    stats = f"STATS#{month_of(event.at, calendar)}"
    if booking.get("first_resolved"):
        inc.add(stats, group, "re_resolved")
        return
    booking["first_resolved"] = _iso(event.at)
    inc.add(stats, group, "resolved")
    paused = booking.get("paused_min", 0)
    _duration(inc, stats, group, "ttr", case.received_at, event.at, paused, calendar)
    recv_month = month_of(case.received_at, calendar)
    if event.at < month_end(recv_month, calendar):
        inc.add(f"STATS#{recv_month}", Group(**booking["recv"]), "closure_resolved")


CONVERSATION_COUNTERS = {
    "message_sent": "messages_sent",
    "info_requested": "info_requests",
    "complainant_replied": "replies",
}


def _count_conversation(inc, stats, group, event, calendar) -> None:
    """Messages, requests for information and replies (issue 17); a reply that answers
    an open request counts as answered (in time or not) with the working time it took."""
    inc.add(stats, group, CONVERSATION_COUNTERS[event.type])
    details = event.details
    if event.type == "complainant_replied" and details.get("request"):
        inc.add(stats, group, "info_answered")
        if details.get("in_time"):
            inc.add(stats, group, "info_answered_in_time")
        asked = details.get("request_at")
        if asked:
            _duration(inc, stats, group, "ttreply", _dt(asked), event.at, 0, calendar)


FINDING_COUNTERS = {"yes": "sub_yes", "partly": "sub_partly", "no": "sub_no"}


def _count_finding(inc, booking, event, group, calendar) -> None:
    """A case counts once, with its latest finding, in the month that finding was made: a
    finding after a reopen takes the earlier one's counts back from where they were."""
    change = event.changes.get("finding")
    finding = change[1] if change else None
    if not finding:
        return
    stats, where = f"STATS#{month_of(event.at, calendar)}", group.as_dict()
    counts = [(stats, where, FINDING_COUNTERS[finding["substantiated"]], 1)]
    if finding.get("valid"):
        counts.append((stats, where, "valid", 1))
    inc.add_booked(booking.get("finding") or [], -1)
    inc.add_booked(counts, +1)
    booking["finding"] = counts


def _count_answer(inc, stats, group, event) -> None:
    inc.add(stats, group, "follow_ups_done")
    score = event.details.get("score")
    if isinstance(score, int) and 1 <= score <= 5:
        inc.add(stats, group, "answers")
        inc.add(stats, group, "score_sum", score)
        satisfied = event.details.get("satisfied")
        if satisfied is True or (satisfied is None and score >= 4):
            inc.add(stats, group, "satisfied")


def _duration(inc, stats, group, prefix, start, end, paused_min, calendar) -> None:
    minutes = max(_minutes(calendar, start, end) - paused_min, 0)
    inc.add(stats, group, f"{prefix}_n")
    inc.add(stats, group, f"{prefix}_min", minutes)
    inc.add(stats, group, f"{prefix}_b{bucket_of(minutes, calendar)}")


def bucket_of(minutes: int, calendar: BusinessCalendar) -> int:
    day = day_minutes(calendar)
    for index, edge in enumerate(BUCKET_DAYS):
        if minutes <= edge * day:
            return index
    return len(BUCKET_DAYS)


def day_minutes(calendar: BusinessCalendar) -> int:
    start, end = calendar.business_start, calendar.business_end
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def _minutes(calendar: BusinessCalendar, start: datetime, end: datetime) -> int:
    return int(calendar.working_time_between(start, end).total_seconds() // 60)


# -- from the record ----------------------------------------------------------------------


def case_view(complaint) -> CaseView:
    snapshot = complaint.model_dump(mode="json", exclude={"data", "handling", "attachments"})
    data = complaint.data.model_dump(mode="json", include={"kind", "category"})
    return CaseView.of(snapshot, data)


def happened(event) -> Happened:
    return Happened(type=event.type, at=event.at, changes=event.changes, details=event.details)


def account_commit(complaints: list, calendar: BusinessCalendar) -> tuple[dict, list]:
    """Increments of one transaction (merged per item, since a transaction may touch an
    item once) and each complaint's new booking. A record stored before statistics
    existed (a version but no booking) is left out: `make rebuild` books it."""
    total, bookings = Increments(), []
    for complaint in complaints:
        booking = complaint._stats
        if booking is None and complaint.version:
            bookings.append(None)
            continue
        events = [happened(event) for event in complaint.pending_events()]
        inc, booking = account(booking, case_view(complaint), events, calendar)
        total.merge(inc)
        bookings.append(booking)
    return total.items(), bookings
