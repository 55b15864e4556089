"""Reads of a month's report at 10,000 and 100,000 complaints in the month, and the extra
writes the statistics add to each intake and action.

Usage: .venv/bin/python -m bench.report_reads [--sizes 10000,100000]

Part 1, writes: in moto in-process, one complaint is taken through intake and its staff
actions by the real use cases; every TransactWriteItems is counted by kind of item
(bench/counting.py), the statistics cells (pk STATS#<month> or LIVE) apart.

Part 2, reads: for each size, a fresh moto table holds N complaint records received in
November 2026 (copies of a real one, written with BatchWriteItem, as bench/job_scan.py
does) and the statistics those N complaints produce: each synthetic case goes through a
random lifecycle (accepted, refused, withdrawn, transferred, resolved, answered; random
department, kind, category, channel, grade, handler and times) accounted by the service's
own `domain.stats.account`, commit by commit; the sums are written once. Then the month's
report (by department, by category) and the 12-month trend are read through the service
and every AWS call is counted, beside what reading the month's complaints would cost (the
by_month Query). Counts, never timings.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bench.common import in_process_aws, table
from bench.counting import items_read, recording
from chalicelib.domain.complaint_input import DEFAULT_CATEGORIES
from chalicelib.domain.vocabulary import Channel

TZ = ZoneInfo("Asia/Shanghai")
MONTH = "2026-11"
START = datetime(2026, 11, 1, tzinfo=TZ)
DEPARTMENTS = ("service", "sales", "quality")
CATEGORIES = DEFAULT_CATEGORIES
CHANNELS = tuple(channel.value for channel in Channel)
KINDS = ("complaint", "complaint", "complaint", "request", "suggestion", "inquiry")
KINDS += ("misconduct_report",)
GRADES = ("A", "B", "C", "C", "C", "D")
HANDLERS = tuple(f"han-{n}" for n in range(1, 21))


# -- part 1: writes per command ----------------------------------------------------------


def write_costs(services) -> list[list]:
    from chalicelib.adapters.clock import FixedClock
    from chalicelib.domain.actor import Actor
    from chalicelib.domain.complaint_input import ComplaintInput
    from chalicelib.service import intake, staff

    sup = Actor(user_id="sup-1", roles=["supervisor"], departments=["*"])
    sup2 = Actor(user_id="sup-2", roles=["supervisor"], departments=["*"])
    handler = Actor(user_id="han-1", roles=["handler"], departments=["service"])
    services.clock = FixedClock(datetime(2026, 11, 2, 10, 0, tzinfo=TZ))
    data = ComplaintInput.model_validate(
        {
            "category": "billing",
            "subject": "Charged twice",
            "description": "Two debits on 1 November.",
            "complainant": {"name": "Li Lei", "email": "li@example.com"},
            "department": "service",
            "language": "en",
        }
    )
    rows = []

    def measure(title, run, advance_hours=2):
        services.clock.at += timedelta(hours=advance_hours)
        with recording() as recorder:
            result = run()
        transactions = [c for c in recorder.calls if c.operation == "TransactWriteItems"]
        items = sum(c.written for c in transactions)
        stats = sum(c.kinds["statistics"] for c in transactions)
        rows.append([title, len(transactions), items, items - stats, stats, 2 * stats])
        return result

    receipt = measure("intake (web)", lambda: intake.submit_complaint(data, services))
    number = receipt.number

    def act(action, body, actor=sup):
        from chalicelib.domain.lifecycle import Action

        def run():
            version = services.complaints.load(number).version
            return staff.act(number, Action(action), body, actor, version, services)

        return run

    measure("accept", act("accept", {}))
    measure("assign", act("assign", {"handler": "han-1"}))
    measure("start", act("start", {}, handler))
    measure("note", act("add_note", {"text": "called"}))
    due = services.complaints.load(number).deadlines["resolution"].due
    new_due = (due + timedelta(days=1)).isoformat()
    measure(
        "extension request",
        act("request_extension", {"reason": "parts", "new_due": new_due}, handler),
    )
    measure("extension decision", act("decide_extension", {"approve": True}, sup2))
    finding = {"substantiated": "yes", "valid": True, "action": "training"}
    finding["responsible"] = {"department": "sales"}
    resolution = {
        "root_cause": "bug",
        "solution": "refund",
        "result": "refunded",
        "finding": finding,
    }
    measure("resolve", act("resolve", resolution, handler))
    answer = {"score": 5, "solved": True}
    measure(
        "survey answer (closes)",
        lambda: intake.answer_survey(number, receipt.tracking_token, answer, services),
        advance_hours=100,
    )
    return rows


# -- part 2: reads per report ------------------------------------------------------------


def seed(services, size: int, rng: random.Random) -> dict:
    """N complaint records received in the month, and the statistics they produce."""
    from chalicelib.adapters.dynamo import ComplaintItem
    from chalicelib.domain.stats_cells import Increments

    template = _template(services)
    with ComplaintItem.batch_write() as batch:
        for seq in range(1, size + 1):
            batch.save(services.complaints._to_item(_renumber(template, rng, seq)))
    total = Increments()
    for index in range(size):
        _account_case(total, rng, index, services.calendar)
    cells = total.items()
    _write_cells(cells)
    return cells


def _template(services):
    from chalicelib.adapters.clock import FixedClock
    from chalicelib.domain.complaint_input import ComplaintInput
    from chalicelib.service.intake import submit_complaint

    services.clock = FixedClock(START + timedelta(days=1, hours=10))
    data = ComplaintInput.model_validate(
        {
            "category": "service_attitude",
            "subject": "Rude staff at the counter",
            "description": "On Monday the clerk refused to take my form.",
            "complainant": {"name": "张三", "mobile": "13800138000", "email": "z@example.com"},
        }
    )
    return services.complaints.load(submit_complaint(data, services).number)


def _renumber(template, rng, seq: int):
    from chalicelib.domain.numbering import complaint_number

    received = START + timedelta(minutes=rng.randrange(30 * 24 * 60))
    return template.model_copy(
        update={"number": complaint_number(received.date(), seq), "received_at": received}
    )


def _account_case(total, rng, index: int, calendar) -> None:
    """One synthetic case's lifecycle, accounted commit by commit like the service does."""
    from chalicelib.domain.stats import account
    from chalicelib.domain.stats_cells import CaseView, Happened

    received = START + timedelta(minutes=rng.randrange(30 * 24 * 60))
    due = {
        "acceptance": calendar.working_days_deadline(received, 3),
        "first_contact": calendar.hours_deadline(received, 24),
        "resolution": calendar.working_days_deadline(received, 15),
    }
    deadlines = {
        name: {"start": received.isoformat(), "due": when.isoformat(), "met_at": None}
        for name, when in due.items()
    }
    state = {
        "number": f"S{index}",
        "received_at": received.isoformat(),
        "status": "received",
        "department": rng.choice(DEPARTMENTS),
        "grade": rng.choice(GRADES),
        "assignee": None,
        "channel": rng.choice(CHANNELS),
        "related_to": "S0" if rng.random() < 0.05 else None,
        "deadlines": deadlines,
    }
    data = {"kind": rng.choice(KINDS), "category": rng.choice(CATEGORIES)}
    booking = None

    def commit(at, event, changes=None, details=None, **update):
        nonlocal booking, state
        before = {key: state[key] for key in update}
        state = {**state, **update}
        changes = {**{k: [before[k], state[k]] for k in update}, **(changes or {})}
        happened = [Happened(event, at, changes, details or {})]
        inc, booking = account(booking, CaseView.of(state, data), happened, calendar)
        total.merge(inc)

    def meet(name, at):
        met = {**state["deadlines"], name: {**state["deadlines"][name], "met_at": at.isoformat()}}
        return met

    commit(received, "received", {"status": [None, "received"]})
    at = received + timedelta(hours=rng.choice([1, 5, 20, 50, 90]))
    roll = rng.random()
    if roll < 0.05:
        commit(at, "withdrawn", status="withdrawn", deadlines=_all_met(state, at))
        return
    if roll < 0.15:
        commit(at, "not_accepted", status="not_accepted", deadlines=_all_met(state, at))
        return
    commit(at, "accepted", status="accepted", deadlines=meet("acceptance", at))
    commit(at, "assigned", status="assigned", assignee=rng.choice(HANDLERS))
    if rng.random() < 0.25:
        return  # still being handled
    at += timedelta(hours=rng.choice([4, 30, 100, 200, 400]))
    met = _met(state["deadlines"], ("first_contact", "resolution"), at)
    commit(at, "resolved", status="resolved", deadlines=met)
    if rng.random() < 0.6:
        at += timedelta(days=7)
        score = rng.choice([1, 2, 3, 4, 5, 5])
        commit(at, "survey_answered", details={"score": score, "solved": score > 2})
        commit(at, "closed", status="closed")


