"""AWS calls and DynamoDB items of one intake, against the floor the design allows, and
the calls per intake when many arrive at once.

Usage: .venv/bin/python -m bench.intake_calls [--parallel 50]

Runs POST /complaints through the Chalice test client over moto's in-process mock and
counts every AWS API call with a botocore hook registered for all sessions (boto3's,
pynamodb's and Powertools'). Counts, never timings: moto's speed says nothing about AWS.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass, field

from bench.common import ENV, in_process_aws, local_aws, table

BODY = {
    "category": "billing",
    "subject": "Charged twice for one order",
    "description": "Two debits on 1 November for order 4411.",
    "complainant": {"name": "Li Lei", "email": "li@example.com"},
    "language": "en",
}

WRITES = {"PutItem", "UpdateItem", "DeleteItem"}

# Issue 19: AWS calls per intake, at most (the floor is 4, and 5 with a key).
TARGETS = {False: 5, True: 6}


def body_from(address: str, **extra) -> dict:
    """Each complainant their own address, as in real traffic: no process cache of an
    address's suppression lookup can hide a call."""
    return {**BODY, "complainant": {"name": "Li Lei", "email": address}, **extra}


@dataclass
class Call:
    service: str
    operation: str
    table: str = ""
    written: int = 0
    read: int = 0
    kinds: Counter = field(default_factory=Counter)


@dataclass
class Recorder:
    """Filled by botocore events: one Call per API call (not per HTTP attempt)."""

    tables: dict[str, str]
    calls: list[Call] = field(default_factory=list)

    def before(self, params, model, context, **_):
        call = Call(model.service_model.service_name, model.name)
        if call.service == "dynamodb":
            call.table, call.written, call.read = self._items(model.name, params)
            if model.name == "TransactWriteItems":
                call.kinds = Counter(item_kind(item) for item in params["TransactItems"])
        self.calls.append(call)
        context["bench_call"] = call

    def after(self, parsed, model, context, **_):
        call = context.get("bench_call")
        if call and model.name in ("Query", "Scan"):
            call.read = parsed.get("Count", 0)

    def _role(self, table: str) -> str:
        return self.tables.get(table, table)

    def _items(self, operation: str, params: dict) -> tuple[str, int, int]:
        if operation == "TransactWriteItems":
            items = params["TransactItems"]
            tables = {next(iter(item.values()))["TableName"] for item in items}
            return ",".join(sorted(map(self._role, tables))), len(items), 0
        if operation == "BatchWriteItem":
            requests = params["RequestItems"]
            roles = ",".join(sorted(map(self._role, requests)))
            return roles, sum(len(v) for v in requests.values()), 0
        if operation == "BatchGetItem":
            requests = params["RequestItems"]
            roles = ",".join(sorted(map(self._role, requests)))
            return roles, 0, sum(len(v["Keys"]) for v in requests.values())
        if operation == "TransactGetItems":
            return "", 0, len(params["TransactItems"])
        table = self._role(params.get("TableName", ""))
        if operation in WRITES:
            return table, 1, 0
        if operation == "GetItem":
            return table, 0, 1
        return table, 0, 0  # Query/Scan: read from the response; others move no items


def item_kind(transact_item: dict) -> str:
    """What a transaction item is, from its single-table keys (see docs/architecture.md)."""
    action = next(iter(transact_item.values()))
    keys = action.get("Item") or action.get("Key") or {}
    pk, sk = keys.get("pk", {}).get("S", ""), keys.get("sk", {}).get("S", "")
    if pk.startswith("COUNTER#"):
        return "counter"
    if pk.startswith("LIMIT#"):
        return "limit counter"
    if pk.startswith("SUPPRESSED#"):
        return "suppression check"
    if "id" in keys:
        return "idempotency record"
    if pk.startswith("STATS#") or pk == "LIVE":
        return "statistics"
    if sk == "META":
        return "complaint"
    if sk.startswith("EV#"):
        return "audit event"
    if sk.startswith("OUT#"):
        return "outbox entry"
    return "other"


def install(recorder: Recorder) -> None:
    """Before any botocore session exists, so that every client gets the hooks."""
    from botocore.handlers import BUILTIN_HANDLERS

    BUILTIN_HANDLERS.append(("before-parameter-build", recorder.before))
    BUILTIN_HANDLERS.append(("after-call", recorder.after))


# -- the floor -----------------------------------------------------------------------------


def _count(calls, predicate) -> tuple[int, int]:
    chosen = [c for c in calls if predicate(c)]
    return len(chosen), sum(c.written for c in chosen)


def is_transaction(c: Call) -> bool:
    return c.operation == "TransactWriteItems" and c.table == "complaints"


