"""The local stack as `make run` starts it (scripts/run_local.sh), driven over real HTTP.

The test session's in-process mock_aws (tests/conftest.py) only intercepts AWS endpoints;
boto3 clients with an explicit endpoint_url, and plain HTTP, reach the moto server as
they are. `test_talks_to_the_moto_server` below checks that this still holds.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from bench.common import free_port
from tests.clock import default_now

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60
PARALLEL = 50
EMAIL = "e2e.complainant@example.com"


class Stack:
    def __init__(self, port: int, moto_port: int, local_dir: Path):
        self.port, self.moto_port, self.local_dir = port, moto_port, local_dir
        self.base = f"http://127.0.0.1:{port}"
        self.moto = f"http://127.0.0.1:{moto_port}"
        self.log_path = local_dir / "stack.log"
        self.process: subprocess.Popen | None = None

    def env(self) -> dict:
        """The environment `make run` gave this stack (for `make jobs` and the like)."""
        return stack_env(self.port, self.moto_port, self.local_dir)

    def bearer(self, user: str, roles, departments) -> str:
        """A staff token from the stack's own local sign-in keys."""
        from scripts.mint_token import mint

        token = mint(
            user,
            list(roles),
            list(departments),
            key_dir=self.local_dir / "auth",
            issuer="http://127.0.0.1/local-issuer",
            audience="complaints-local",
        )
        return f"Bearer {token}"

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def client(self, service: str):
        import boto3

        session = boto3.session.Session(
            aws_access_key_id="local", aws_secret_access_key="local", region_name="us-east-1"
        )
        return session.client(service, endpoint_url=self.moto)

    def moto_state(self) -> dict:
        return requests.get(f"{self.moto}/moto-api/data.json", timeout=30).json()


def stack_env(port: int, moto_port: int, local_dir: Path) -> dict:
    """Only what a shell running `make run` would have: nothing from the test session.

    The variables scripts/local_env.sh lets a caller override are set to its own defaults,
    so that the session's (TABLE_NAME=complaints-test, ...) cannot leak in.
    """
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(local_dir)),
        "LANG": "C.UTF-8",
        "PORT": str(port),
        "MOTO_PORT": str(moto_port),
        # The stack's SMTP listener for e-mail replies: a free port too, so that stacks
        # running side by side (and anyone's `make run`) do not collide on 2525.
        "MAIL_PORT": str(free_port()),
        "LOCAL_DIR": str(local_dir),
        "TABLE_NAME": "complaints",
        "IDEMPOTENCY_TABLE": "complaints-idempotency",
        "SES_SENDER": "complaints@example.org",
        "DEPARTMENTS": "service,sales,quality",
        "AUTH_JWKS_FILE": str(local_dir / "auth" / "jwks.json"),
        "AUTH_ISSUER": "http://127.0.0.1/local-issuer",
        "AUTH_AUDIENCE": "complaints-local",
        # `chalice local` restarts when a file under the project changes; a .pyc written
        # on a first import would restart it in the middle of the test.
        "PYTHONDONTWRITEBYTECODE": "1",
        # The stack's clock starts at the tests' pinned instant and flows on from there
        # (`make run NOW=...`), so what it serves does not depend on the day CI runs.
        "NOW": default_now().isoformat(),
    }


