"""The outbox's own reads and writes: retries owed, claims, outcomes, failed entries."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pynamodb.exceptions import DoesNotExist

from ..domain.notifications import OutboxEntry
from .callbacks import claim_digest, digest_sent
from .complaint_items import _iso, _outbox_item, complaint_pk, outbox_entry_from_item
from .dynamo import OutboxItem, conditional_write

CLAIM_LEASE = timedelta(minutes=10)  # a run that dies mid-send leaves it for a later one


class OutboxStore:
    """The outbox of the complaint repository: owed retries claimed, outcomes written."""

    def callback_digest_sent(self, day: date) -> bool:
        return digest_sent(day)

    def claim_callback_digest(self, day: date, entries: list[OutboxEntry]) -> bool:
        return claim_digest(day, entries, _outbox_item)

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
        claimed = conditional_write(
            item.update,
            actions=[OutboxItem.outbox_sk.set(claimed_sk)],
            condition=OutboxItem.outbox_sk == item.outbox_sk,
        )
        if not claimed:
            return False  # another run has it
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
        item = _outbox_item(entry)
        return conditional_write(item.save, condition=OutboxItem.pk.does_not_exist())

    def outbox_failed(self, limit: int = 100) -> list[OutboxEntry]:
        rows = OutboxItem.pending.query("FAILED", scan_index_forward=False, limit=limit)
        keys = [(row.pk, row.sk) for row in rows]
        return [outbox_entry_from_item(item) for item in OutboxItem.batch_get(keys)]

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
