"""The complaint repository over DynamoDB: every command commits in one transaction."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from ..domain.errors import Conflict, StaleVersion
from ..domain.model import AFTER_CLOSE_EVENTS, Complaint
from ..domain.notifications import OutboxEntry
from ..domain.queue_cells import nearest_deadline
from ..service.ports import LimitClaim, RepeatState
from .callbacks import callback_keys
from .cancellations import LimitRefused, NumberTaken, Transient, _raise_conflict
from .complaint_items import _event_item, _iso, _outbox_item, complaint_pk
from .complaint_reads import ComplaintReads
from .dynamo import ComplaintItem, CounterItem, EventItem, GapItem, RepeatItem, get_connection
from .limits import add_claims
from .outbox_store import OutboxStore
from .queue_counts import add_to_transaction as add_queue_counts
from .stats_store import add_to_transaction

NUMBER_ATTEMPTS = 30  # builds of one intake; each after a definite cancellation
TRANSIENT_ATTEMPTS = 6  # sends of one transaction DynamoDB cancelled for a passing reason

Build = Callable[[str], tuple]


def resend_pause(attempt: int) -> float:
    """Before sending a transiently cancelled transaction again (full jitter)."""
    return random.uniform(0, 0.02 * 2**attempt)


def rebuild_pause(attempt: int) -> float:
    """Before building an intake again after a definite cancellation (full jitter: a burst
    about one issue spreads out instead of colliding again). bench/conflicts.py uses both."""
    return random.uniform(0, min(0.5, 0.005 * 2**attempt))


class DynamoComplaints(ComplaintReads, OutboxStore):
    def __init__(self, timezone: str, calendar=None, lookup_key: str | None = None):
        self.timezone = ZoneInfo(timezone)
        # The business calendar for the statistics, or a function giving the one in force
        # (the settings' current version): figures are recorded with the hours of their time.
        self.calendar = calendar
        self._lookup_key = lookup_key  # the HMAC key of the lookup index

    @property
    def lookup_key(self) -> str:
        if self._lookup_key is None:
            from ..config import get_settings

            self._lookup_key = get_settings().limit_hash_key
        return self._lookup_key

    def record_views(self, number: str, message_ids: list[str], at: datetime) -> None:
        from .conversation import record_views

        record_views(number, message_ids, at)

    def log_search(self, at: datetime, user: str, roles: list[str], kind: str, results: int):
        from .lookup import log_search

        log_search(at, user, roles, kind, results)

    def compact_queue_counts(self) -> int:
        from .queue_counts import compact

        return compact()

    def compact_open_cells(self, before_month: str) -> int:
        from .stats_store import compact_open_cells

        return compact_open_cells(before_month)

    # -- writes ------------------------------------------------------------------------

    def create(
        self, day: date, build: Build, claims: Callable[[], list[LimitClaim]] | None = None
    ) -> tuple[Complaint, list[OutboxEntry]]:
        """Give out the day's next number and commit record, events and outbox.

        `build(number)` returns (complaint, outbox) or (complaint, outbox, others): other
        complaints changed by the same command commit in the same transaction.
        The number comes from an atomic counter update that returns the next value, so
        concurrent intakes never wait on one another for it, and it is this intake's
        alone: when DynamoDB cancels the transaction (a concurrent intake moved the repeat
        item, or a passing reason), the intake is built again under the same number. A
        number whose intake does not commit is recorded as a gap and never given again.

        `claims()` (after each build) are the limits the intake takes in the same
        transaction (adapters/limits.py); when DynamoDB refuses one, it is marked refused
        and the intake is built again under the same number (its acknowledgement held).
        """
        sequence = None
        for attempt in range(NUMBER_ATTEMPTS):
            sequence = sequence or self._next_sequence(day)
            try:
                complaint, outbox, *rest = build(_number(day, sequence))
            except Exception as error:  # refused while built (e.g. 429): the number is a gap
                self._record_gap(day, sequence, f"not registered: {error}")
                raise
            others = rest[0] if rest else ()
            repeat = rest[1] if len(rest) > 1 else None
            try:
                self._commit([complaint, *others], outbox, repeat, claims() if claims else [])
                return complaint, outbox
            except LimitRefused:
                continue  # the refused claims are marked: built again, that one held
            except StaleVersion:
                self._record_gap(day, sequence, "a linked complaint was changed meanwhile")
                raise
            except NumberTaken as error:
                self._record_gap(day, sequence, error.message)
                sequence = None
            except Conflict:
                time.sleep(rebuild_pause(attempt))
        self._record_gap(day, sequence, "the intake could not commit; the caller may retry")
        raise Conflict("could not register the complaint; please retry")

    def save(self, complaint: Complaint, outbox: list[OutboxEntry], *others: Complaint) -> None:
        self._commit([complaint, *others], outbox)

    def save_anonymised(self, complaint: Complaint, deletes: list[tuple[str, str]], audit=None):
        """The anonymised record, its audit event, the deletion of its identity lookup rows
        and the administration audit entry: one transaction on the version read."""
        self._commit([complaint], [], deletes=deletes, audit=audit)

    def _next_sequence(self, day: date) -> int:
        """ADD 1 to the day's counter (created at 1) and return the new value: one call."""
        counter = CounterItem(f"COUNTER#{day:%Y%m%d}", "COUNTER")
        counter.update(actions=[CounterItem.value.add(1)])
        return int(counter.value)

    def _record_gap(self, day: date, sequence: int, reason: str) -> None:
        """A number given out but never committed: kept so an auditor can tell a gap in
        the day's numbers from a lost complaint. Best effort: the intake goes on without."""
        try:
            GapItem(
                f"COUNTER#{day:%Y%m%d}",
                f"GAP#{sequence:06d}",
                number=_number(day, sequence),
                reason=reason[:200],
                at=_iso(datetime.now(UTC)),
            ).save()
        except Exception:  # noqa: BLE001 - the gap stays unexplained, nothing is lost
            from ..observability import logger

            logger().warning("could not record a numbering gap", sequence=sequence)

    def _commit(
        self, complaints: list[Complaint], outbox, repeat=None, claims=(), deletes=(), audit=None
    ) -> None:
        if _audit_only(complaints, outbox, repeat):
            return self._append_audit(complaints[0])
        items = [self._to_item(complaint) for complaint in complaints]
        increments, bookings = self._statistics(complaints, items)
        queue_changes, queue_bookings = _queue_counts(complaints, items)
        for attempt in range(TRANSIENT_ATTEMPTS):
            try:
                self._transact(
                    complaints,
                    items,
                    outbox,
                    repeat,
                    (increments, queue_changes),
                    claims,
                    (deletes, audit),
                )
                break
            except Transient:
                if attempt == TRANSIENT_ATTEMPTS - 1:
                    raise Conflict("the service is busy; please retry") from None
                time.sleep(resend_pause(attempt))
        for complaint, queued in zip(complaints, queue_bookings, strict=True):
            complaint._queues = queued
        for complaint, item, booking in zip(complaints, items, bookings, strict=True):
            complaint.version = int(item.version)
            complaint._stats = booking
            complaint.clear_events()

    def _append_audit(self, complaint: Complaint) -> None:
        """Feedback after a case closed goes to the audit trail only: the closed record
        keeps its version, and the check on that version still settles any race."""
        try:
            with TransactWrite(connection=get_connection()) as tx:
                tx.condition_check(
                    ComplaintItem,
                    complaint_pk(complaint.number),
                    "META",
                    condition=ComplaintItem.version == complaint.version,
                )
                for index, event in enumerate(complaint.pending_events()):
                    tx.save(
                        _event_item(complaint, index, event),
                        condition=EventItem.pk.does_not_exist(),
                    )
        except TransactWriteError as error:
            _raise_conflict(error, ["known"] + ["event"] * len(complaint.pending_events()))
        complaint.clear_events()

    def _transact(
        self, complaints, items, outbox, repeat, counted, claims=(), removal=((), None)
    ) -> None:
        increments, queue_changes = counted
        deletes, audit = removal
        # What each item is, in the order pynamodb sends them (condition checks, deletes,
        # puts, updates), to read the cancellation reasons; None: an item without a condition.
        checks = [claim for claim in claims if claim.kind == "clear"]
        counters = [claim for claim in claims if claim.kind != "clear"]
        puts: list = []
        try:
            with TransactWrite(connection=get_connection()) as tx:
                add_claims(tx, checks)
                if repeat:
                    tx.save(_repeat_item(repeat))
                    puts.append("repeat")
                for complaint, item in zip(complaints, items, strict=True):
                    puts += _save_complaint(tx, complaint, item)
                    puts += self._index_new(tx, complaint)
                for entry in outbox:
                    tx.save(_outbox_item(entry))
                    puts.append(None)
                if audit is not None:
                    audit(tx)
                    puts.append(None)
                updates = [None] * add_to_transaction(tx, increments)
                updates += [None] * add_queue_counts(tx, queue_changes)
                updates += add_claims(tx, counters)
                for pk, sk in deletes:
                    tx.delete(ComplaintItem(pk, sk))
        except TransactWriteError as error:
            # pynamodb sends condition checks, deletes, puts, then updates.
            _raise_conflict(error, [*checks, *[None] * len(deletes), *puts, *updates])

    def _index_new(self, tx: TransactWrite, complaint: Complaint) -> list[str]:
        """A new complaint's lookup rows (keyed hashes only), in its own transaction."""
        if complaint.version != 0:
            return []
        from ..domain.lookup import index_partitions
        from .lookup import lookup_rows

        rows = lookup_rows(complaint, index_partitions(complaint, self.lookup_key))
        for row in rows:
            tx.save(row)
        return ["lookup"] * len(rows)

    def _statistics(self, complaints: list[Complaint], items: list[ComplaintItem]):
        """The monthly counters this commit moves, and each complaint's new booking
        (stored on its item, so the version condition covers both)."""
        from ..domain.stats import account_commit

        if self.calendar is None:
            from ..config import get_calendar

            self.calendar = get_calendar()
        calendar = self.calendar() if callable(self.calendar) else self.calendar
        increments, bookings = account_commit(complaints, calendar)
        for item, booking in zip(items, bookings, strict=True):
            item.stats = json.dumps(booking, separators=(",", ":")) if booking else None
        return increments, bookings

    # -- mapping -----------------------------------------------------------------------

    def _to_item(self, complaint: Complaint) -> ComplaintItem:
        received = complaint.received_at
        list_sk = f"{_iso(received)}#{complaint.number}"
        item = ComplaintItem(
            complaint_pk(complaint.number),
            "META",
            number=complaint.number,
            status=complaint.status.value,
            department=complaint.department,
            grade=complaint.grade,
            received_at=_iso(received),
            doc=complaint.model_dump_json(exclude={"version"}),
            list_sk=list_sk,
            dept_status=f"{complaint.department}#{complaint.status.value}",
            status_key=complaint.status.value,
            grade_key=complaint.grade,
            month_key=received.astimezone(self.timezone).strftime("%Y-%m"),
            assignee=complaint.assignee,
            escalation_level=complaint.escalation_level,
            category=complaint.data.category,
            channel=complaint.channel.value,
            unread=complaint.replies_unread or None,
        )
        nearest = nearest_deadline(complaint)
        if nearest:
            item.deadline_sk = f"{_iso(nearest[1])}#{complaint.number}"
        if complaint.version:
            item.version = complaint.version
        if complaint.is_open and complaint.next_due_at:
            item.due_pk = "DUE"
            item.due_sk = f"{_iso(complaint.next_due_at)}#{complaint.number}"
        if not complaint.is_open and complaint.anonymised_at is None:
            from ..domain.retention import closed_at

            item.closed_pk = "CLOSED"
            item.closed_sk = f"{_iso(closed_at(complaint))}#{complaint.number}"
        callback = callback_keys(complaint)
        if callback:
            item.callback_pk, item.callback_sk = callback
        return item


