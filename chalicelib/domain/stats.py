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

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from .calendar import BusinessCalendar
from .deadlines import SERVICE_DEADLINES

DIMENSIONS = ("category", "channel", "grade", "handler", "responsible")
UNASSIGNED = "-"
# Deadlines whose outcome is a figure: prefix of its counters, events that fulfil it.
OPEN_PREFIX = "open_"  # <prefix>_open_<DDHH>: deadlines of the month not met, by due hour
TRACKED = {
    "acceptance": ("acc", {"accepted", "not_accepted", "transferred"}),
    # First contact (issue 17): a contact that reached them, or a message delivered.
    "first_contact": ("fc", {"contact_recorded", "first_contact_made"}),
    "resolution": ("res", {"resolved"}),
    # A survey sent, a callback owed instead, or the follow-up settled before either.
    "follow_up": (
        "fu",
        {
            "follow_up_sent",
            "follow_up_by_callback",
            "follow_up_settled",
            "survey_answered",
            "callback_message_left",
            "callback_unreachable",
        },
    ),
}
# Events that settle a follow-up (回访): a survey answer or, from the phone follow-up work,
# a callback with its outcome. Any event whose details carry "follow_up_answer": true
# counts too, so a new way of recording a follow-up needs no change here.
FOLLOW_UP_ANSWERS = {"survey_answered", "callback_answered", "callback_reached"}
# Histogram edges in working days (REPORTING.md); the last bucket is "more".
BUCKET_DAYS = (0.5, 1, 2, 3, 5, 10, 15, 20, 30)
BACKLOG_BUCKETS = (("0-3", 0, 3), ("4-10", 4, 10), ("11-20", 11, 20), ("over_20", 21, None))
WORK_STATES = {
    "received",
    "accepted",
    "assigned",
    "in_progress",
    "waiting_for_complainant",
}


@dataclass(frozen=True)
class Group:
    """The group a case is in at one moment."""

    department: str
    kind: str
    category: str
    channel: str
    grade: str
    handler: str
    # The department the case's finding names (责任认定); "-" until there is one. A
    # default, so bookings stored before this dimension existed still read.
    responsible: str = UNASSIGNED

    def cells(self) -> list[str]:
        base = f"{_q(self.department)}#{_q(self.kind)}"
        return [f"{base}#all#-"] + [f"{base}#{dim}#{_q(getattr(self, dim))}" for dim in DIMENSIONS]

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def responsible_of(finding: dict | None) -> str:
    return ((finding or {}).get("responsible") or {}).get("department") or UNASSIGNED


def parse_cell(cell: str) -> tuple[str, str, str, str]:
    """(department, kind, dimension, value) of a cell key."""
    from urllib.parse import unquote

    department, kind, dim, value = cell.split("#")
    return unquote(department), unquote(kind), dim, unquote(value)


def _q(value: str) -> str:
    return quote(str(value), safe="")


@dataclass(frozen=True)
class CaseView:
    """What the statistics need of a complaint (from the record, or rebuilt from its
    audit trail): a plain snapshot, so both paths share one computation."""

    number: str
    received_at: datetime
    status: str
    department: str
    grade: str
    assignee: str | None
    kind: str
    category: str
    channel: str
    related_to: str | None
    deadlines: dict[str, dict]  # name -> {"start", "due", "met_at"} as ISO strings
    responsible: str = UNASSIGNED
    related_responsible: str | None = None  # a re-complaint's original's responsible

    @classmethod
    def of(cls, snapshot: dict, data: dict) -> CaseView:
        """`snapshot` = the record dumped as JSON (the audit trail's shape)."""
        return cls(
            number=snapshot["number"],
            received_at=_dt(snapshot["received_at"]),
            status=snapshot["status"],
            department=snapshot["department"],
            grade=snapshot["grade"],
            assignee=snapshot.get("assignee"),
            kind=data.get("kind", "complaint"),
            category=data.get("category", ""),
            channel=snapshot["channel"],
            related_to=snapshot.get("related_to"),
            deadlines=dict(snapshot.get("deadlines") or {}),
            responsible=responsible_of(snapshot.get("finding")),
            related_responsible=snapshot.get("related_responsible"),
        )

    def group(self, **override) -> Group:
        values = {
            "department": self.department,
            "kind": self.kind,
            "category": self.category,
            "channel": self.channel,
            "grade": self.grade,
            "handler": self.assignee or UNASSIGNED,
            "responsible": self.responsible,
        }
        values.update(override)
        return Group(**values)

    @property
    def working(self) -> bool:
        """Work is still owed: the backlog. A case transferred to another body is not
        (its acceptance was met by the transfer); one transferred inside is, until the
        new department decides."""
        if self.status == "transferred":
            acceptance = self.deadlines.get("acceptance") or {}
            return not acceptance.get("met_at")
        return self.status in WORK_STATES


@dataclass(frozen=True)
class Happened:
    """A domain event as the statistics see it."""

    type: str
    at: datetime
    changes: dict
    details: dict


