"""Deadline figures: each tracked deadline booked in the month of its due, met or not,
on time or not (docs/reporting.md).
"""

from __future__ import annotations

from datetime import datetime

from .calendar import BusinessCalendar
from .stats_months import _dt, _iso, month_end, month_of

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
