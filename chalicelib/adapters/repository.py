"""The complaint repository over DynamoDB: every command commits in one transaction."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from ..domain.errors import Conflict, StaleVersion
from ..domain.events import DomainEvent
from ..domain.model import AFTER_CLOSE_EVENTS, Complaint
from ..domain.notifications import Message, OutboxEntry
from ..domain.queues import nearest_deadline
from ..service.ports import LimitClaim, RepeatState
from . import listing
from .callbacks import callback_keys, callbacks_due, claim_digest, digest_sent
from .dynamo import (
    ComplaintItem,
    CounterItem,
    EventItem,
    GapItem,
    OutboxItem,
    RepeatItem,
    get_connection,
)
from .limits import add_claims
from .queue_counts import add_to_transaction as add_queue_counts
from .stats_store import add_to_transaction

NUMBER_ATTEMPTS = 30  # builds of one intake; each after a definite cancellation
TRANSIENT_ATTEMPTS = 6  # sends of one transaction DynamoDB cancelled for a passing reason
DELIVERY_GRACE = timedelta(minutes=2)
CLAIM_LEASE = timedelta(minutes=10)  # a run that dies mid-send leaves it for a later one

Build = Callable[[str], tuple]


def resend_pause(attempt: int) -> float:
    """Before sending a transiently cancelled transaction again (full jitter)."""
    return random.uniform(0, 0.02 * 2**attempt)


def rebuild_pause(attempt: int) -> float:
    """Before building an intake again after a definite cancellation (full jitter: a burst
    about one issue spreads out instead of colliding again). bench/conflicts.py uses both."""
    return random.uniform(0, min(0.5, 0.005 * 2**attempt))


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def complaint_pk(number: str) -> str:
    return f"C#{number}"


class DynamoComplaints:
    def __init__(self, timezone: str, calendar=None, lookup_key: str | None = None):
        self.timezone = ZoneInfo(timezone)
        self.calendar = calendar  # the business calendar, for the statistics
        self._lookup_key = lookup_key  # the HMAC key of the lookup index

    @property
    def lookup_key(self) -> str:
        if self._lookup_key is None:
            from ..config import get_settings

            self._lookup_key = get_settings().limit_hash_key
        return self._lookup_key

    # -- reads -------------------------------------------------------------------------

    def load(self, number: str) -> Complaint | None:
        try:
            item = ComplaintItem.get(complaint_pk(number), "META", consistent_read=True)
        except DoesNotExist:
            return None
        return item.to_complaint()

    def load_with_events(self, number: str) -> tuple[Complaint | None, list[DomainEvent]]:
        """One query returns the record and its audit events ("EV#..." < "META" < "OUT#")."""
        complaint, events = None, []
        # The model's table connection knows the key schema, so no DescribeTable call.
        rows = ComplaintItem._get_connection().query(
            complaint_pk(number),
            range_key_condition=ComplaintItem.sk.between("EV#", "META"),
            consistent_read=True,
        )
        for raw in rows.get("Items", []):
            if raw["sk"]["S"] == "META":
                complaint = ComplaintItem.from_raw_data(raw).to_complaint()
            else:
                events.append(_to_event(EventItem.from_raw_data(raw)))
        return complaint, events

    def load_thread(self, number: str):
        """Record, events, outbox entries and read receipts: one Query (conversation.py)."""
        from .conversation import load_thread

        return load_thread(number, _to_event, outbox_entry_from_item)

    def record_views(self, number: str, message_ids: list[str], at: datetime) -> None:
        from .conversation import record_views

        record_views(number, message_ids, at)

    def search(self, criteria, departments: list[str] | None, window: tuple[date, date]):
        from .queries import search

        return search(criteria, departments, self.timezone.key, window)

    def find(self, partitions: list[str], limit: int, cursor: str | None):
        """Complaints found under lookup partitions, newest first (adapters/lookup.py)."""
        from .lookup import find

        return find(partitions, limit, cursor)

    def log_search(self, at: datetime, user: str, roles: list[str], kind: str, results: int):
        from .lookup import log_search

        log_search(at, user, roles, kind, results)

    def search_log(self, month: str, limit: int, cursor: str | None):
        from .lookup import read_log

        return read_log(month, limit, cursor)

    def report_cells(self, month: str):
        """The month's statistics cells: one Query of its partition (domain/stats.py)."""
        from .stats_store import read_month

        return read_month(month)

    def open_cells(self):
        """Open cases' cells, by the month of their last change: one Query."""
        from .stats_store import read_live

        return read_live()

    def callbacks_due(self, departments, today: date, when: str, limit: int, cursor):
        return callbacks_due(departments, today, when, limit, cursor)

    def callback_digest_sent(self, day: date) -> bool:
        return digest_sent(day)

    def claim_callback_digest(self, day: date, entries: list[OutboxEntry]) -> bool:
        return claim_digest(day, entries, _outbox_item)

    def queue(self, plan, limit: int, cursor: str | None):
        """One page of a console queue, nearest deadline first (adapters/queues.py)."""
        from .queues import partitions_for, read_queue

        if not plan.statuses:
            return [], None
        return read_queue(*partitions_for(plan), limit, cursor)

    def queue_counts(self, plans) -> list[int]:
        """Each plan's count from the queue counters: one Query per kind of cell read
        (departments, the caller's own), whatever the number of departments."""
        from ..domain.queues import ASSIGNEE_CELL, DEPARTMENT_CELL, REPLIED_PREFIX, count_from
        from .queue_counts import read

        prefixes = []
        if any(plan.assignee is None and plan.departments for plan in plans):
            departments = {d for plan in plans for d in plan.departments}
            only = next(iter(departments)) if len(departments) == 1 else None
            prefixes.append(f"{DEPARTMENT_CELL}#{only}#" if only else f"{DEPARTMENT_CELL}#")
        for assignee in sorted({plan.assignee for plan in plans if plan.assignee}):
            prefixes.append(f"{ASSIGNEE_CELL}#{assignee}#")
        if any(plan.replied for plan in plans):
            prefixes += [REPLIED_PREFIX + prefix for prefix in prefixes]
        cells = read(prefixes) if prefixes else {}
        return [count_from(plan, cells) for plan in plans]

    def compact_queue_counts(self) -> int:
        from .queue_counts import compact

        return compact()

    def compact_open_cells(self, before_month: str) -> int:
        from .stats_store import compact_open_cells

        return compact_open_cells(before_month)

    def due_numbers(self, now: datetime) -> list[str]:
        """Open complaints whose next check is due: a query of the sparse due index, so
        what it reads grows with the number due, not with the table."""
        rows = ComplaintItem.by_due.query("DUE", ComplaintItem.due_sk <= f"{_iso(now)}~")
        return [row.due_sk.rsplit("#", 1)[1] for row in rows]

    def load_many(self, numbers: list[str]) -> list[Complaint]:
        """The complaints with these numbers, in the order asked; unknown ones left out."""
        wanted = list(dict.fromkeys(numbers))
        keys = [(complaint_pk(number), "META") for number in wanted]
        found = {item.number: item.to_complaint() for item in ComplaintItem.batch_get(keys)}
        return [found[number] for number in wanted if number in found]

    def received_between(self, start: datetime, end: datetime, *, page_size: int):
        """A Query per month of receipt (by_month), read lazily: the caller stops early."""
        months = listing.month_keys(start, end, self.timezone.key)
        return listing.received_between(months, start, end, page_size=page_size)

    def outbox_owed(self, now: datetime) -> list[OutboxEntry]:
        """Entries owed a retry, each claimed for this run by a conditional write, so
        two overlapping runs never both send one."""
        rows = OutboxItem.pending.query("PENDING", OutboxItem.outbox_sk <= f"{_iso(now)}~")
        keys = [(row.pk, row.sk) for row in rows]
        entries = [outbox_entry_from_item(item) for item in OutboxItem.batch_get(keys)]
        return [entry for entry in entries if self._claim(entry, now)]

    def _claim(self, entry: OutboxEntry, now: datetime) -> bool:
        item = _outbox_item(entry)
        lease = now + CLAIM_LEASE
        claimed_sk = f"{_iso(lease)}#{entry.number}#{entry.id}"
        try:
            item.update(
                actions=[OutboxItem.outbox_sk.set(claimed_sk)],
                condition=OutboxItem.outbox_sk == item.outbox_sk,
            )
        except UpdateError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False  # another run has it
            raise
        entry.next_attempt_at = lease
        return True

    def outbox_exists(self, number: str, entry_id: str) -> bool:
        try:
            OutboxItem.get(complaint_pk(number), f"OUT#{entry_id}", consistent_read=True)
        except DoesNotExist:
            return False
        return True

    def queue_once(self, entry: OutboxEntry) -> bool:
        """Write an outbox entry unless one with its key exists (the monthly report)."""
        try:
            _outbox_item(entry).save(condition=OutboxItem.pk.does_not_exist())
        except PutError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def outbox_failed(self, limit: int = 100) -> list[OutboxEntry]:
        rows = OutboxItem.pending.query("FAILED", scan_index_forward=False, limit=limit)
        keys = [(row.pk, row.sk) for row in rows]
        return [outbox_entry_from_item(item) for item in OutboxItem.batch_get(keys)]

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

    def record_deliveries(self, entries: list[OutboxEntry]) -> None:
        """Outcomes are plain overwrites of entries this process owns: one batch call, or,
        in an idempotent command, with its completion record (adapters/idempotency.py)."""
        if not entries:
            return
        from .idempotency import hold_for_completion

        items = [_outbox_item(entry) for entry in entries]
        puts = [
            {"Put": {"TableName": OutboxItem.Meta.table_name, "Item": item.serialize()}}
            for item in items
        ]
        if not hold_for_completion(puts, lambda: self._write_deliveries(entries)):
            self._write_deliveries(entries)

    def _write_deliveries(self, entries: list[OutboxEntry]) -> None:
        with OutboxItem.batch_write() as batch:
            for entry in entries:
                batch.save(_outbox_item(entry))

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

    def repeats(self, issue: str) -> RepeatState:
        try:
            item = RepeatItem.get(f"REPEAT#{issue}", "REPEAT", consistent_read=True)
        except DoesNotExist:
            return RepeatState(issue)
        return RepeatState(issue, json.loads(item.seen), int(item.version))

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
        increments, bookings = account_commit(complaints, self.calendar)
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
    from ..domain.queues import booking_changes, queue_booking

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