def is_idempotency_write(c: Call) -> bool:
    # The completion record is written in one transaction with the delivery outcomes.
    tables = c.table.split(",")
    return "idempotency" in tables and (c.operation in WRITES or len(tables) > 1)


def is_ses(c: Call) -> bool:
    return c.service == "ses" and c.operation in ("SendEmail", "SendRawEmail")


def is_sns(c: Call) -> bool:
    return c.service == "sns" and c.operation == "Publish"


def is_number(c: Call) -> bool:
    return c.operation == "UpdateItem" and c.table == "complaints"


def in_floor(c: Call) -> bool:
    return is_transaction(c) or is_number(c) or is_idempotency_write(c) or is_ses(c) or is_sns(c)


def comparison(calls: list[Call], with_key: bool) -> list[tuple[str, int, int]]:
    """(what, floor, actual) rows: the number (one counter update), one transaction of 2
    items, one idempotency write, SES, SNS."""
    tx_calls, tx_items = _count(calls, is_transaction)
    idem_calls, _ = _count(calls, is_idempotency_write)
    floor_calls = 4 + with_key
    floor_items = 3 + with_key
    return [
        ("counter updates (the number)", 1, _count(calls, is_number)[0]),
        ("DynamoDB transactions", 1, tx_calls),
        ("  items in them (complaint+audit)", 2, tx_items),
        ("idempotency writes", int(with_key), idem_calls),
        ("SES SendEmail", 1, _count(calls, is_ses)[0]),
        ("SNS Publish", 1, _count(calls, is_sns)[0]),
        ("other AWS calls (not in the floor)", 0, len([c for c in calls if not in_floor(c)])),
        ("total AWS calls", floor_calls, len(calls)),
        ("total DynamoDB items written", floor_items, sum(c.written for c in calls)),
        ("total DynamoDB items read", 0, sum(c.read for c in calls)),
    ]


# -- output --------------------------------------------------------------------------------


def calls_table(calls: list[Call]) -> str:
    grouped: dict[tuple, list[int]] = {}
    for c in calls:
        key = (c.service, c.operation, c.table or "-")
        totals = grouped.setdefault(key, [0, 0, 0])
        totals[0] += 1
        totals[1] += c.written
        totals[2] += c.read
    rows = [[*key, *totals] for key, totals in grouped.items()]
    return table(["service", "operation", "table", "calls", "written", "read"], rows, 3)


def ratio(floor: int, actual: int) -> str:
    if floor == 0:
        return "-" if actual == 0 else "extra"
    return f"{actual / floor:.2f}x"


def comparison_table(rows) -> str:
    body = [
        [what, floor, actual, f"{actual - floor:+d}", ratio(floor, actual)]
        for what, floor, actual in rows
    ]
    return table(["against the floor", "floor", "actual", "diff", "ratio"], body)


def notes(calls: list[Call]) -> list[str]:
    lines = []
    for c in calls:
        if c.kinds:
            kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(c.kinds.items()))
            lines.append(f"transaction items: {kinds}")
    extra = [f"{c.service} {c.operation} ({c.table or '-'})" for c in calls if not in_floor(c)]
    if extra:
        lines.append("not in the floor: " + "; ".join(extra))
    return lines


# -- the run ---------------------------------------------------------------------------------


def run() -> list[tuple[str, bool, list[Call]]]:
    in_process_aws()

    recorder = Recorder({ENV["TABLE_NAME"]: "complaints", ENV["IDEMPOTENCY_TABLE"]: "idempotency"})
    install(recorder)

    from moto import mock_aws

    with mock_aws(), contextlib.redirect_stdout(io.StringIO()):
        # The service's logs and EMF metrics go to stdout; keep them out of the report.
        from scripts.bootstrap import bootstrap

        bootstrap()
        from chalice.test import Client

        from app import app

        results = []
        # The organisation's settings are read once per container and then each minute
        # (service/org_settings.py), not per intake: the container holds them before
        # intake 1, as any warm one does (a fresh table's very first read also seeds them).
        from chalicelib.wiring import get_services

        get_services().org  # noqa: B018 - the read itself
        with Client(app, stage_name="local") as client:

            def intake(title: str, key: str | None, address: str):
                headers = {"Content-Type": "application/json"}
                if key:
                    headers["Idempotency-Key"] = key
                recorder.calls.clear()
                body = json.dumps(body_from(address))
                response = client.http.post("/complaints", headers=headers, body=body)
                if response.status_code != 201:
                    raise SystemExit(f"{title}: {response.status_code} {response.body!r}")
                results.append((title, bool(key), list(recorder.calls)))

            intake(
                "intake 1: no Idempotency-Key, first in the process (cold)", None, "a1@example.com"
            )
            intake("intake 2: no Idempotency-Key, same process (warm)", None, "a2@example.com")
            intake(
                "intake 3: with Idempotency-Key, first keyed one in the process",
                "bench-key-0001",
                "a3@example.com",
            )
            intake(
                "intake 4: with a new Idempotency-Key (warm)", "bench-key-0002", "a4@example.com"
            )
            intake(
                "retry of intake 4 with the same key and body (replay)",
                "bench-key-0002",
                "a4@example.com",
            )
            for n in range(3):  # the recipient's 3 acknowledgements of the day, then one held
                intake(f"to one address ({n + 1} of 3)", None, "same@example.com")
            intake(held_title(), None, "same@example.com")
    return results


