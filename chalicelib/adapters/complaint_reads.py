"""The complaint repository's reads: records, audit trails, listings, queues and figures
(adapters/repository.py composes them with the writes).
"""

from __future__ import annotations

import json
from datetime import date, datetime

from pynamodb.exceptions import DoesNotExist

from ..domain.events import DomainEvent
from ..domain.model import Complaint
from ..service.ports import RepeatState
from . import listing
from .callbacks import callbacks_due
from .complaint_items import _iso, _to_event, complaint_pk, outbox_entry_from_item
from .dynamo import ComplaintItem, EventItem, RepeatItem


class ComplaintReads:
    """Reads of the complaint repository: each one Query, GetItem or BatchGetItem."""

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

    def search(self, criteria, departments: list[str] | None, window: tuple[date, date]):
        from .queries import search

        return search(criteria, departments, self.timezone.key, window)

    def find(self, partitions: list[str], limit: int, cursor: str | None):
        """Complaints found under lookup partitions, newest first (adapters/lookup.py)."""
        from .lookup import find

        return find(partitions, limit, cursor)

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

    def queue(self, plan, limit: int, cursor: str | None):
        """One page of a console queue, nearest deadline first (adapters/queues.py)."""
        from .queues import partitions_for, read_queue

        if not plan.statuses:
            return [], None
        return read_queue(*partitions_for(plan), limit, cursor)

    def queue_counts(self, plans) -> list[int]:
        """Each plan's count from the queue counters: one Query per kind of cell read
        (departments, the caller's own), whatever the number of departments."""
        from ..domain.queue_cells import ASSIGNEE_CELL, DEPARTMENT_CELL, REPLIED_PREFIX
        from ..domain.queues import count_from
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

    def repeats(self, issue: str) -> RepeatState:
        try:
            item = RepeatItem.get(f"REPEAT#{issue}", "REPEAT", consistent_read=True)
        except DoesNotExist:
            return RepeatState(issue)
        return RepeatState(issue, json.loads(item.seen), int(item.version))
