"""Staff lists: every filter is served by a key condition on one GSI, never a Scan.

The most selective key the criteria allow picks the index; the other criteria become a
filter on that query. A list that spans several partitions (several departments in the
caller's scope, or the months of the organisation-wide list) walks them in turn.

Every request does bounded work whatever its parameters: at most MAX_QUERIES Query calls,
each reading at most `limit` items. When the budget runs out the page is returned as it
is, possibly short or even empty, with a cursor that says where the walk stands (the
partition and DynamoDB's last key); a list is complete only when next_cursor is null.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..domain.errors import InvalidCommand
from ..domain.listing import ListCriteria
from ..domain.model import Complaint
from .dynamo import ComplaintItem
from .listing import months_between

MAX_QUERIES = 12  # per request: a year of empty months, or twelve departments


def search(
    criteria: ListCriteria,
    departments: list[str] | None,
    timezone: str,
    window: tuple[date, date],
) -> tuple[list[Complaint], str | None]:
    """One page of complaints, newest first within each partition. `departments` limits
    the scope (None: all); `window` is (first, last) day received that the list covers."""
    tz = ZoneInfo(timezone)
    partitions = _partitions(criteria, departments, window)
    position, last_key = _read_cursor(criteria.cursor, partitions)
    connection = ComplaintItem._get_connection()
    found: list[Complaint] = []
    for _ in range(MAX_QUERIES):
        if position >= len(partitions) or len(found) >= criteria.limit:
            break
        index, hash_key = partitions[position]
        page = connection.query(
            hash_key,
            range_key_condition=_received_range(criteria, tz),
            filter_condition=_filters(criteria, index),
            index_name=index.Meta.index_name,
            limit=criteria.limit - len(found),
            exclusive_start_key=last_key,
            scan_index_forward=False,
        )
        found += [ComplaintItem.from_raw_data(raw).to_complaint() for raw in page.get("Items", [])]
        last_key = page.get("LastEvaluatedKey")
        if last_key is None:
            position += 1
    if position >= len(partitions):
        return found, None
    return found, _write_cursor(partitions[position][1], last_key)


def _partitions(criteria, departments, window) -> list[tuple]:
    c = criteria
    if c.assignee:
        return [(ComplaintItem.by_assignee, c.assignee)]
    if c.department:
        wanted = [c.department]
    elif departments is not None:
        wanted = sorted(departments)
    else:
        wanted = None
    if wanted is not None:
        if c.status:
            return [(ComplaintItem.by_dept_status, f"{d}#{c.status.value}") for d in wanted]
        return [(ComplaintItem.by_department, d) for d in wanted]
    if c.status:
        return [(ComplaintItem.by_status, c.status.value)]
    if c.grade:
        return [(ComplaintItem.by_grade, c.grade)]
    # Organisation-wide and unfiltered: every month of the window, newest first, so no
    # case (open or closed) falls out; the cursor carries the walk across requests.
    first, last = window
    return [(ComplaintItem.by_month, month) for month in months_between(first, last)]


def _received_range(criteria: ListCriteria, tz: ZoneInfo):
    # list_sk is "<received_at in UTC ISO>#<number>", so a time range is a key range.
    low = _utc_iso(criteria.received_from, tz) if criteria.received_from else "0"
    high = _utc_iso(criteria.received_to + timedelta(days=1), tz) if criteria.received_to else "9"
    return ComplaintItem.list_sk.between(low, high)


def _utc_iso(day: date, tz: ZoneInfo) -> str:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC).isoformat()


def _filters(criteria: ListCriteria, index):
    keyed = {
        ComplaintItem.by_assignee: {"assignee"},
        ComplaintItem.by_dept_status: {"department", "status"},
        ComplaintItem.by_department: {"department"},
        ComplaintItem.by_status: {"status"},
        ComplaintItem.by_grade: {"grade"},
    }.get(index, set())
    conditions = []
    c = criteria
    if c.status and "status" not in keyed:
        conditions.append(ComplaintItem.status == c.status.value)
    if c.department and "department" not in keyed:
        conditions.append(ComplaintItem.department == c.department)
    if c.grade and "grade" not in keyed:
        conditions.append(ComplaintItem.grade == c.grade)
    if c.escalation_level is not None:
        conditions.append(ComplaintItem.escalation_level == c.escalation_level)
    combined = None
    for condition in conditions:
        combined = condition if combined is None else combined & condition
    return combined


def _read_cursor(cursor: str | None, partitions: list[tuple]) -> tuple[int, dict | None]:
    """The cursor names its partition by key, not by place, so a list whose months moved
    on (a new month began) still resumes where it stood."""
    if not cursor:
        return 0, None
    invalid = InvalidCommand("invalid cursor", {"cursor": "not a cursor from this list"})
    try:
        state = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        partition, key = state["h"], state.get("k")
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise invalid from error
    keys = [hash_key for _, hash_key in partitions]
    if partition not in keys or not _is_key(key):
        raise invalid
    return keys.index(partition), key


def _is_key(key) -> bool:
    if key is None:
        return True
    return isinstance(key, dict) and all(
        isinstance(value, dict) and set(value) == {"S"} and isinstance(value["S"], str)
        for value in key.values()
    )


def _write_cursor(partition: str, key: dict | None) -> str:
    raw = json.dumps({"h": partition, "k": key}, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode()
