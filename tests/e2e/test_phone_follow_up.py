"""Issue 11 on the local stack as `make run` starts it, over real HTTP: a complainant with
only a mobile number gets the acknowledgement by SMS (seen in moto), and once resolved the
case is in `GET /staff/callbacks`; three unanswered calls leave a message and `make jobs`
two working days later closes it; a reached, satisfied call closes another at once."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from tests.e2e.test_local_stack import (
    call,
    complaint,
)
from tests.e2e.test_reports_local import auth, run_jobs
from tests.helpers import NOT_SUBSTANTIATED

pytestmark = pytest.mark.e2e

JSON = {"Content-Type": "application/json"}
MOBILE = "+8613700001111"


def sms_in_moto(stack) -> list[tuple[str, str]]:
    """SNS's text messages as moto's /moto-api/data.json shows them."""
    state = stack.moto_state()
    found = []
    for record in state.get("sns", {}).get("SMS", []):
        found.append((record["phone_number"], record["message"]))
    return found


def act(stack, headers, number, action, body=None):
    url = f"{stack.base}/staff/complaints/{number}"
    etag = call("GET", url, headers=headers).headers["ETag"]
    answer = call(
        "POST",
        f"{url}/{action}",
        data=json.dumps(body or {}),
        headers={**headers, **JSON, "If-Match": etag},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def submit_and_resolve(stack) -> str:
    body = complaint(complainant={"name": "王五", "mobile": "137 0000 1111"}, language="zh-CN")
    receipt = call("POST", f"{stack.base}/complaints", data=json.dumps(body), headers=JSON)
    assert receipt.status_code == 201, receipt.text
    number = receipt.json()["number"]
    supervisor = auth(stack, "supervisor", ("service",))
    act(stack, supervisor, number, "accept")
    act(stack, supervisor, number, "assign", {"handler": "handler-e2e"})
    handler = auth(stack, "handler", ("service",))
    act(stack, handler, number, "start")
    resolution = {
        "root_cause": "double debit",
        "solution": "refund",
        "result": "Refunded",
        "finding": NOT_SUBSTANTIATED,
    }
    act(stack, handler, number, "resolve", resolution)
    return number


def record(stack, number, body):
    agent = auth(stack, "intake_agent", ("service",))
    url = f"{stack.base}/staff/complaints/{number}/callbacks"
    answer = call("POST", url, data=json.dumps(body), headers={**agent, **JSON})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_mobile_only_sms_acknowledgement_then_callbacks_to_closure(stack):
    number = submit_and_resolve(stack)
    texts = [text for phone, text in sms_in_moto(stack) if phone == MOBILE]
    assert any(number in text and "/track?number=" in text for text in texts), texts
    assert not any("王五" in text for text in texts)  # no personal data in the texts
    agent = auth(stack, "intake_agent", ("service",))
    listed = call("GET", f"{stack.base}/staff/callbacks?when=all", headers=agent)
    assert listed.status_code == 200, listed.text
    [item] = [i for i in listed.json()["items"] if i["number"] == number]
    assert item["phone"] == MOBILE and item["attempts"] == 0
    for outcome, slot in (
        ("no_answer", "morning"),
        ("busy", "afternoon"),
        ("no_answer", "morning"),
    ):
        result = record(stack, number, {"outcome": outcome, "slot": slot})
    assert result["callback"]["status"] == "message_left" and result["status"] == "resolved"
    assert any("/survey?n=" in text for phone, text in sms_in_moto(stack) if phone == MOBILE)
    listed = call("GET", f"{stack.base}/staff/callbacks?when=all", headers=agent).json()
    assert number not in [i["number"] for i in listed["items"]]
    supervisor = auth(stack, "supervisor", ("service",))
    view = call("GET", f"{stack.base}/staff/complaints/{number}", headers=supervisor).json()
    reply_by = datetime.fromisoformat(view["deadlines"]["follow_up_reply"]["due"])
    run_jobs(stack, reply_by - timedelta(minutes=10))
    view = call("GET", f"{stack.base}/staff/complaints/{number}", headers=supervisor).json()
    assert view["status"] == "resolved"
    run_jobs(stack, reply_by + timedelta(minutes=1))
    view = call("GET", f"{stack.base}/staff/complaints/{number}", headers=supervisor).json()
    assert view["status"] == "closed"


def test_a_reached_satisfied_callback_closes_at_once(stack):
    number = submit_and_resolve(stack)
    answers = {"solved": True, "satisfaction": 5, "staff_attitude": 5}
    result = record(stack, number, {"outcome": "reached", "slot": "afternoon", "answers": answers})
    assert result["status"] == "closed" and result["settled_by"] == "callback"
