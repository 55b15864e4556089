"""Callbacks over DynamoDB: the sparse `by_callback` index and the daily digest's marker.

A complaint carries `callback_pk` = `CB#<department>` and `callback_sk` =
`<due date>#<slot order>#<number>` only while it is resolved and its callback is due, so
the index holds exactly the callback work list. "Due today" and "overdue" are key ranges
on it, one Query per department (the departments are the organisation's configured
list), paged by a cursor: never a Scan, and at most `limit` items read per request.
"""

from __future__ import annotations

import base64
import json
from datetime import date

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from ..domain.callbacks import Slot
from ..domain.errors import InvalidCommand
from ..domain.model import Complaint
from ..domain.vocabulary import Status
from .dynamo import ComplaintItem, CounterItem, get_connection

SLOT_ORDER = {slot: str(position) for position, slot in enumerate(Slot)}


def callback_keys(complaint: Complaint) -> tuple[str, str] | None:
    state = complaint.callback
    if complaint.status != Status.resolved or not (state and state.open):
        return None
    sk = f"{state.due_on.isoformat()}#{SLOT_ORDER[state.slot]}#{complaint.number}"
    return f"CB#{complaint.department}", sk


def _range(when: str, today: date):
    key = ComplaintItem.callback_sk
    day = today.isoformat()
    if when == "overdue":
        return key < f"{day}#"
    if when == "today":
        return key.between(f"{day}#", f"{day}#~")
    if when == "all":
        return None
    return key <= f"{day}#~"  # due: today and overdue


def callbacks_due(
    departments: list[str], today: date, when: str, limit: int, cursor: str | None
) -> tuple[list[Complaint], str | None]:
    """Oldest due first, department by department; the cursor says where to go on."""
    start, last_key = _read_cursor(cursor, len(departments))
    found: list[Complaint] = []
    for position in range(start, len(departments)):
        remaining = limit - len(found)
        rows = ComplaintItem.by_callback.query(
            f"CB#{departments[position]}",
            range_key_condition=_range(when, today),
            limit=remaining,
            page_size=remaining,
            last_evaluated_key=last_key,
        )
        found.extend(item.to_complaint() for item in rows)
        last_key = None
        if len(found) >= limit:
            if rows.last_evaluated_key:
                return found, _write_cursor(position, rows.last_evaluated_key)
            if position + 1 < len(departments):
                return found, _write_cursor(position + 1, None)
    return found, None


def claim_digest(day: date, entries: list, outbox_item) -> bool:
    """Write the day's digest marker and its outbox entries in one transaction; False if
    another run already wrote them (each digest is sent once, whatever runs overlap)."""
    marker = CounterItem(f"CBDIGEST#{day:%Y%m%d}", "CBDIGEST", value=len(entries))
    try:
        with TransactWrite(connection=get_connection()) as tx:
            tx.save(marker, condition=CounterItem.pk.does_not_exist())
            for entry in entries:
                tx.save(outbox_item(entry))
    except TransactWriteError as error:
        reasons = list(getattr(error, "cancellation_reasons", None) or [])
        if reasons and reasons[0] and reasons[0].code == "ConditionalCheckFailed":
            return False
        raise
    return True


def digest_sent(day: date) -> bool:
    from pynamodb.exceptions import DoesNotExist

    try:
        CounterItem.get(f"CBDIGEST#{day:%Y%m%d}", "CBDIGEST", consistent_read=True)
    except DoesNotExist:
        return False
    return True


def _write_cursor(position: int, last_key: dict | None) -> str:
    raw = json.dumps({"p": position, "k": last_key}).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _read_cursor(cursor: str | None, partitions: int) -> tuple[int, dict | None]:
    if not cursor:
        return 0, None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        position, key = int(data["p"]), data["k"]
        if not 0 <= position < partitions or not (key is None or isinstance(key, dict)):
            raise ValueError
    except (ValueError, KeyError, TypeError, json.JSONDecodeError):
        raise InvalidCommand("invalid cursor", {"cursor": "not a cursor from this list"}) from None
    return position, key
