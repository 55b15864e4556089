"""How far intake scales on DynamoDB: transaction conflicts on the shared statistics cells.

Usage: .venv/bin/python -m bench.conflicts [--intakes 3000] [--hold-ms 25] [--rates 1,10,50,200]

moto serialises transactions, so it never shows what DynamoDB does when two transactions
touch one item at once: it cancels one (TransactionConflict). This bench emulates that rule.

Part 1 (moto in-process, real use cases): the items of real intakes' TransactWriteItems,
one department, varied kinds, categories and channels. An item is *shared* when other
intakes of the department write it too: the statistics cells (`STATS#<month>`, `LIVE`) and
a repeat item (`REPEAT#`, shared by intakes about one issue). Everything else (the
complaint, its events, outbox entries, lookup rows, the caller's limit counters) is the
intake's own.

Part 2 (pure simulation, no AWS): intakes of one department arrive as a Poisson process at
each rate. Each attempt is one TransactWriteItems over the item set of a sampled real
intake. DynamoDB's rule: an attempt that touches an item a transaction in flight holds is
cancelled (TransactionConflict); a committed attempt holds its items for `--hold-ms` (the
transaction's time inside DynamoDB). A cancelled attempt costs `--fail-ms`, then the
repository's own retry policy applies, with its own pauses (adapters/repository.py
`resend_pause`, `rebuild_pause`, TRANSIENT_ATTEMPTS sends per build, NUMBER_ATTEMPTS
builds). It reports the intakes that commit, the retries, and the 99th percentile of
attempts and of the time to commit. Every department has its own cells, so departments do
not conflict with one another; the organisation's ceiling is the departments' sum, bounded
by the per-partition write limit (docs/architecture.md, "How far intake scales").
"""

from __future__ import annotations

import argparse
import contextlib
import heapq
import io
import random
import statistics
import sys
from collections import Counter

from bench.common import in_process_aws, table

RATES = (1, 10, 25, 50, 75, 100, 200)
SHARED = ("STATS#", "LIVE", "REPEAT#")
# Kinds as a mixed intake might bring them; "complaint only" is the worst case: every intake
# of the department then adds to the same `all` cell and the same LIVE cells.
MIXED = ("complaint", "complaint", "complaint", "request", "suggestion", "inquiry")
MIXES = {"mixed kinds (1/2 complaints)": MIXED, "complaints only": ("complaint",)}
CHANNELS = ("web", "web", "web", "phone", "email", "letter", "visit")


# -- part 1: the items of real intakes -----------------------------------------------------


def item_key(transact_item: dict) -> tuple[str, str]:
    action = next(iter(transact_item.values()))
    keys = action.get("Item") or action.get("Key") or {}
    pk = keys.get("pk", {}).get("S", "") or next(iter(keys.values()), {}).get("S", "")
    return pk, keys.get("sk", {}).get("S", "")


def is_shared(key: tuple[str, str]) -> bool:
    return key[0].startswith(SHARED)


def sample_intakes(count: int, rng: random.Random, kinds) -> list[list[tuple[str, str]]]:
    """The item keys of `count` real intakes' transactions (one department, one month)."""
    from chalicelib.domain.complaint_input import DEFAULT_CATEGORIES, ComplaintInput
    from chalicelib.domain.vocabulary import Channel
    from chalicelib.service.intake import submit_complaint
    from chalicelib.wiring import get_services

    captured: list[list[tuple[str, str]]] = []

    def capture(params, model, **_):
        if model.name == "TransactWriteItems":
            captured.append([item_key(item) for item in params["TransactItems"]])

    from chalicelib.adapters.aws import client

    events = client("dynamodb").meta.events
    events.register("before-parameter-build.dynamodb.TransactWriteItems", capture)
    services = get_services()
    samples = []
    for index in range(count):
        body = {
            "kind": rng.choice(kinds),
            "category": rng.choice(DEFAULT_CATEGORIES),
            "subject": f"Sample {index}",
            "description": "A sampled intake.",
            "complainant": {"name": "Li Lei", "email": f"s{index}@example.com"},
            "department": "service",
            "language": "en",
        }
        if rng.random() < 0.2:  # some name whom they complain about: a repeat item
            body["respondent"] = {"department": rng.choice(("billing", "counter", "depot"))}
        captured.clear()
        channel = Channel(rng.choice(CHANNELS))
        submit_complaint(ComplaintInput.model_validate(body), services, channel=channel)
        samples.append(captured[-1])
    events.unregister("before-parameter-build.dynamodb.TransactWriteItems", capture)
    return samples


def writes_per_command() -> list[list]:
    """Statistics cells per staff action (bench/report_reads.py's walk of one case)."""
    from bench.report_reads import write_costs
    from chalicelib.wiring import get_services

    return write_costs(get_services())


# -- part 2: DynamoDB's conflict rule over concurrent intakes -------------------------------