class NumberTaken(Conflict):
    """A complaint with the new number exists already (the counter was reset or restored)."""


class LimitRefused(Conflict):
    """DynamoDB refused a limit claim (marked refused): the intake is built again."""


class Transient(Exception):
    """DynamoDB cancelled the transaction for a reason that passes: the same one may succeed."""


# Cancellation reasons (and error codes) that say nothing about the items, only about the
# moment: another transaction on one of them, throttling, a server error.
TRANSIENT_REASONS = frozenset(
    {
        "TransactionConflict",
        "ThrottlingError",
        "ProvisionedThroughputExceeded",
        "RequestLimitExceeded",
        "InternalServerError",
    }
)
TRANSIENT_ERRORS = frozenset(
    {
        "TransactionConflictException",
        "TransactionInProgressException",
        "ThrottlingException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "InternalServerError",
    }
)


def _raise_conflict(error: TransactWriteError, roles: list[str]):
    """A known record's version check failing means a stale read; another failed condition
    (the repeat item moved, the number exists) means the intake must be built again; a
    transient reason means the same transaction may be sent again."""
    reasons = list(getattr(error, "cancellation_reasons", None) or [])
    codes = [(role, reason.code) for role, reason in zip(roles, reasons, strict=False) if reason]
    failed = [role for role, code in codes if code == "ConditionalCheckFailed"]
    named = {role for role in failed if isinstance(role, str)}
    if "known" in named:
        raise StaleVersion("the complaint was changed by someone else; reload and retry") from error
    if "new" in named:
        raise NumberTaken("a complaint with this number exists already") from error
    if named:
        raise Conflict("a concurrent intake changed what this one read; retry") from error
    refused = [role for role in failed if isinstance(role, LimitClaim)]
    if refused:  # limit claims (adapters/limits.py)
        for claim in refused:
            claim.refused = True
        raise LimitRefused("a limit refused the intake as built") from error
    transient = {code for _, code in codes} & TRANSIENT_REASONS
    if transient or error.cause_response_code in TRANSIENT_ERRORS:
        raise Transient(", ".join(sorted(transient)) or error.cause_response_code) from error
    raise error


