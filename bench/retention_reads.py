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

from datetime import UTC, datetime, timedelta

from bench.common import fresh_services, measure, options, save_cases
from bench.counting import items_read, recording
from bench.search_reads import complaint

NOW = datetime(2030, 12, 6, 3, 0, tzinfo=UTC)


def closed_cases(count: int):
    """Half closed four years ago (past the 3-year retention), half last month."""
    from chalicelib.domain.vocabulary import Status

    for n in range(1, count + 1):
        who = {"name": f"C{n}", "mobile": f"1380{n:07d}", "email": f"c{n}@example.com"}
        old = n % 2 == 1
        closed = NOW - timedelta(days=4 * 365 if old else 30)
        case = complaint(n, who, closed - timedelta(days=20))
        case.status, case.closed_at = Status.closed, closed
        yield case


def run_size(count: int) -> list[list]:
    from chalicelib.service.retention import anonymise_due

    rows = []
    with fresh_services(NOW) as services:
        save_cases(services.complaints, closed_cases(count))
        for run in (1, 2):
            with recording() as recorder:
                report = anonymise_due(services, NOW + timedelta(minutes=5 * run))
            dynamo = recorder.of("dynamodb")
            s3 = recorder.of("s3")
            rows.append([count, run, report.due, report.anonymised, len(dynamo)])
            rows[-1] += [items_read(dynamo), len(s3)]
    return rows


def main(argv: list[str] | None = None) -> None:
    args = options(argv, "retention_reads", sizes="10,1000")
    measure(
        run_size,
        (int(part) for part in args.sizes.split(",")),
        "Retention step of the scheduled run (half the closed cases past retention)",
        ["closed cases", "run", "due", "anonymised", "DynamoDB calls", "items read", "S3"],
    )


if __name__ == "__main__":
    main()