def simulate(samples, rate, count: int, hold: float, fail: float, seed: int, shards: int = 1):
    """Attempts in time order; an item is held from a commit's start for `hold` seconds.

    `shards` > 1 emulates a design this service does not have (docs/architecture.md): each
    statistics cell split in that many items, an intake adding to one of them at random."""
    from chalicelib.adapters.repository import (
        NUMBER_ATTEMPTS,
        TRANSIENT_ATTEMPTS,
        rebuild_pause,
        resend_pause,
    )

    rng = random.Random(seed)
    random.seed(seed)  # the repository's pauses draw from the module's generator
    queue: list[tuple[float, int]] = []
    intakes = []  # per intake: shared items, arrival, attempts, sends this build, builds
    t = 0.0
    for _ in range(count):
        t += rng.expovariate(rate)
        shard = f"#{rng.randrange(shards)}" if shards > 1 else ""
        shared = [
            (pk, sk) if pk.startswith("REPEAT#") else (pk, sk + shard)
            for pk, sk in rng.choice(samples)
            if is_shared((pk, sk))
        ]
        intakes.append({"items": shared, "arrived": t, "attempts": 0, "sends": 0, "builds": 1})
        heapq.heappush(queue, (t, len(intakes) - 1))
    busy_until: dict[tuple[str, str], float] = {}
    done, failed = [], 0
    while queue:
        now, index = heapq.heappop(queue)
        intake = intakes[index]
        intake["attempts"] += 1
        if all(busy_until.get(key, 0.0) <= now for key in intake["items"]):
            for key in intake["items"]:
                busy_until[key] = now + hold
            done.append((intake["attempts"], now + hold - intake["arrived"]))
            continue
        intake["sends"] += 1  # cancelled: TransactionConflict, a transient reason
        if intake["sends"] < TRANSIENT_ATTEMPTS:
            pause = resend_pause(intake["sends"] - 1)
        elif intake["builds"] < NUMBER_ATTEMPTS:  # "busy": built again, same number
            pause = rebuild_pause(intake["builds"] - 1)
            intake["builds"] += 1
            intake["sends"] = 0
        else:
            failed += 1  # the caller gets 409 and may retry; the number is a gap
            continue
        heapq.heappush(queue, (now + fail + pause, index))
    return intakes, done, failed


def p99(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def rate_row(rate, intakes, done, failed) -> list:
    attempts = [intake["attempts"] for intake in intakes]
    latency = [seconds * 1000 for _, seconds in done]
    total = len(intakes)
    return [
        f"{rate:g}",
        total,
        f"{100 * len(done) / total:.1f}%",
        failed,
        f"{(sum(attempts) - total) / total:.2f}",
        f"{p99(attempts):.0f}",
        max(attempts),
        f"{p99(latency):.0f}",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.conflicts")
    parser.add_argument("--intakes", type=int, default=3000, help="simulated per rate")
    parser.add_argument("--hold-ms", type=float, default=25.0, help="a transaction's time")
    parser.add_argument("--fail-ms", type=float, default=10.0, help="a cancelled attempt's")
    parser.add_argument("--rates", default=",".join(map(str, RATES)), help="intakes/s")
    parser.add_argument("--samples", type=int, default=40, help="real intakes sampled")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--shards", type=int, default=1, help="what-if: cells split in N")
    args = parser.parse_args(argv)
    in_process_aws()

    from moto import mock_aws

    mixes = {}
    with mock_aws(), contextlib.redirect_stdout(io.StringIO()):
        from scripts.bootstrap import bootstrap

        bootstrap()
        for title, kinds in MIXES.items():
            mixes[title] = sample_intakes(args.samples, random.Random(args.seed), kinds)
        commands = writes_per_command()

    print_items(mixes[next(iter(MIXES))], commands)
    hold, fail = args.hold_ms / 1000, args.fail_ms / 1000
    for title, samples in mixes.items():
        rows = []
        for rate in (float(part) for part in args.rates.split(",")):
            intakes, done, failed = simulate(
                samples, rate, args.intakes, hold, fail, args.seed, args.shards
            )
            rows.append(rate_row(rate, intakes, done, failed))
        what_if = f" (what-if: cells in {args.shards} shards)" if args.shards > 1 else ""
        print(
            f"== DynamoDB's conflict rule{what_if}, one department, {title}: {args.intakes} intakes"
            f" per rate; a transaction holds its items {args.hold_ms:g} ms, a cancelled one"
            f" costs {args.fail_ms:g} ms =="
        )
        headers = ["intakes/s", "intakes", "committed", "gave up", "retries/intake"]
        headers += ["p99 attempts", "max attempts", "p99 ms to commit"]
        print(table(headers, rows))
        print()
    sys.stdout.flush()


def print_items(samples, commands) -> None:
    """The mixed sample's items; `every` names the cells no intake of the department
    escapes (with kinds mixed, none: the cells are per kind)."""
    sizes = [len(sample) for sample in samples]
    shared = [[key for key in sample if is_shared(key)] for sample in samples]
    every = set.intersection(*(set(keys) for keys in shared))
    counts = Counter(key for keys in shared for key in set(keys))
    print(f"== {len(samples)} real intakes of one department (moto, real use cases) ==")
    print(
        f"items per transaction: median {statistics.median(sizes):g}, max {max(sizes)};"
        f" shared items: median {statistics.median(len(keys) for keys in shared):g}"
    )
    stats = [sum(key[0].startswith("STATS#") for key in keys) for keys in shared]
    live = [sum(key[0] == "LIVE" for key in keys) for keys in shared]
    print(
        f"statistics cells per intake: median {statistics.median(stats):g} in the month's"
        f" partition (STATS#<month>), {statistics.median(live):g} in LIVE; both partition"
        " keys are the whole organisation's"
    )
    busiest = ", ".join(f"{n}/{len(samples)}" for _, n in counts.most_common(6))
    print(f"the most written shared items are written by {busiest} intakes")
    if every:
        print(f"written by every sampled intake ({len(every)}):")
        for pk, sk in sorted(every):
            print(f"  {pk} {sk}")
    print()
    print("== writes per command (bench/report_reads.py): statistics cells are shared ==")
    headers = ["command", "transactions", "items", "without stats", "stats cells", "extra WCU"]
    print(table(headers, commands))
    print()


if __name__ == "__main__":
    main()
