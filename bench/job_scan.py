"""Items read and AWS calls of one scheduled-job run over a big table, beside a full scan.

Usage: .venv/bin/python -m bench.job_scan [--total 100000] [--due 100]

Starts moto in-process, stores `total` complaint records of which `due` have their next
check in the past, then counts (bench/counting.py) what one run_jobs() call does, and what
a naive job that scans the whole table for due complaints would read, in the same
process over the same data. The target (issue 4) is at most 2 items read per due
complaint. Counts, never timings: moto's speed says nothing about DynamoDB's.

Three real complaints go through the intake use case as templates; the rest are copies
with their own numbers and keys, written with BatchWriteItem. Of the copies that are not
due, 60% are closed (no due keys) and 40% open with their next check still ahead.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bench.common import ENV, in_process_aws, table
from bench.counting import items_read, recording
from bench.intake_calls import calls_table

TZ = ZoneInfo("Asia/Shanghai")
# A worked Saturday, in business hours: complaints received on Friday at 10:00 are owed
# their first-contact reminder (75% of 24 hours, at 04:00) and nothing else.
NOW = datetime(2026, 2, 14, 9, 30, tzinfo=TZ)
DUE_RECEIVED = datetime(2026, 2, 13, 10, 0, tzinfo=TZ)
OPEN_RECEIVED = datetime(2026, 2, 14, 9, 0, tzinfo=TZ)  # first check on Sunday 03:00
CLOSED_RECEIVED = datetime(2026, 2, 12, 10, 0, tzinfo=TZ)
CLOSED_SHARE = 0.6
CLOSED_PER_DAY = 300  # closed complaints are spread back over the previous months


@dataclass
class Stored:
    due: int
    open_later: int
    closed: int

    @property
    def total(self) -> int:
        return self.due + self.open_later + self.closed


def mix(total: int, due: int) -> Stored:
    # At least one of each kind, so that every template's own record is overwritten.
    if not 1 <= due <= total - 2:
        raise SystemExit("need 1 <= --due <= --total - 2")
    closed = min(max(round((total - due) * CLOSED_SHARE), 1), total - due - 1)
    return Stored(due=due, open_later=total - due - closed, closed=closed)


# -- seeding -------------------------------------------------------------------------------


def seed(services, total: int, due: int) -> Stored:
    """Store `total` complaint records, `due` of them due at NOW."""
    from chalicelib.adapters.dynamo import ComplaintItem

    stored = mix(total, due)
    templates = [_template(services, at) for at in (DUE_RECEIVED, OPEN_RECEIVED, CLOSED_RECEIVED)]
    if not templates[0].next_due_at <= NOW < templates[1].next_due_at:
        raise RuntimeError("the templates' next checks do not fall either side of NOW")
    with ComplaintItem.batch_write() as batch:
        for item in _items(services.complaints, templates, stored):
            batch.save(item)
    services.clock = _clock(NOW)
    return stored


def _items(repo, templates: list, stored: Stored):
    from chalicelib.domain.vocabulary import Status

    due, later, old = templates
    # Sequence 1 is each template's own number: its record is overwritten by the copy.
    # _to_item is the repository's own mapping, so the keys are exactly what it writes.
    for seq in range(1, stored.due + 1):
        yield repo._to_item(_renumber(due, DUE_RECEIVED, seq))
    for seq in range(1, stored.open_later + 1):
        yield repo._to_item(_renumber(later, OPEN_RECEIVED, seq))
    for index in range(stored.closed):
        back = timedelta(days=index // CLOSED_PER_DAY)
        received = CLOSED_RECEIVED - back
        copy = _renumber(old, received, index % CLOSED_PER_DAY + 1)
        copy.status, copy.closed_at, copy.next_due_at = Status.closed, received, None
        yield repo._to_item(copy)


def _template(services, received: datetime):
    from chalicelib.domain.complaint_input import ComplaintInput
    from chalicelib.service.intake import submit_complaint

    services.clock = _clock(received)
    data = ComplaintInput.model_validate(
        {
            "kind": "complaint",
            "category": "service_attitude",
            "subject": "Rude staff at the counter",
            "description": "On Monday the clerk refused to take my form.",
            "complainant": {"name": "张三", "mobile": "13800138000", "email": "z@example.com"},
            "language": "zh-CN",
        }
    )
    number = submit_complaint(data, services).number
    return services.complaints.load(number)


def _renumber(template, received: datetime, seq: int):
    from chalicelib.domain.numbering import complaint_number

    shift = received - template.received_at
    return template.model_copy(
        update={
            "number": complaint_number(received.date(), seq),
            "received_at": received,
            "registered_at": template.registered_at + shift,
        }
    )


def _clock(at: datetime):
    from chalicelib.adapters.clock import FixedClock

    return FixedClock(at)


# -- the two measurements ------------------------------------------------------------------


def job_run(services, now: datetime = NOW):
    """One run of the scheduled job: (its report, the AWS calls it made)."""
    from chalicelib.service.jobs import run_jobs

    services.clock = _clock(now)
    with recording() as recorder:
        report = run_jobs(services, now)
    return report, recorder.calls


def scan_baseline(table_name: str, now: datetime = NOW):
    """What a job without the due index reads: every item, filtered after reading.

    Returns (complaints matched, the AWS calls). The filter picks what due_numbers picks.
    """
    import boto3

    client = boto3.client("dynamodb")
    request = {
        "TableName": table_name,
        "FilterExpression": "due_pk = :due AND due_sk <= :now",
        "ExpressionAttributeValues": {
            ":due": {"S": "DUE"},
            ":now": {"S": f"{now.astimezone(UTC).isoformat()}~"},
        },
    }
    matched = 0
    with recording() as recorder:
        while True:
            page = client.scan(**request)
            matched += page["Count"]
            if "LastEvaluatedKey" not in page:
                break
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return matched, recorder.calls


# -- moto speed-ups: moto's cost, not the service's; counts are taken before moto ----------


@contextlib.contextmanager
def key_map_backups():
    """Make moto's TransactWriteItems cost what the transaction writes, not the table size.

    Before every TransactWriteItems moto deep-copies the whole table, once per item of the
    transaction, to roll back on failure: about 0.2 ms per stored item per copy, hours for
    this job over 100,000 items. For transactions of Puts and ConditionChecks (all the job
    sends) an exact backup is a copy of the table's key map plus copies of the partitions
    the Puts write to: a Put replaces the stored item object and never changes it. Other
    transactions keep moto's deep copy.
    """
    import copy

    from moto.dynamodb import models
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    written: dict[str, set] = {}  # table name -> hash keys the transaction puts to
    made: list = []  # the backups of the transaction being run

    class KeyMapCopy:  # stands in for the `copy` module inside moto.dynamodb.models
        @staticmethod
        def deepcopy(value, memo=None):
            if not isinstance(value, Table):
                return copy.deepcopy(value, memo)
            backup = copy.copy(value)
            backup.items = value.items.copy()  # keeps the keys' hashes: no rehashing
            if value.range_key_attr is not None:
                for key in written.get(value.name, ()) & value.items.keys():
                    backup.items[key] = dict(value.items[key])
            made.append(backup)
            return backup

    original = models.DynamoDBBackend.transact_write_items

    def transact_write_items(self, transact_items):
        if any(set(item) - {"Put", "ConditionCheck"} for item in transact_items):
            return original(self, transact_items)
        written.clear()
        made.clear()
        for put in (item["Put"] for item in transact_items if "Put" in item):
            table = self.get_table(put["TableName"])
            key = DynamoType(put["Item"][table.hash_key_attr])
            written.setdefault(table.name, set()).add(key)
        models.copy = KeyMapCopy
        try:
            original(self, transact_items)
        finally:
            models.copy = copy
        # Committed, so the backups are garbage; but moto's registry of model instances
        # (for reset) would keep every one alive: 1.5 GB over this job's 300.
        dropped = {id(backup) for backup in made}
        Table.instances_tracked[:] = [t for t in Table.instances_tracked if id(t) not in dropped]

    models.DynamoDBBackend.transact_write_items = transact_write_items
    try:
        yield
    finally:
        models.DynamoDBBackend.transact_write_items = original


@contextlib.contextmanager
def resumable_scans():
    """Make each moto Scan page cost the page, not the table.

    moto answers every page by sorting the whole table and walking it from the first item
    to the page's ExclusiveStartKey: quadratic, most of an hour for 100,000 items. Nothing
    writes during the baseline, so sort once and hand moto the items from the start key
    on; moto's own loop then pages, counts and filters exactly as before.
    """
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    all_items, scan = Table.all_items, Table.scan
    cache: dict[int, tuple[list, dict]] = {}  # table -> its sorted items, their positions
    starts: dict[int, dict | None] = {}  # table -> ExclusiveStartKey of the page asked for

    def start_key(table, start: dict) -> tuple:
        range_attr = table.range_key_attr
        return DynamoType(start[table.hash_key_attr]), range_attr and DynamoType(start[range_attr])

    def items_from_start(self):
        if id(self) not in starts:
            return all_items(self)
        if id(self) not in cache:
            items = all_items(self)
            cache[id(self)] = items, {(i.hash_key, i.range_key): n for n, i in enumerate(items)}
        items, where = cache[id(self)]
        start = starts[id(self)]
        found = where.get(start_key(self, start)) if start else None
        return items[found or 0 :]

    def scan_from_start(self, filters, limit, exclusive_start_key, *args, **kwargs):
        starts[id(self)] = exclusive_start_key
        try:
            return scan(self, filters, limit, exclusive_start_key, *args, **kwargs)
        finally:
            del starts[id(self)]

    Table.all_items, Table.scan = items_from_start, scan_from_start
    try:
        yield
    finally:
        Table.all_items, Table.scan = all_items, scan


# -- output --------------------------------------------------------------------------------


def per_due(read: int, due: int) -> str:
    return f"{read / due:.2f}" if due else "-"


FINDING = ("complaints/by_due", "complaints/complaint")


def beyond_the_due(calls) -> list[str]:
    """The job's reads other than finding and loading the due complaints."""
    extra = [c for c in calls if c.read and c.table not in FINDING]
    if not extra:
        return []
    listed = "; ".join(f"{c.operation} {c.table}: {c.read}" for c in extra)
    return [f"read beyond finding and loading the due complaints: {listed}"]


