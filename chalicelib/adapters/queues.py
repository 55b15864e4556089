"""The console's queues: open complaints sorted by their nearest deadline, never a Scan.

A queue is one or more partitions of a sparse deadline index (one per department, or per
department and status, or the caller's own cases); each is read in deadline order and the
partitions are merged. Work is bounded whatever the filters: at most MAX_PAGES pages of
`limit` items per partition per request. When a filter leaves a partition unfinished, only
items that sort before its read frontier are returned, so the order holds across pages;
the cursor keeps each partition's position.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from ..domain.errors import InvalidCommand
from .cursors import DONE, advance, is_string_key, read_positions, write_positions
from .dynamo import ComplaintItem

MAX_PAGES = 3


# index -> its hash key attribute; every queue index is sorted by deadline_sk.
INDEXES = {
    "by_dept_deadline": "department",
    "by_dept_status_deadline": "dept_status",
    "by_assignee_deadline": "assignee",
}


@dataclass(frozen=True)
class Partition:
    index: str  # one of INDEXES
    key: str


@dataclass(frozen=True)
class Filters:
    statuses: tuple[str, ...] = ()  # empty: no status filter
    grade: str | None = None
    category: str | None = None
    channel: str | None = None
    before: str | None = None  # only deadlines before this UTC ISO time
    replied: bool = False  # only cases with replies their handler has not opened

    def condition(self):
        parts = []
        if self.statuses:
            parts.append(ComplaintItem.status.is_in(*self.statuses))
        if self.grade:
            parts.append(ComplaintItem.grade == self.grade)
        if self.category:
            parts.append(ComplaintItem.category == self.category)
        if self.channel:
            parts.append(ComplaintItem.channel == self.channel)
        if self.replied:
            parts.append(ComplaintItem.unread > 0)
        combined = None
        for part in parts:
            combined = part if combined is None else combined & part
        return combined


def partitions_for(plan) -> tuple[list[Partition], Filters]:
    """The index partitions a domain QueuePlan reads, and the filter on them."""
    statuses = tuple(status.value for status in plan.statuses)
    before = f"{plan.before.astimezone(UTC).isoformat()}~" if plan.before else None
    extra = {"grade": plan.grade, "category": plan.category, "channel": plan.channel}
    extra["replied"] = plan.replied
    if plan.assignee is not None:
        parts = [Partition("by_assignee_deadline", plan.assignee)]
        return parts, Filters(statuses=statuses, before=before, **extra)
    if len(statuses) <= 2:
        # A key per department and status: no status filter to read past.
        parts = [
            Partition("by_dept_status_deadline", f"{department}#{status}")
            for department in plan.departments
            for status in statuses
        ]
        return parts, Filters(before=before, **extra)
    parts = [Partition("by_dept_deadline", department) for department in plan.departments]
    return parts, Filters(statuses=statuses, before=before, **extra)


def _range(filters: Filters):
    if filters.before:
        return ComplaintItem.deadline_sk < filters.before
    return None


def _read_page(partition: Partition, filters: Filters, limit: int, start: dict | None):
    """One Query call: (items, last evaluated key)."""
    connection = ComplaintItem._get_connection()
    kwargs = {
        "index_name": partition.index,
        "range_key_condition": _range(filters),
        "filter_condition": filters.condition(),
        "limit": limit,
        "exclusive_start_key": start,
        "scan_index_forward": True,
    }
    data = connection.query(partition.key, **{k: v for k, v in kwargs.items() if v is not None})
    return data.get("Items", []), data.get("LastEvaluatedKey")


def _sort_value(raw: dict) -> str:
    return raw["deadline_sk"]["S"]


def read_queue(partitions: list[Partition], filters: Filters, limit: int, cursor: str | None):
    """One page of complaints in deadline order, and the cursor of the next (None: done)."""
    positions = _read_cursor(cursor, len(partitions))
    fetched: list[tuple[str, int, dict]] = []
    frontiers: list[str | None] = []  # None: the partition is read to its end
    ends: list[dict | None] = []
    for number, (partition, position) in enumerate(zip(partitions, positions, strict=True)):
        if position == DONE:
            frontiers.append(None)
            ends.append(None)
            continue
        items, last = [], position
        for _ in range(MAX_PAGES):
            page, last = _read_page(partition, filters, limit, last)
            items += page
            if not last or len(items) >= limit:
                break
        fetched += [(_sort_value(raw), number, raw) for raw in items]
        frontiers.append(last["deadline_sk"]["S"] if last else None)
        ends.append(last)
    limit_value = min((f for f in frontiers if f is not None), default=None)
    fetched.sort(key=lambda entry: entry[0])
    taken = [entry for entry in fetched if limit_value is None or entry[0] <= limit_value][:limit]
    new_positions = _advance(partitions, positions, fetched, taken, ends)
    items = [ComplaintItem.from_raw_data(raw).to_complaint() for _, _, raw in taken]
    more = any(position != DONE for position in new_positions)
    return items, (write_positions(new_positions) if more else None)


def _advance(partitions, positions, fetched, taken, ends) -> list:
    """Each partition's position after this page: after the last item taken from it, or
    where its reading stopped when every item read was taken."""

    def key_of(number, raw):
        return _key_of(raw, partitions[number].index)

    return advance(positions, fetched, taken, ends, key_of)


def _key_of(raw: dict, index: str) -> dict:
    return {name: raw[name] for name in ("pk", "sk", INDEXES[index], "deadline_sk")}


def _read_cursor(cursor: str | None, partitions: int) -> list:
    if not cursor:
        return [None] * partitions
    positions = read_positions(cursor, partitions, _bad_cursor())
    if not all(p is None or p == DONE or is_string_key(p) for p in positions):
        raise _bad_cursor()
    return positions


def _bad_cursor() -> InvalidCommand:
    return InvalidCommand("invalid cursor", {"cursor": "not a cursor from this queue"})