def _met(deadlines, names, at):
    return {
        name: ({**d, "met_at": at.isoformat()} if name in names and not d["met_at"] else d)
        for name, d in deadlines.items()
    }


def _all_met(state, at):
    return _met(state["deadlines"], tuple(state["deadlines"]), at)


def _write_cells(cells) -> None:
    import boto3

    from chalicelib.adapters.stats_store import item_key

    client = boto3.client("dynamodb")
    requests = []
    for (partition, cell), counters in cells.items():
        pk, sk = item_key(partition, cell)
        item = {"pk": {"S": pk}, "sk": {"S": sk}}
        item |= {name: {"N": str(value)} for name, value in counters.items()}
        requests.append({"PutRequest": {"Item": item}})
    table_name = os.environ["TABLE_NAME"]
    for start in range(0, len(requests), 25):
        chunk = {table_name: requests[start : start + 25]}
        while chunk:
            chunk = client.batch_write_item(RequestItems=chunk).get("UnprocessedItems")


def reads(services) -> list[list]:
    from chalicelib.domain.actor import Actor
    from chalicelib.service.reports import ReportQuery, TrendQuery, month_report, trend

    manager = Actor(user_id="mgr-1", roles=["manager"], departments=["*"])
    services.clock.at = datetime(2026, 12, 10, 10, 0, tzinfo=TZ)
    rows = []
    for title, run in (
        (
            "month by department",
            lambda: month_report(MONTH, ReportQuery(), manager, services, "en"),
        ),
        (
            "month by category",
            lambda: month_report(MONTH, ReportQuery(by="category"), manager, services, "en"),
        ),
        ("12-month trend", lambda: trend(TrendQuery(to=MONTH), manager, services, "en")),
    ):
        with recording() as recorder:
            report = run()
        calls = recorder.of("dynamodb")
        rows.append([title, len(calls), items_read(calls), _received(report)])
    return rows