def _queue_counts(complaints: list[Complaint], items: list[ComplaintItem]):
    """The queue counters this commit moves (merged: a transaction touches an item once),
    and each complaint's new queue booking, stored on its item."""
    from ..domain.queue_cells import booking_changes, queue_booking

    changes: dict[str, dict[str, int]] = {}
    bookings = []
    for complaint, item in zip(complaints, items, strict=True):
        booking = queue_booking(complaint)
        bookings.append(booking)
        item.qbook = json.dumps(booking, separators=(",", ":"))
        for cell, hours in booking_changes(complaint._queues, booking).items():
            merged = changes.setdefault(cell, {})
            for hour, n in hours.items():
                merged[hour] = merged.get(hour, 0) + n
    return {cell: hours for cell, hours in changes.items() if any(hours.values())}, bookings


def _number(day: date, sequence: int) -> str:
    from ..domain.numbering import complaint_number

    return complaint_number(day, sequence)


def _repeat_item(state: RepeatState) -> RepeatItem:
    # The version condition makes a concurrent intake on the same issue re-read and retry.
    item = RepeatItem(f"REPEAT#{state.issue}", "REPEAT", seen=json.dumps(state.seen))
    if state.version:
        item.version = state.version
    return item


def _audit_only(complaints: list[Complaint], outbox, repeat) -> bool:
    """A closed case takes nothing but reopen; a late follow-up answer on it is kept as
    an audit entry, never as a change to the record."""
    if len(complaints) != 1 or outbox or repeat:
        return False
    complaint = complaints[0]
    events = complaint.pending_events()
    return (
        complaint.closed_when_read
        and bool(events)
        and all(event.type in AFTER_CLOSE_EVENTS for event in events)
    )


def _save_complaint(tx: TransactWrite, complaint: Complaint, item: ComplaintItem) -> list:
    # A new record must not exist; a known one must still have the version it was read at
    # (pynamodb adds that condition from the VersionAttribute).
    is_new = complaint.version == 0
    tx.save(item, condition=ComplaintItem.pk.does_not_exist() if is_new else None)
    events = complaint.pending_events()
    for index, event in enumerate(events):
        tx.save(
            _event_item(complaint, index, event),
            condition=EventItem.pk.does_not_exist(),
        )
    return ["new" if is_new else "known"] + ["event"] * len(events)
