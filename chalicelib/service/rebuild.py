"""Recompute a month's statistics from the complaints themselves and report differences.

Each complaint's audit trail is replayed commit by commit (events carry the version they
were committed at; undoing each event's recorded changes from the current record gives the
record after every earlier commit) through the same accounting the commands use, from an
empty booking. The sum for the month is compared with the stored counters, and so are the
open-case items. An offline maintenance command (`make rebuild MONTH=...`): it reads every
complaint, so it is never on a request path.
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..domain.calendar import BusinessCalendar
from ..domain.stats import account
from ..domain.stats_cells import CaseView, Happened, Increments


@dataclass
class Replayed:
    increments: Increments
    bookings: dict[str, dict] = field(default_factory=dict)


def replay(record: dict, data: dict, commits: list[list[Happened]], calendar) -> tuple:
    """(increments, final booking) of one complaint.

    `record` is the current record dumped as JSON; `commits` its events grouped per commit,
    oldest first. States are rebuilt backwards, then accounted forwards."""
    states = [record]
    for events in reversed(commits[1:]):
        before = copy.deepcopy(states[0])
        for event in reversed(events):
            for name, (old, _new) in event.changes.items():
                before[name] = old
        states.insert(0, before)
    total, booking = Increments(), None
    for state, events in zip(states, commits, strict=True):
        inc, booking = account(booking, CaseView.of(state, data), events, calendar)
        total.merge(inc)
    return total, booking


def recompute(histories, calendar: BusinessCalendar) -> Replayed:
    """`histories` yields (number, record, data, commits)."""
    result = Replayed(Increments())
    for number, record, data, commits in histories:
        if not commits:
            continue
        inc, booking = replay(record, data, commits, calendar)
        result.increments.merge(inc)
        result.bookings[number] = booking
    return result


def differences(
    stored: dict[tuple[str, str], Counter], wanted: dict[tuple[str, str], dict]
) -> list[dict]:
    """Every (item, counter) whose stored value is not the recomputed one."""
    found = []
    for key in sorted(set(stored) | set(wanted)):
        have, want = stored.get(key, Counter()), Counter(wanted.get(key, {}))
        for name in sorted(set(have) | set(want)):
            if have[name] != want[name]:
                found.append(
                    {
                        "partition": key[0],
                        "cell": key[1],
                        "counter": name,
                        "stored": have[name],
                        "recomputed": want[name],
                    }
                )
    return found


def rebuild(month: str, store, calendar: BusinessCalendar, fix: bool = False) -> dict:
    """Compare (and with `fix`, overwrite) the month's cells and the open-case items."""
    replayed = recompute(store.histories(), calendar)
    wanted = {
        key: counters
        for key, counters in replayed.increments.items().items()
        if key[0] == f"STATS#{month}" or key[0].startswith("LIVE#")
    }
    stored = {(f"STATS#{month}", cell): n for cell, n in store.report_cells(month).items()}
    stored |= {(f"LIVE#{m}", cell): n for (m, cell), n in store.open_cells().items()}
    found = differences(stored, wanted)
    if fix and found:
        for key in {(d["partition"], d["cell"]) for d in found}:
            store.overwrite_cell(key[0], key[1], wanted.get(key, {}))
    bookings = defaultdict(int)
    if fix:
        for number, booking in replayed.bookings.items():
            bookings["written" if store.write_booking(number, booking) else "kept"] += 1
    return {
        "month": month,
        "complaints": len(replayed.bookings),
        "differences": found,
        "fixed": bool(fix and found),
        "bookings": dict(bookings),
    }
