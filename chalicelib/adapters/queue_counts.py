"""Queue counters (issue 18 item 6): how many open cases each queue holds, kept by the
commands that move cases, so the console's counts read a few items, never complaints.

- department cell: pk `QCOUNT`, sk `D#<department>#<status>`; one number attribute per
  UTC hour, `h<YYYYMMDDHH>`: the open cases whose nearest deadline falls in that hour;
- assignee cell: pk `QCOUNT`, sk `A#<assignee>#<status>`: the same for one person's cases.

A command adds `ADD h... ±1` updates to its own transaction (domain/queue_cells.booking_changes),
under the complaint's version condition like the statistics, so a count is exact. Reading:
one Query of `QCOUNT` with `begins_with(sk, "D#")` (and/or `A#<user>#`), paged; the number
of items depends on departments, statuses and people, never on complaints. Hours whose
count went back to zero are removed by `compact` (the scheduled job), so an item holds
only the hours open cases are due in.
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute
from pynamodb.expressions.operand import Path

from .dynamo import Item

PK = "QCOUNT"
MAX_PAGES = 4  # per prefix; 1 MB each: far more cells than any organisation has
COMPACT_FROM = 24  # zero-valued hours an item may carry before the job removes them


class QueueCountItem(Item):
    """A queue cell: its counters are number attributes named by the hour (`_number`)."""


def _number(name: str) -> NumberAttribute:
    attribute = NumberAttribute(attr_name=name)
    attribute.attr_name = name
    return attribute


def add_to_transaction(tx, changes: dict[str, dict[str, int]]) -> int:
    """One Update with ADD per cell; returns how many cells it touched."""
    for cell, hours in sorted(changes.items()):
        actions = [Path(_number(hour)).add(n) for hour, n in sorted(hours.items())]
        tx.update(QueueCountItem(PK, cell), actions=actions, add_version_condition=False)
    return len(changes)


def _hours(raw: dict) -> dict[str, int]:
    return {name: int(value["N"]) for name, value in raw.items() if name.startswith("h")}


def read(prefixes: list[str]) -> dict[str, dict[str, int]]:
    """{cell: {hour: n}} of every cell whose key starts with one of the prefixes."""
    connection = QueueCountItem._get_connection()
    cells: dict[str, dict[str, int]] = {}
    for prefix in prefixes:
        start = None
        for _ in range(MAX_PAGES):
            kwargs = {"range_key_condition": QueueCountItem.sk.startswith(prefix)}
            if start:
                kwargs["exclusive_start_key"] = start
            page = connection.query(PK, **kwargs)
            for raw in page.get("Items", []):
                cells[raw["sk"]["S"]] = _hours(raw)
            start = page.get("LastEvaluatedKey")
            if not start:
                break
    return cells


def compact() -> int:
    """Remove zero-valued hours from cells that carry COMPACT_FROM or more, each removal
    conditional on the hours still being zero. Returns the cells compacted."""
    from pynamodb.exceptions import UpdateError

    connection = QueueCountItem._get_connection()
    compacted, start = 0, None
    for _ in range(MAX_PAGES):
        page = connection.query(PK, **({"exclusive_start_key": start} if start else {}))
        for raw in page.get("Items", []):
            zeros = sorted(hour for hour, n in _hours(raw).items() if n == 0)[:100]
            if len(zeros) < COMPACT_FROM:
                continue
            condition = None
            for hour in zeros:
                clause = Path(_number(hour)) == 0
                condition = clause if condition is None else condition & clause
            item = QueueCountItem(PK, raw["sk"]["S"])
            try:
                item.update(actions=[Path(_number(h)).remove() for h in zeros], condition=condition)
                compacted += 1
            except UpdateError:
                pass  # a case moved into one of those hours meanwhile: next run
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    return compacted
