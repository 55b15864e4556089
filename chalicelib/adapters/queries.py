"""Staff lists: every filter is served by a key condition on one GSI, never a Scan.

The most selective key the criteria allow picks the index; the other criteria become a
filter on that query. A list that spans several partitions (several departments in the
caller's scope, or several months) walks them in turn, and the cursor says where it is.
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

DEFAULT_MONTHS = 3


def search(
    criteria: ListCriteria, departments: list[str] | None, timezone: str, today: date
) -> tuple[list[Complaint], str | None]:
    """One page of complaints, newest first. `departments` limits the scope (None: all)."""
    partitions = _partitions(criteria, departments, ZoneInfo(timezone), today)
    start, last_key = _read_cursor(criteria.cursor, len(partitions))
    found: list[Complaint] = []
    for position in range(start, len(partitions)):
        index, hash_key = partitions[position]
        remaining = criteria.limit - len(found)
        rows = index.query(
            hash_key,
            range_key_condition=_received_range(criteria, ZoneInfo(timezone)),
            filter_condition=_filters(criteria, index),
            scan_index_forward=False,
            limit=remaining,
            page_size=remaining,
            last_evaluated_key=last_key,
        )
        found.extend(item.to_complaint() for item in rows)
        last_key = None
        if rows.last_evaluated_key and len(found) >= criteria.limit:
            return found, _write_cursor(position, rows.last_evaluated_key)
        if len(found) >= criteria.limit and position + 1 < len(partitions):
            return found, _write_cursor(position + 1, None)
    return found, None


def _partitions(criteria, departments, tz, today) -> list[tuple]:
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
    return [(ComplaintItem.by_month, month) for month in _months(c, today)]


def _months(criteria: ListCriteria, today: date) -> list[str]:
    last = criteria.received_to or today
    first = criteria.received_from or (last - timedelta(days=31 * DEFAULT_MONTHS))
    return months_between(first, last)


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


def _read_cursor(cursor: str | None, partitions: int) -> tuple[int, dict | None]:
    if not cursor:
        return 0, None
    try:
        state = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        position, key = int(state["p"]), state.get("k")
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidCommand("invalid cursor", {"cursor": "not a cursor from this list"}) from error
    if not 0 <= position < partitions or not _is_key(key):
        raise InvalidCommand("invalid cursor", {"cursor": "not a cursor from this list"})
    return position, key


def _is_key(key) -> bool:
    if key is None:
        return True
    return isinstance(key, dict) and all(
        isinstance(value, dict) and set(value) == {"S"} and isinstance(value["S"], str)
        for value in key.values()
    )


def _write_cursor(position: int, key: dict | None) -> str:
    raw = json.dumps({"p": position, "k": key}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()