def _event_item(complaint: Complaint, index: int, event: DomainEvent) -> EventItem:
    # The version read makes the key unique even when two commands share a timestamp.
    return EventItem(
        complaint_pk(complaint.number),
        f"EV#{_iso(event.at)}#{complaint.version:06d}#{index:03d}",
        type=event.type,
        at=_iso(event.at),
        actor=event.actor,
        actor_role=event.actor_role,
        public=event.public,
        changes=json.dumps(event.changes, ensure_ascii=False, default=str),
        details=json.dumps(event.details, ensure_ascii=False, default=str),
    )


def _to_event(item: EventItem) -> DomainEvent:
    return DomainEvent(
        type=item.type,
        at=_parse(item.at),
        actor=item.actor,
        actor_role=item.actor_role,
        changes=json.loads(item.changes),
        details=json.loads(item.details),
    )


def _outbox_item(entry: OutboxEntry) -> OutboxItem:
    message = entry.message
    item = OutboxItem(
        complaint_pk(entry.number),
        f"OUT#{entry.id}",
        channel=message.channel,
        audience=message.audience,
        recipient=message.recipient,
        subject=message.subject,
        body=message.body,
        attributes=json.dumps(message.attributes),
        status=entry.status,
        attempts=entry.attempts,
        last_error=entry.last_error,
        created_at=_iso(entry.created_at),
        sent_at=_iso(entry.sent_at),
    )
    if entry.status == "pending":
        # A new entry is being delivered by the command that made it: the retry job
        # leaves it alone for a grace period, so the two never send it together.
        retry_at = entry.next_attempt_at or entry.created_at + DELIVERY_GRACE
        item.outbox_pk = "PENDING"
        item.outbox_sk = f"{_iso(retry_at)}#{entry.number}#{entry.id}"
    elif entry.status == "failed":
        # Given up after the last retry: kept in a list for admins to look at.
        item.outbox_pk = "FAILED"
        item.outbox_sk = f"{_iso(entry.created_at)}#{entry.number}#{entry.id}"
    return item


def outbox_entry_from_item(item: OutboxItem) -> OutboxEntry:
    message = Message(
        channel=item.channel,
        audience=item.audience,
        recipient=item.recipient,
        subject=item.subject,
        body=item.body,
        attributes=json.loads(item.attributes),
    )
    retry_at = item.outbox_sk.split("#", 1)[0] if item.outbox_pk == "PENDING" else None
    return OutboxEntry(
        number=item.pk.removeprefix("C#"),
        id=item.sk.removeprefix("OUT#"),
        message=message,
        created_at=_parse(item.created_at),
        status=item.status,
        attempts=int(item.attempts),
        last_error=item.last_error,
        sent_at=_parse(item.sent_at),
        next_attempt_at=_parse(retry_at),
    )