def summary(stored: Stored, rows_in_table: int, report, job_calls, matched, scan_calls) -> str:
    job_read, scan_read = items_read(job_calls), items_read(scan_calls)
    lines = [
        f"job_scan: one run of run_jobs at {NOW.isoformat()} over moto (in-process)",
        "",
        table(
            ["stored", "items"],
            [
                ["complaints", stored.total],
                ["  due now (open, next check passed)", stored.due],
                ["  open, next check still ahead", stored.open_later],
                ["  closed (no due keys)", stored.closed],
                ["rows in the table (+ templates' events, outbox, counters)", rows_in_table],
            ],
        ),
        "",
        f"job report: due {report.due}, changed {report.changed},"
        f" staff notices {report.notices}, delivered {report.delivered},"
        f" failed {report.failed}, outbox retried {report.outbox_retried}",
        f"scan baseline: {matched} complaints matched its filter",
        "",
        table(
            ["", "job", "full scan"],
            [
                ["DynamoDB items read", job_read, scan_read],
                [
                    "items read per due complaint",
                    per_due(job_read, stored.due),
                    per_due(scan_read, stored.due),
                ],
                [
                    "DynamoDB items written",
                    sum(c.written for c in job_calls),
                    sum(c.written for c in scan_calls),
                ],
                ["AWS calls", len(job_calls), len(scan_calls)],
            ],
        ),
        "",
        f"target: at most 2 items read per due complaint:"
        f" {'met' if job_read <= 2 * stored.due else 'NOT MET'}"
        f" ({per_due(job_read, stored.due)})",
        *beyond_the_due(job_calls),
        f"scan baseline reads {scan_read / max(job_read, 1):.0f}x the items the job reads",
        "",
        "AWS calls of the job run",
        calls_table(job_calls),
        "",
        "AWS calls of the scan baseline",
        calls_table(scan_calls),
        "",
        "Items read: ScannedCount of Query and Scan (a KEYS_ONLY index entry counts as one),",
        "items returned by BatchGetItem. Items written: TransactWriteItems and BatchWriteItem",
        "items. The table holds no audit events or outbox rows of the copies, so on a real",
        "table the scan would read several times more rows; the job would read the same.",
    ]
    return "\n".join(lines)


def rows_in(table_name: str) -> int:
    """Counted through moto's backend, so that the count costs no AWS call."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][ENV["AWS_DEFAULT_REGION"]]
    return len(backend.get_table(table_name).all_items())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.job_scan")
    parser.add_argument("--total", type=int, default=100_000, help="complaints stored")
    parser.add_argument("--due", type=int, default=100, help="of which due now")
    args = parser.parse_args(argv)
    mix(args.total, args.due)  # reject a bad mix before starting anything

    in_process_aws()

    from moto import mock_aws

    # The service's logs and EMF metrics go to stdout; keep them out of the report.
    with mock_aws(), contextlib.redirect_stdout(io.StringIO()):
        from chalicelib.wiring import get_services
        from scripts.bootstrap import bootstrap

        names = bootstrap()
        services = get_services()
        stored = seed(services, args.total, args.due)
        rows = rows_in(names["table"])
        # The scan goes first, while the due complaints are still due.
        with resumable_scans():
            matched, scan_calls = scan_baseline(names["table"])
        with key_map_backups():
            report, job_calls = job_run(services)
    print(summary(stored, rows, report, job_calls, matched, scan_calls))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
