"""Back-fill for complaints stored before the lookup index and the queue counters existed
(issue 18): their lookup rows, and their count in the queue counters; and for final cases
stored before the retention index (issue 21), their `by_closed` keys.

Each complaint is brought in with one transaction conditional on the version it was read
at, like any command, so it is safe while the service runs: a complaint changed meanwhile
is counted by that change (it gets a booking then) and is skipped here. Reads every
complaint record (a Scan): an offline maintenance command, never a request path.
"""

from __future__ import annotations

import json
from datetime import UTC

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from ..domain.lookup import index_partitions
from ..domain.queue_cells import booking_changes, queue_booking
from .dynamo import ComplaintItem, Item, get_connection
from .lookup import LookupItem, lookup_rows
from .queue_counts import add_to_transaction


class _Booking(Item):
    """The complaint item seen only for its queue booking: setting it leaves the version
    (the ETag staff hold) as it is, while the condition still checks it."""

    qbook = UnicodeAttribute(null=True)
    closed_pk = UnicodeAttribute(null=True)
    closed_sk = UnicodeAttribute(null=True)
    version = NumberAttribute(null=True)


def reindex(lookup_key: str) -> dict[str, int]:
    done = {"complaints": 0, "indexed": 0, "counted": 0, "retained": 0, "changed_meanwhile": 0}
    for item in ComplaintItem.scan(ComplaintItem.sk == "META"):
        done["complaints"] += 1
        complaint = item.to_complaint()
        rows = (
            []
            if complaint.anonymised_at or _indexed(complaint.number)
            else lookup_rows(complaint, index_partitions(complaint, lookup_key))
        )
        booking = None if item.qbook is not None else queue_booking(complaint)
        closed = _retention_keys(item, complaint)
        if not rows and booking is None and not closed:
            continue
        try:
            _commit(item, rows, booking, closed)
        except TransactWriteError:
            done["changed_meanwhile"] += 1
            continue
        done["indexed"] += bool(rows)
        done["counted"] += booking is not None
        done["retained"] += bool(closed)
    return done


def _indexed(number: str) -> bool:
    return any(
        True for _ in LookupItem.query(f"C#{number}", LookupItem.sk.startswith("SEARCH#"), limit=1)
    )


def _retention_keys(item: ComplaintItem, complaint) -> tuple[str, str] | None:
    """The `by_closed` keys a final, not yet anonymised case lacks (repository._to_item)."""
    if complaint.is_open or complaint.anonymised_at or item.closed_pk:
        return None
    from ..domain.retention import closed_at

    when = closed_at(complaint).astimezone(UTC).isoformat()
    return "CLOSED", f"{when}#{complaint.number}"


def _commit(item: ComplaintItem, rows: list, booking: list | None, closed=None) -> None:
    with TransactWrite(connection=get_connection()) as tx:
        actions = []
        if booking is not None:
            actions.append(_Booking.qbook.set(json.dumps(booking, separators=(",", ":"))))
            add_to_transaction(tx, booking_changes(None, booking))
        if closed:
            actions += [_Booking.closed_pk.set(closed[0]), _Booking.closed_sk.set(closed[1])]
        if actions:
            tx.update(
                _Booking(item.pk, "META"),
                actions=actions,
                condition=_Booking.version == item.version,
            )
        else:
            tx.condition_check(
                ComplaintItem, item.pk, "META", condition=ComplaintItem.version == item.version
            )
        for row in rows:
            tx.save(row, condition=LookupItem.pk.does_not_exist())
