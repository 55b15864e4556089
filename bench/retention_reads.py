"""Items read per retention run (issue 21 item 6) at two sizes: 10 and 1,000 closed cases.

Usage: .venv/bin/python -m bench.retention_reads [--sizes 10,1000]

In moto in-process, each size is a fresh table of that many closed cases (record and lookup
rows, written straight by batch writes), half closed four years ago (past the 3-year
retention) and half last month. The retention step of the scheduled run is called
(service/retention.anonymise_due) twice, and every AWS call counted
(bench/counting.py). Counts, never timings: a run reads at most RETENTION_BATCH index keys
and one partition per case it anonymises, whatever the number of closed cases.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta

from bench.counting import items_read, recording
from bench.intake_calls import in_process_aws, print_table, quietly
from bench.search_reads import complaint

NOW = datetime(2030, 12, 6, 3, 0, tzinfo=UTC)


def seed(repository, count: int) -> None:
    from chalicelib.adapters.dynamo import ComplaintItem
    from chalicelib.adapters.lookup import lookup_rows
    from chalicelib.domain.lookup import index_partitions
    from chalicelib.domain.vocabulary import Status

    with ComplaintItem.batch_write() as batch:
        for n in range(1, count + 1):
            who = {"name": f"C{n}", "mobile": f"1380{n:07d}", "email": f"c{n}@example.com"}
            old = n % 2 == 1
            closed = NOW - timedelta(days=4 * 365 if old else 30)
            case = complaint(n, who, closed - timedelta(days=20))
            case.status, case.closed_at = Status.closed, closed
            item = repository._to_item(case)
            item.version = 1
            batch.save(item)
            for row in lookup_rows(case, index_partitions(case, repository.lookup_key)):
                batch.save(row)


def run_size(count: int) -> list[list]:
    from moto import mock_aws

    from chalicelib.adapters.clock import FixedClock
    from chalicelib.service.retention import anonymise_due

    rows = []
    with mock_aws():
        from chalicelib import wiring
        from scripts.bootstrap import bootstrap

        wiring.set_services(None)
        bootstrap()
        services = wiring.get_services()
        services.clock = FixedClock(NOW)
        seed(services.complaints, count)
        for run in (1, 2):
            with recording() as recorder:
                report = anonymise_due(services, NOW + timedelta(minutes=5 * run))
            dynamo = [call for call in recorder.calls if call.service == "dynamodb"]
            s3 = [call for call in recorder.calls if call.service == "s3"]
            rows.append([count, run, report.due, report.anonymised, len(dynamo)])
            rows[-1] += [items_read(dynamo), len(s3)]
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.retention_reads")
    parser.add_argument("--sizes", default="10,1000")
    args = parser.parse_args(argv)
    in_process_aws()
    rows = quietly(run_size, (int(part) for part in args.sizes.split(",")))
    print_table(
        "Retention step of the scheduled run (half the closed cases past retention)",
        ["closed cases", "run", "due", "anonymised", "DynamoDB calls", "items read", "S3"],
        rows,
    )


if __name__ == "__main__":
    main()