def held_title() -> str:
    return "an acknowledgement held: the 4th to one address today (limit 3)"


# -- under contention ------------------------------------------------------------------------

SAME_ISSUE = {"respondent": {"department": "billing office"}}


def contention(parallel: int) -> None:
    """`parallel` intakes released at once by a barrier, against the local stack's AWS
    (scripts/local_aws.py in a subprocess: moto in-process is not safe under threads),
    first with distinct bodies, then all about one issue (they share its repeat item)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    with local_aws() as url:
        for key, value in ENV.items():
            os.environ[key] = value
        os.environ["AWS_ENDPOINT_URL"] = url
        recorder = Recorder({ENV["TABLE_NAME"]: "complaints"})
        install(recorder)
        with contextlib.redirect_stdout(io.StringIO()):
            from scripts.bootstrap import bootstrap

            bootstrap()
            from chalicelib.domain.complaint_input import ComplaintInput
            from chalicelib.service.intake import submit_complaint
            from chalicelib.wiring import get_services

            services = get_services()
            submit_complaint(ComplaintInput.model_validate(BODY), services)  # warm
        rows = []
        for title, extra in (("distinct complaints", {}), ("all about one issue", SAME_ISSUE)):
            start = threading.Barrier(parallel)

            def one(index: int, extra=extra, start=start):
                body = body_from(f"c{index}@example.com", **extra, subject=f"Contention {index}")
                data = ComplaintInput.model_validate(body)
                start.wait()
                try:
                    return submit_complaint(data, services).number
                except Exception as error:  # noqa: BLE001 - counted, not raised
                    return f"failed: {error}"

            recorder.calls.clear()
            with ThreadPoolExecutor(parallel) as pool, contextlib.redirect_stdout(io.StringIO()):
                numbers = list(pool.map(one, range(parallel)))
            rows.append(contention_row(title, parallel, numbers, recorder.calls))
        headers = ["concurrent intakes", "ok", "distinct", "calls/intake", "tx/intake"]
        headers += ["counter/intake", "gaps"]
        print(f"== {parallel} intakes at once (barrier), local AWS serialised ==")
        print(table(headers, rows))


def contention_row(title: str, parallel: int, numbers: list[str], calls: list[Call]) -> list:
    ok = [n for n in numbers if not n.startswith("failed")]
    transactions = len([c for c in calls if is_transaction(c)])
    counter = len([c for c in calls if c.operation == "UpdateItem" and c.table == "complaints"])
    gaps = len([c for c in calls if c.operation == "PutItem" and c.table == "complaints"])
    return [
        title,
        f"{len(ok)}/{parallel}",
        len(set(ok)),
        f"{len(calls) / parallel:.2f}",
        f"{transactions / parallel:.2f}",
        f"{counter / parallel:.2f}",
        gaps,
    ]


def main() -> None:
    if "--contention" in sys.argv:
        contention(int(sys.argv[sys.argv.index("--contention") + 1]))
        return
    parallel = int(sys.argv[sys.argv.index("--parallel") + 1]) if "--parallel" in sys.argv else 50
    results = run()
    over = []
    for title, with_key, calls in results:
        if title.startswith("to one address"):
            continue
        print(f"== {title} ==")
        print(calls_table(calls))
        print()
        if title.startswith("retry"):
            print("(a replay creates nothing: no floor applies)")
        elif title == held_title():
            print("(built again with the acknowledgement held: no target applies)")
        else:
            print(comparison_table(comparison(calls, with_key)))
            print("\n".join(notes(calls)))
            target = TARGETS[with_key]
            verdict = "met" if len(calls) <= target else "OVER"
            print(
                f"target: at most {target} AWS calls {'with' if with_key else 'without'} a key:"
                f" {len(calls)} ({verdict})"
            )
            if len(calls) > target:
                over.append(title)
        print()
    sys.stdout.flush()
    if over:
        raise SystemExit(f"over the target: {'; '.join(over)}")
    # A fresh process: this one's clients point at the in-process mock.
    import subprocess

    command = [sys.executable, "-m", "bench.intake_calls", "--contention", str(parallel)]
    subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
