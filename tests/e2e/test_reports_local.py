"""Reports on the local stack as `make run` starts it, over real HTTP: a manager reads the
month in JSON, CSV, XLSX and SVG, and `make jobs NOW=<first working day 09:30>` sends one
monthly e-mail (a second run none), as the README says (issue 9)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.test_local_stack import (
    ROOT,
    call,
    complaint,
)

pytestmark = pytest.mark.e2e

TZ = ZoneInfo("Asia/Shanghai")
JSON = {"Content-Type": "application/json"}


def auth(stack, role: str, departments=("*",)) -> dict:
    return {"Authorization": stack.bearer(f"{role}-e2e", [role], departments)}


def run_jobs(stack, now: datetime) -> dict:
    """What `make jobs NOW=...` runs, with the stack's environment."""
    env = stack.env()
    jobs = f"{sys.executable} -m scripts.run_jobs --now {now.isoformat()}"
    command = f"source scripts/local_env.sh && {jobs}"
    done = subprocess.run(
        ["bash", "-c", command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout[done.stdout.index("{\n") :])


def first_working_day_after(month_day: date) -> datetime:
    from chalicelib.domain.calendar import BusinessCalendar

    calendar = BusinessCalendar()
    first = (month_day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return datetime.combine(calendar.add_working_days(first, 0), datetime.min.time(), TZ)


def test_manager_reads_the_month_and_the_monthly_email_goes_once(stack):
    receipts = [
        call("POST", f"{stack.base}/complaints", data=json.dumps(complaint()), headers=JSON).json()
        for _ in range(2)
    ]
    received = datetime.fromisoformat(receipts[0]["received_at"]).astimezone(TZ)
    month = received.strftime("%Y-%m")
    supervisor = auth(stack, "supervisor", ("service",))
    number = receipts[0]["number"]
    etag = call("GET", f"{stack.base}/staff/complaints/{number}", headers=supervisor).headers[
        "ETag"
    ]
    accepted = call(
        "POST",
        f"{stack.base}/staff/complaints/{number}/accept",
        data="{}",
        headers={**supervisor, **JSON, "If-Match": etag},
    )
    assert accepted.status_code == 200, accepted.text

    manager = auth(stack, "manager")
    report = call("GET", f"{stack.base}/staff/reports/{month}?lang=en", headers=manager)
    assert report.status_code == 200, report.text
    total = report.json()["total"]["values"]
    assert total["received"] >= 2 and total["accepted"] >= 1
    csv = call("GET", f"{stack.base}/staff/reports/{month}?format=csv", headers=manager)
    assert csv.content.startswith("\ufeff".encode()) and "登记量" in csv.content.decode()
    xlsx = call("GET", f"{stack.base}/staff/reports/{month}?format=xlsx", headers=manager)
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    chart = call("GET", f"{stack.base}/staff/reports/{month}/chart.svg", headers=manager)
    assert chart.headers["Content-Type"] == "image/svg+xml" and b"<svg" in chart.content
    handler = auth(stack, "handler", ("service",))
    assert call("GET", f"{stack.base}/staff/reports/{month}", headers=handler).status_code == 403

    first = first_working_day_after(received.date()) + timedelta(hours=9, minutes=30)
    assert run_jobs(stack, first)["monthly_report"] == f"REPORT-{month}"
    assert run_jobs(stack, first + timedelta(minutes=5))["monthly_report"] is None
    raw = stack.moto_state()["ses"]["RawMessage"]
    assert len(raw) == 1
