"""The local stack keeps DynamoDB's guarantees under concurrent requests (issue 13, items 10
and 11), over real HTTP against what `make run` starts."""

from __future__ import annotations

import json
import subprocess
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from tests.clock import default_now
from tests.e2e.test_local_stack import (
    ROOT,
    call,
    complaint,
    sent_emails,
)

pytestmark = pytest.mark.e2e

JSON = {"Content-Type": "application/json"}


def staff_auth(stack, role: str = "supervisor") -> str:
    return stack.bearer(f"{role}-e2e", [role], ["service"])


def intake(stack, subject: str) -> tuple[int, dict]:
    body = json.dumps(complaint(subject=subject))
    response = call("POST", f"{stack.base}/complaints", data=body, headers=JSON)
    payload = response.json() if response.content else {}
    return response.status_code, {**payload, "subject": subject}


def intakes(stack, count: int, parallel: int, barrier: bool = False) -> list[tuple[int, dict]]:
    start = threading.Barrier(parallel) if barrier else None
    run = uuid.uuid4().hex[:8]

    def one(index: int):
        if start:
            start.wait()
        return intake(stack, f"Concurrent intake {run} #{index}")

    with ThreadPoolExecutor(parallel) as pool:
        return list(pool.map(one, range(count)))


def assert_distinct_and_readable(stack, results) -> None:
    statuses = [status for status, _ in results]
    assert statuses == [201] * len(results), [r for r in results if r[0] != 201][:3]
    numbers = [receipt["number"] for _, receipt in results]
    assert len(set(numbers)) == len(results), sorted(numbers)
    for _, receipt in results:
        view = call(
            "GET",
            f"{stack.base}/complaints/{receipt['number']}",
            headers={"X-Tracking-Token": receipt["tracking_token"]},
        )
        assert view.status_code == 200, (receipt["number"], view.text)
        assert view.json()["subject"] == receipt["subject"]


def make_jobs(stack, now: str) -> subprocess.Popen:
    """`make jobs NOW=...` as the README has it, against this stack's ports."""
    env = stack.env()
    return subprocess.Popen(
        ["make", "-s", "--no-print-directory", "jobs", f"NOW={now}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err[-2000:]
    # The report is the indented JSON at the end; the service's one-line logs come before.
    start = out.rindex("\n{\n") + 1 if "\n{\n" in out else out.index("{")
    return json.loads(out[start:])


def test_two_overlapping_job_runs_lose_no_commit_and_repeat_nothing(stack):
    results = intakes(stack, 12, 4)
    assert [status for status, _ in results] == [201] * 12
    # Six weeks on, a Tuesday at 10:00 in Shanghai: every acceptance deadline is long
    # breached, so each complaint has reminders and escalations to record.
    day = default_now().date() + timedelta(days=42)
    day += timedelta(days=(1 - day.weekday()) % 7)
    now = f"{day.isoformat()}T10:00:00+08:00"

    first, second = make_jobs(stack, now), make_jobs(stack, now)
    reports = [finish(first), finish(second)]

    # Each due complaint was changed by exactly one of the runs (the other's write was
    # stale). First in this module, so the twelve are all the stack holds.
    assert sum(report["changed"] for report in reports) == max(r["due"] for r in reports)
    # ...and nothing either run committed was lost: a third run at the same time finds
    # every notice recorded, so it changes and sends nothing.
    third = finish(make_jobs(stack, now))
    assert (third["changed"], third["notices"]) == (0, 0), (reports, third)


def test_a_burst_of_a_hundred_distinct_intakes_is_answered_in_full(stack):
    """Issue 19 item 4: a hundred clients connect at the same moment, none retries. Each
    gets an answer (201, or 429 from the abuse limits), every 201 is readable with its
    token, and no number is given twice."""
    results = intakes(stack, 100, 100, barrier=True)
    statuses = [status for status, _ in results]
    assert len(statuses) == 100 and set(statuses) <= {201, 429}, sorted(set(statuses))
    created = [result for result in results if result[0] == 201]
    assert created, statuses
    assert_distinct_and_readable(stack, created)


def test_two_hundred_intakes_four_at_a_time(stack):
    assert_distinct_and_readable(stack, intakes(stack, 200, 4))
    # Issue 12: every intake here is from one address; none is lost, and that address got
    # at most ACK_LIMIT_PER_RECIPIENT_DAY (3 on the local stack) acknowledgements in all.
    acks = [m for m in sent_emails(stack) if m["subject"].startswith("Complaint received")]
    assert 1 <= len(acks) <= 3


def test_twenty_accepts_with_one_etag_one_wins(stack):
    status, receipt = intake(stack, "Accepted by twenty supervisors at once")
    assert status == 201
    auth = staff_auth(stack)
    url = f"{stack.base}/staff/complaints/{receipt['number']}"
    current = call("GET", url, headers={"Authorization": auth})
    assert current.status_code == 200, current.text
    etag = current.headers["ETag"]
    start = threading.Barrier(20)

    def accept(_):
        start.wait()
        return call(
            "POST",
            f"{url}/accept",
            data="{}",
            headers={**JSON, "Authorization": auth, "If-Match": etag},
        )

    with ThreadPoolExecutor(20) as pool:
        statuses = sorted(r.status_code for r in pool.map(accept, range(20)))
    assert statuses == [200] + [409] * 19
    history = call("GET", f"{url}/history", headers={"Authorization": auth}).json()
    entries = history["items"]
    assert [e["action"] for e in entries].count("accepted") == 1
    after = call("GET", url, headers={"Authorization": auth})
    assert after.json()["status"] == "accepted"
    assert after.headers["ETag"] == f'"{int(etag.strip(chr(34))) + 1}"'
