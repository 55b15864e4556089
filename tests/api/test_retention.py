"""Personal-data retention (issue 21 item 6): the job anonymises cases final for longer than
RETENTION_YEARS, once, without moving a statistic, and deletes every version of their files."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import boto3
import pytest

from chalicelib.adapters.clock import FixedClock
from chalicelib.domain.actor import Actor
from chalicelib.domain.lifecycle import Action
from chalicelib.domain.retention import REDACTED
from tests.helpers import NOT_SUBSTANTIATED, complaint_body, post_json

TZ = ZoneInfo("Asia/Shanghai")
RECEIVED = datetime(2026, 11, 2, 10, 0, tzinfo=TZ)  # a Monday
SUP = Actor(user_id="sup-1", roles=["supervisor"], departments=["*"])
BUCKET = "complaints-attachments-test"
FINDING = {"finding": NOT_SUBSTANTIATED}
TOKENS: dict[str, str] = {}
PNG = {"filename": "李雷.png", "content_type": "image/png", "size_bytes": 4}


@pytest.fixture
def services(client):
    from chalicelib.wiring import get_services

    services = get_services()
    services.clock = FixedClock(RECEIVED)
    return services


def closed_case(client, services) -> tuple[str, str]:
    """A case with contact details in its text, a reply and a file of two versions, closed."""
    from chalicelib.service import staff
    from chalicelib.service.conversation import post_reply

    body = complaint_body(
        description="Call me on 139 1234 5678 or write to lilei@example.com please",
        complainant={"name": "李雷", "mobile": "13912345678", "email": "lilei@example.com"},
    )
    receipt = post_json(client, "/complaints", body).json_body
    TOKENS[receipt["number"]] = receipt["tracking_token"]
    number, headers = receipt["number"], {"X-Tracking-Token": receipt["tracking_token"]}
    grant = post_json(client, f"/complaints/{number}/attachments", PNG, headers).json_body
    s3 = boto3.client("s3")
    for data in (b"one!", b"two!"):  # two versions of the same key
        s3.put_object(
            Bucket=BUCKET, Key=grant["upload"]["fields"]["key"], Body=data, ContentType="image/png"
        )
    assert client.http.post(grant["confirm_url"], headers=headers).status_code == 200
    post_reply(number, receipt["tracking_token"], {"text": "我的新号码 13800001111"}, services)
    for action, command in (
        (Action.accept, {}),
        (Action.assign, {"handler": "sup-1"}),
        (Action.start, {}),
        (Action.resolve, {"root_cause": "c", "solution": "s", "result": "r", **FINDING}),
        (Action.close, {}),
    ):
        complaint = services.complaints.load(number)
        staff.act(number, action, command, SUP, complaint.version, services)
    return number, grant["upload"]["fields"]["key"]


def versions(key: str) -> int:
    page = boto3.client("s3").list_object_versions(Bucket=BUCKET, Prefix=key)
    return len(page.get("Versions", [])) + len(page.get("DeleteMarkers", []))


def run(services, when):
    from chalicelib.service.retention import anonymise_due

    services.clock = FixedClock(when)
    return anonymise_due(services, when)


def test_a_case_closed_three_years_ago_is_anonymised_once(client, services):
    from chalicelib.adapters.stats_store import Maintenance
    from chalicelib.service.rebuild import rebuild

    number, key = closed_case(client, services)
    before = services.complaints.load(number)
    cells = services.complaints.report_cells("2026-11")
    assert versions(key) == 2

    early = run(services, before.closed_at + timedelta(days=3 * 365 - 2))
    assert early.anonymised == 0 and services.complaints.load(number).anonymised_at is None

    later = before.closed_at.replace(year=before.closed_at.year + 3) + timedelta(minutes=1)
    report = run(services, later)
    assert report.numbers == [number] and report.files_deleted == 2
    after, events = services.complaints.load_with_events(number)
    person = after.data.complainant
    assert (person.name, person.mobile, person.email) == (None, None, None)
    assert "13912345678" not in after.model_dump_json()
    assert "lilei@example.com" not in after.data.description
    assert REDACTED in after.data.description and after.attachments == []
    # The case itself and its figures stay.
    kept = ("number", "status", "grade", "department", "received_at", "closed_at", "deadlines")
    assert {f: getattr(after, f) for f in kept} == {f: getattr(before, f) for f in kept}
    assert after.data.category == before.data.category
    assert services.complaints.report_cells("2026-11") == cells
    assert rebuild("2026-11", Maintenance(), services.calendar)["differences"] == []
    assert versions(key) == 0
    # The complainant's own reply loses the number; the audit trail records it once.
    texts = [e.details.get("text", "") for e in events if e.type == "complainant_replied"]
    assert texts and all("13800001111" not in text for text in texts)
    assert [e.type for e in events].count("anonymised") == 1
    assert "lilei" not in str([(e.details, e.changes) for e in events])
    entries = services.complaints.load_thread(number)[2]
    assert entries and all("lilei" not in f"{e.message}" for e in entries)
    # A second run changes nothing and reads nothing of it.
    again = run(services, later + timedelta(days=1))
    assert (again.due, again.anonymised) == (0, 0)
    assert services.complaints.load(number).version == after.version


def test_anonymised_case_is_not_found_by_phone_email_or_token(client, services, token):
    number, _ = closed_case(client, services)
    closed = services.complaints.load(number).closed_at
    auth = {"Authorization": token("supervisor", "service")}
    for query in ("phone=13912345678", "email=lilei@example.com"):
        found = client.http.get(f"/staff/search?{query}", headers=auth).json_body
        assert [item["number"] for item in found["items"]] == [number]
    run(services, closed.replace(year=closed.year + 3) + timedelta(hours=1))
    for query in ("phone=13912345678", "email=lilei@example.com"):
        found = client.http.get(f"/staff/search?{query}", headers=auth).json_body
        assert found["items"] == []
    staff_view = client.http.get(f"/staff/complaints/{number}", headers=auth)
    assert staff_view.status_code == 200
    assert staff_view.json_body["data"]["complainant"].get("name") is None


def test_the_tracking_token_no_longer_opens_the_case(client, services):
    number, _ = closed_case(client, services)
    tracking = services.complaints.load_with_events(number)[1]
    assert tracking
    closed = services.complaints.load(number).closed_at
    receipt_token = TOKENS[number]
    opened = client.http.get(f"/complaints/{number}", headers={"X-Tracking-Token": receipt_token})
    assert opened.status_code == 200
    run(services, closed.replace(year=closed.year + 3) + timedelta(hours=1))
    gone = client.http.get(f"/complaints/{number}", headers={"X-Tracking-Token": receipt_token})
    assert gone.status_code == 404


def test_overlapping_runs_anonymise_once(client, services, monkeypatch):
    from moto.core.botocore_stubber import BotocoreStubber

    # moto's transactions are not atomic between threads (docs: STACK-NOTES): one call
    # at a time, as DynamoDB would serialise them.
    lock, original = threading.Lock(), BotocoreStubber.__call__

    def atomic(self, *args, **kwargs):
        with lock:
            return original(self, *args, **kwargs)

    monkeypatch.setattr(BotocoreStubber, "__call__", atomic)
    number, _ = closed_case(client, services)
    closed = services.complaints.load(number).closed_at
    when = closed.replace(year=closed.year + 3) + timedelta(hours=1)
    from chalicelib.adapters import retention as store
    from chalicelib.service.retention import anonymise_due

    # Both runs read the case before either commits.
    barrier = threading.Barrier(2)
    real_load = store.load_case

    def load_then_wait(n):
        loaded = real_load(n)
        barrier.wait(timeout=10)
        return loaded

    reports = []
    store.load_case = load_then_wait
    try:
        threads = [
            threading.Thread(target=lambda: reports.append(anonymise_due(services, when)))
            for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        store.load_case = real_load
    assert sorted(r.anonymised for r in reports) == [0, 1]
    events = services.complaints.load_with_events(number)[1]
    assert [e.type for e in events].count("anonymised") == 1


def test_a_reopened_case_leaves_the_work_list(client, services):
    from chalicelib.service import staff

    number, _ = closed_case(client, services)
    complaint = services.complaints.load(number)
    manager = Actor(user_id="mgr-1", roles=["manager"], departments=["*"])
    staff.act(number, Action.reopen, {"reason": "not fixed"}, manager, complaint.version, services)
    closed = complaint.closed_at
    report = run(services, closed.replace(year=closed.year + 3) + timedelta(hours=1))
    assert (report.due, report.anonymised) == (0, 0)
    assert services.complaints.load(number).data.complainant.name == "李雷"


def test_cases_closed_before_the_index_are_brought_in_by_reindex(client, services):
    from chalicelib.adapters.dynamo import ComplaintItem
    from chalicelib.adapters.reindex import reindex

    number, _ = closed_case(client, services)
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    key = {"pk": {"S": f"C#{number}"}, "sk": {"S": "META"}}
    remove = "REMOVE closed_pk, closed_sk"
    dynamodb.update_item(TableName="complaints-test", Key=key, UpdateExpression=remove)
    closed = services.complaints.load(number).closed_at
    when = closed.replace(year=closed.year + 3) + timedelta(hours=1)
    assert run(services, when).due == 0  # not in the index: never seen
    version = ComplaintItem.get(f"C#{number}", "META").version
    assert reindex("local-only-limit-key")["retained"] == 1
    assert ComplaintItem.get(f"C#{number}", "META").version == version  # the ETag holds
    assert reindex("local-only-limit-key")["retained"] == 0
    assert run(services, when).numbers == [number]
    assert reindex("local-only-limit-key")["retained"] == 0  # anonymised: out for good


def admin_get(client, token, path):
    return client.http.get(path, headers={"Authorization": token("admin", "*", user="admin-1")})


def test_retention_years_come_from_the_settings_and_the_admin_audit_records_it(
    client, services, token
):
    import json

    number, _ = closed_case(client, services)
    closed = services.complaints.load(number).closed_at
    settings = admin_get(client, token, "/staff/admin/settings")
    body = {**settings.json_body, "retention_years": 5}
    body.pop("version", None)
    headers = {
        "Authorization": token("admin", "*", user="admin-1"),
        "Content-Type": "application/json",
        "If-Match": settings.headers["ETag"],
    }
    changed = client.http.put("/staff/admin/settings", headers=headers, body=json.dumps(body))
    assert changed.status_code == 200, changed.json_body
    after_three = closed.replace(year=closed.year + 3) + timedelta(hours=1)
    assert run(services, after_three).anonymised == 0  # five years now
    after_five = closed.replace(year=closed.year + 5) + timedelta(hours=1)
    assert run(services, after_five).numbers == [number]
    month = after_five.astimezone(ZoneInfo("UTC")).strftime("%Y-%m")
    audit = admin_get(client, token, f"/staff/admin/audit?month={month}").json_body
    (entry,) = [e for e in audit["items"] if e["action"] == "retention.anonymise"]
    assert entry["target"] == f"complaint:{number}" and entry["actor"] == "scheduler"
    assert "lilei" not in json.dumps(audit) and "13912345678" not in json.dumps(audit)