def _received(report) -> int:
    if "total" in report:
        return report["total"]["values"]["received"]
    return report["months"][-1]["values"]["received"]


def complaint_baseline(table_name: str) -> tuple[int, int]:
    """What reading the month's complaints would cost: the by_month Query (COUNT only)."""
    import boto3

    client = boto3.client("dynamodb")
    request = {
        "TableName": table_name,
        "IndexName": "by_month",
        "KeyConditionExpression": "month_key = :m",
        "ExpressionAttributeValues": {":m": {"S": MONTH}},
        "Select": "COUNT",
    }
    pages = scanned = 0
    with recording() as recorder:
        while True:
            page = client.query(**request)
            pages += 1
            if "LastEvaluatedKey" not in page:
                break
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    scanned = items_read(recorder.calls)
    return pages, scanned


def one_size(size: int) -> tuple[list, tuple[int, int], int]:
    from moto import mock_aws

    with mock_aws(), contextlib.redirect_stdout(io.StringIO()):
        from chalicelib import wiring
        from scripts.bootstrap import bootstrap

        names = bootstrap()
        wiring.set_services(None)
        services = wiring.get_services()
        cells = seed(services, size, random.Random(size))
        rows = reads(services)
        baseline = complaint_baseline(names["table"])
    return rows, baseline, len(cells)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.report_reads")
    parser.add_argument("--sizes", default="10000,100000", help="complaints in the month")
    args = parser.parse_args(argv)
    sizes = [int(part) for part in args.sizes.split(",")]
    in_process_aws()

    from moto import mock_aws

    with mock_aws(), contextlib.redirect_stdout(io.StringIO()):
        from chalicelib import wiring
        from scripts.bootstrap import bootstrap

        bootstrap()
        writes = write_costs(wiring.get_services())
    print("Writes per command: TransactWriteItems items, statistics cells among them")
    headers = ["command", "transactions", "items", "without stats", "stats cells", "extra WCU"]
    print(table(headers, writes))
    print("(a transaction item of up to 1 KB costs 2 write units; each stats cell is an ADD)")
    print()
    for size in sizes:
        rows, (pages, scanned), cells = one_size(size)
        print(f"{size:,} complaints received in {MONTH}; {cells:,} statistics items in all")
        print(table(["read", "DynamoDB calls", "items read", "received shown"], rows))
        print(f"reading the month's complaints instead: {pages} Query pages, {scanned:,} items")
        print()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