def stop(process: subprocess.Popen) -> None:
    """SIGTERM the whole process group (bash, moto, chalice and its worker), then SIGKILL."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


@contextlib.contextmanager
def local_stack(local_dir, kind=None):
    """`bash scripts/run_local.sh` (what `make run` runs) on free ports, stopped after."""
    port, moto_port = free_port(), free_port()
    running = (kind or Stack)(port, moto_port, local_dir)
    with open(running.log_path, "wb") as log:
        running.process = subprocess.Popen(
            ["bash", "scripts/run_local.sh"],
            cwd=ROOT,  # served without autoreload: edits under the tree cannot restart it
            env=stack_env(port, moto_port, local_dir),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        wait_for_health(running)
        yield running
    finally:
        stop(running.process)


def wait_for_health(stack: Stack) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if stack.process.poll() is not None:
            pytest.fail(f"run_local.sh exited with {stack.process.returncode}:\n{stack.log_tail()}")
        try:
            if requests.get(f"{stack.base}/health", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    pytest.fail(f"no /health within {START_TIMEOUT}s:\n{stack.log_tail()}")


def call(method: str, url: str, **kwargs) -> requests.Response:
    """One HTTP request, never retried: a refused or reset connection is a finding.

    The local stack listens with a backlog of 512 (scripts/serve_local.py), so a burst of
    clients is queued, not reset (tests/e2e/test_concurrency.py sends a hundred at once).
    """
    return requests.request(method, url, timeout=120, **kwargs)


def complaint(**overrides) -> dict:
    body = {
        "category": "billing",
        "subject": "Charged twice for one order",
        "description": "Two debits on 1 November for order 4411.",
        "complainant": {"name": "Li Lei", "email": EMAIL},
        "language": "en",
    }
    body.update(overrides)
    return body


def months_of(numbers) -> set[str]:
    """by_month keys (YYYY-MM in the organisation's timezone) from TS-YYYYMMDD-NNNN."""
    return {f"{n[3:7]}-{n[7:9]}" for n in numbers}


def count_complaints(stack: Stack, months: set[str]) -> int:
    dynamodb = stack.client("dynamodb")
    total = 0
    for month in months:
        pages = dynamodb.get_paginator("query").paginate(
            TableName="complaints",
            IndexName="by_month",
            KeyConditionExpression="month_key = :m",
            ExpressionAttributeValues={":m": {"S": month}},
            Select="COUNT",
        )
        total += sum(page["Count"] for page in pages)
    return total


def sent_emails(stack: Stack) -> list[dict]:
    return stack.moto_state()["ses"]["Message"]


def topic_messages(stack: Stack) -> list:
    topics = stack.moto_state()["sns"]["Topic"]
    return [note for topic in topics for note in topic["sent_notifications"]]


def assert_error_shape(response: requests.Response) -> None:
    error = response.json()["error"]
    assert set(error) <= {"code", "message", "fields"}
    assert error["code"] and error["message"]


def test_talks_to_the_moto_server(stack):
    """The tables the stack's bootstrap created are visible: we are not on the in-process mock."""
    tables = stack.client("dynamodb").list_tables()["TableNames"]
    assert {"complaints", "complaints-idempotency"} <= set(tables)
    assert "complaints-test" not in tables


def test_complaint_over_real_http(stack):
    # -- submit, and read it back with the tracking token -----------------------------
    response = call(
        "POST",
        f"{stack.base}/complaints",
        data=json.dumps(complaint()),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text
    receipt = response.json()
    number, token = receipt["number"], receipt["tracking_token"]
    assert number.startswith("TS-") and len(token) >= 22
    assert response.headers["Location"] == f"/complaints/{number}"
    assert response.headers["X-Correlation-Id"]

    view = call(
        "GET", stack.base + response.headers["Location"], headers={"X-Tracking-Token": token}
    )
    assert view.status_code == 200, view.text
    assert view.json()["number"] == number and view.json()["status"] == "received"
    wrong = call(
        "GET", stack.base + response.headers["Location"], headers={"X-Tracking-Token": "x"}
    )
    assert wrong.status_code == 404

    # -- the acknowledgement reached SES, the supervisors' message reached SNS --------
    quota = stack.client("ses").get_send_quota()
    assert quota["SentLast24Hours"] == 1
    [mail] = sent_emails(stack)
    assert mail["destinations"]["ToAddresses"] == [EMAIL]
    assert number in mail["subject"] and number in mail["body"]
    [note] = topic_messages(stack)
    assert number in note[1] and "Charged twice for one order" in note[1]

    # -- 50 parallel posts with one Idempotency-Key make one complaint ----------------
    key = f"e2e-{uuid.uuid4()}"
    body = json.dumps(complaint(subject="Posted fifty times at once"))
    start = threading.Barrier(PARALLEL)

    def post(_):
        start.wait()
        return call(
            "POST",
            f"{stack.base}/complaints",
            data=body,
            headers={"Content-Type": "application/json", "Idempotency-Key": key},
        )

    with ThreadPoolExecutor(PARALLEL) as pool:
        responses = list(pool.map(post, range(PARALLEL)))

    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {201, 409}, [(r.status_code, r.text) for r in responses]
    created = [r.json() for r in responses if r.status_code == 201]
    assert created, statuses
    assert len({(r["number"], r["tracking_token"]) for r in created}) == 1
    for refused in (r for r in responses if r.status_code == 409):
        assert refused.json()["error"]["code"] == "request_in_progress"
    burst_number = created[0]["number"]
    assert burst_number != number
    assert count_complaints(stack, months_of([number, burst_number])) == 2
    assert stack.client("ses").get_send_quota()["SentLast24Hours"] == 2

    # A retry after the burst replays the same receipt.
    replay = call(
        "POST",
        f"{stack.base}/complaints",
        data=body,
        headers={"Content-Type": "application/json", "Idempotency-Key": key},
    )
    assert replay.status_code == 201 and replay.json()["number"] == burst_number

    # -- malformed input gets a 4xx ---------------------------------------------------
    for data, content_type in [
        ('{"subject": ', "application/json"),
        ("[1, 2]", "application/json"),
        (json.dumps(complaint(kind="bogus")), "application/json"),
        (json.dumps(complaint()), "text/plain"),
    ]:
        bad = call(
            "POST", f"{stack.base}/complaints", data=data, headers={"Content-Type": content_type}
        )
        assert 400 <= bad.status_code < 500, bad.text
        assert_error_shape(bad)

    assert count_complaints(stack, months_of([number, burst_number])) == 2
    assert '"status":500' not in stack.log_path.read_text(errors="replace")


@pytest.mark.parametrize(
    ("method", "path", "headers", "status", "code"),
    [
        ("GET", "/staff/complaints", {}, 401, "unauthorized"),
        ("GET", "/no/such/path", {}, 404, "not_found"),
        ("GET", "/no/such/path", {"Authorization": "Bearer x.y.z"}, 404, "not_found"),
        ("DELETE", "/complaints", {}, 404, "not_found"),
    ],
)
def test_what_never_reaches_the_app_gets_the_services_error_shape(
    stack, method, path, headers, status, code
):
    """The answers of API Gateway's gateway responses (infra/gateway.py), locally too."""
    response = call(method, stack.base + path, headers=headers)
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/json"
    assert_error_shape(response)
    assert response.json()["error"]["code"] == code
