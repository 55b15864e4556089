"""What the benchmarks share: their AWS settings, a fresh in-process stack on a pinned clock,
complaints written straight into its table, the local AWS server in a subprocess, and the
tables they print."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

ENV = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "TABLE_NAME": "complaints-bench",
    "IDEMPOTENCY_TABLE": "complaints-idempotency-bench",
    "NOTIFY_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:complaints-notifications",
    "SES_SENDER": "complaints@example.org",
    "DEPARTMENTS": "service,sales,quality",
    "POWERTOOLS_SERVICE_NAME": "complaints",
    "POWERTOOLS_METRICS_NAMESPACE": "ComplaintsBench",
}
ROOT = Path(__file__).resolve().parents[1]


def in_process_aws() -> None:
    """The benchmarks' settings, for moto in this process: no endpoint or session token of
    the caller's environment applies."""
    for key, value in ENV.items():
        os.environ[key] = value
    os.environ.pop("AWS_ENDPOINT_URL", None)
    os.environ.pop("AWS_SESSION_TOKEN", None)
    warnings.filterwarnings("ignore", message="Couldn't determine the remaining time left")


@contextlib.contextmanager
def fresh_services(now: datetime) -> Iterator:
    """A new in-process moto stack, bootstrapped, and the app's services on a clock pinned
    at `now`."""
    from moto import mock_aws

    from chalicelib.adapters.clock import FixedClock

    with mock_aws():
        from chalicelib import wiring
        from scripts.bootstrap import bootstrap

        wiring.set_services(None)
        bootstrap()
        services = wiring.get_services()
        services.clock = FixedClock(now)
        yield services


def save_cases(repository, cases) -> None:
    """Each case as the intake stores it (its item at version 1 and its lookup rows), by
    straight batch writes: thousands are seeded in reasonable time."""
    from chalicelib.adapters.dynamo import ComplaintItem
    from chalicelib.adapters.lookup import lookup_rows
    from chalicelib.domain.lookup import index_partitions

    with ComplaintItem.batch_write() as batch:
        for case in cases:
            item = repository._to_item(case)
            item.version = 1
            batch.save(item)
            for row in lookup_rows(case, index_partitions(case, repository.lookup_key)):
                batch.save(row)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def local_aws() -> Iterator[str]:
    """The local stack's AWS (scripts/local_aws.py: moto's server, serialised) on a free
    loopback port in a subprocess: its URL, once it answers."""
    import requests

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "scripts.local_aws", "-p", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(f"{url}/moto-api/", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def options(argv: list[str] | None, script: str, **defaults) -> argparse.Namespace:
    """A benchmark's options: `--name` for each default, of the default's type."""
    parser = argparse.ArgumentParser(prog=f"python -m bench.{script}")
    for name, default in defaults.items():
        parser.add_argument(f"--{name}", type=type(default), default=default)
    return parser.parse_args(argv)


def quietly(run, values) -> list:
    """The rows of run(value) for each value; what the runs print is dropped."""
    rows = []
    for value in values:
        with contextlib.redirect_stdout(io.StringIO()):
            rows += run(value)
    return rows


def measure(run, values, title: str, headers: list[str]) -> None:
    """A benchmark's body: run(value) for each value on in-process moto, quietly, then the
    rows as one table."""
    in_process_aws()
    print_table(title, headers, quietly(run, values))


def table(headers: list[str], rows: list[list], first_left: int = 1) -> str:
    cells = [headers, *[[str(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row):
        parts = [
            v.ljust(w) if i < first_left else v.rjust(w)
            for i, (v, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in cells[1:])])


def print_table(title: str, headers: list[str], rows: list) -> None:
    print(title)
    print(table(headers, rows))
    sys.stdout.flush()