class Increments:
    """Counter increments keyed by (partition, cell): partition is STATS#<month> or LIVE."""

    def __init__(self) -> None:
        self.by_item: dict[tuple[str, str], Counter] = defaultdict(Counter)

    def add(self, partition: str, group: Group, counter: str, amount: int = 1) -> None:
        if not amount:
            return
        for cell in group.cells():
            self.by_item[(partition, cell)][counter] += amount

    def add_booked(self, booked: list, sign: int) -> None:
        for partition, group, counter, amount in booked:
            self.add(partition, Group(**group), counter, sign * amount)

    def items(self) -> dict[tuple[str, str], dict[str, int]]:
        """Non-zero increments only, one entry per item."""
        result = {}
        for key, counters in self.by_item.items():
            nonzero = {name: value for name, value in counters.items() if value}
            if nonzero:
                result[key] = nonzero
        return result

    def merge(self, other: Increments) -> None:
        for key, counters in other.by_item.items():
            self.by_item[key].update(counters)


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


# -- deadlines ----------------------------------------------------------------------------


def _book_deadlines(inc, booking, case, events, at, calendar) -> None:
    """Each tracked deadline is booked in the month of its (final) due: moving it moves
    the case (minus in the old month, plus in the new); meeting it adds on-time."""
    types = {event.type for event in events}
    grade_only = "grade_changed" in types
    current = {
        f"{name}@{d['start']}": (name, d) for name, d in case.deadlines.items() if name in TRACKED
    }
    entries = booking["deadlines"]
    for key, entry in list(entries.items()):
        if key not in current and entry["met"] is None:
            # Replaced: an internal transfer (a decision) or a reopen closes the old one.
            entry = {**entry, "met": _iso(at), "how": _how(entry["name"], types)}
            _rebook(inc, entries, key, entry, calendar)
    for key, (name, d) in current.items():
        old = entries.get(key)
        due, met = d["due"], d.get("met_at")
        seen = old.get("seen", old["due"]) if old else None
        if old and seen == due and old["met"] == met:
            continue
        if old and grade_only and old["met"] is None and _frozen(old, due, at):
            # A grade change never moves a deadline already due, in the figures: the case
            # stays counted against the deadline it had (remembered until it moves again).
            entries[key] = {**old, "seen": due}
            continue
        counted = old["due"] if old and seen == due else due
        how = old["how"] if old and old["met"] == met else (_how(name, types) if met else None)
        entry = {"name": name, "due": counted, "met": met, "how": how}
        if counted != due:
            entry["seen"] = due
        entry["group"] = case.group().as_dict()
        _rebook(inc, entries, key, entry, calendar)


def _frozen(old: dict, new_due: str, at: datetime) -> bool:
    """Already breached, or moved into the past (due at the moment of the change is not)."""
    return _dt(old["due"]) <= at or _dt(new_due) < at


def _how(name: str, types: set[str]) -> str:
    return "done" if types & TRACKED[name][1] else "void"


def _rebook(inc, entries, key, entry, calendar) -> None:
    old = entries.get(key)
    if old:
        inc.add_booked(deadline_counts(old, calendar), -1)
    inc.add_booked(deadline_counts(entry, calendar), +1)
    entries[key] = entry


def deadline_counts(entry: dict, calendar: BusinessCalendar) -> list:
    prefix = TRACKED[entry["name"]][0]
    due = _dt(entry["due"])
    month = month_of(due, calendar)
    met = _dt(entry["met"]) if entry["met"] else None
    if entry.get("how") == "void" and met is not None and met <= due:
        return []  # withdrawn, refused or closed before it fell due: no obligation left
    group = entry["group"]
    counts = [(f"STATS#{month}", group, f"{prefix}_due", 1)]
    if met is not None and met <= due and entry.get("how") == "done":
        counts.append((f"STATS#{month}", group, f"{prefix}_on_time", 1))
    if met is not None and met < month_end(month, calendar):
        counts.append((f"STATS#{month}", group, f"{prefix}_met_by_end", 1))
    if met is None:
        # Not met yet, by the hour it falls due (organisation time): a report of the month
        # in progress leaves out the deadlines that have not arrived (reporting.values).
        hour = calendar.local(due).strftime("%d%H")
        counts.append((f"STATS#{month}", group, f"{prefix}_{OPEN_PREFIX}{hour}", 1))
    return counts


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


# -- months -------------------------------------------------------------------------------


def month_of(at: datetime, calendar: BusinessCalendar) -> str:
    return calendar.local(at).strftime("%Y-%m")


def month_start(month: str, calendar: BusinessCalendar) -> datetime:
    year, number = (int(part) for part in month.split("-"))
    return datetime(year, number, 1, tzinfo=calendar.tz)


def month_end(month: str, calendar: BusinessCalendar) -> datetime:
    """00:00 on the 1st of the next month, organisation time."""
    return month_start(next_month(month), calendar)


def next_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year + number // 12}-{number % 12 + 1:02d}"


def previous_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def _dt(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


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
