"""The finding over HTTP (issue 20): required for complaints, who sees the person, never on
a public surface (tracking page, messages, Open311 JSON and XML), the figures and the
assessment table (JSON, CSV, XLSX), the rebuild, and recusal (回避)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from tests.clock import pinned_at
from tests.helpers import complaint_body, post_json, sent_emails, staff_as, topic_messages

TZ = ZoneInfo("Asia/Shanghai")
HANDLING = {"root_cause": "Clerk untrained", "solution": "Training", "result": "Apologised"}
PERSON = "王五"
ACTION = "written warning, retraining"
AGAINST_SALES = {
    "substantiated": "yes",
    "valid": True,
    "responsible": {"department": "sales", "person": PERSON},
    "action": ACTION,
}
NOT_FOUND = {"substantiated": "no", "valid": False}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


pinned_clock = pinned_at(datetime(2026, 11, 2, 10, 0, tzinfo=TZ))  # a Monday


@pytest.fixture
def staff(client, token):
    return staff_as(client, token)


@pytest.fixture
def directory(aws, monkeypatch, tmp_path):
    """A staff directory (moto's Cognito pool, as `make run` makes it) in which 王五 (han-9)
    works in service."""
    import boto3

    from chalicelib.adapters import directory as module
    from scripts.bootstrap import create_staff_pool, seed_demo_staff

    people = [
        {"user_id": "han-1", "name": "钱进", "roles": ["handler"], "departments": ["service"]},
        {"user_id": "han-2", "name": "林峰", "roles": ["handler"], "departments": ["service"]},
        {"user_id": "han-9", "name": PERSON, "roles": ["handler"], "departments": ["service"]},
        {"user_id": "sup-1", "name": "孙丽", "roles": ["supervisor"], "departments": ["service"]},
    ]
    path = tmp_path / "staff.json"
    path.write_text(json.dumps({"people": people}), encoding="utf-8")
    cognito = boto3.client("cognito-idp")
    pool = create_staff_pool(cognito)
    seed_demo_staff(cognito, pool, path)
    monkeypatch.setenv("STAFF_USER_POOL_ID", pool)
    monkeypatch.setattr(module, "_directory", None)
    yield
    module._directory = None


def readable(body: bytes) -> str:
    """JSON with its characters as they are (JSON escapes 王五 as \\u738b\\u4e94)."""
    text = body.decode("utf-8")
    try:
        return json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        return text


def at(clock, day, hour=10):
    clock.at = datetime(2026, 11, day, hour, 0, tzinfo=TZ)


def in_progress(client, staff, clock, day=2, **overrides) -> tuple[str, str]:
    """A complaint received, accepted, assigned to han-1 and started: (number, token)."""
    at(clock, day)
    receipt = post_json(client, "/complaints", complaint_body(**overrides)).json_body
    boss = staff("supervisor", user="sup-1")
    for segment, body in (("accept", {}), ("assign", {"handler": "han-1"})):
        assert boss.act(receipt["number"], segment, body).status_code == 200
    assert staff("handler", user="han-1").act(receipt["number"], "start").status_code == 200
    return receipt["number"], receipt["tracking_token"]


def resolve(staff, number, finding, user="han-1"):
    body = {**HANDLING, **({"finding": finding} if finding is not None else {})}
    return staff("handler", user=user).act(number, "resolve", body)


# -- 1. the rules ---------------------------------------------------------------------------


def test_resolving_a_complaint_without_a_finding_is_refused_naming_the_field(client, staff, clock):
    number, _ = in_progress(client, staff, clock)
    response = resolve(staff, number, None)
    assert response.status_code == 400
    error = response.json_body["error"]
    assert set(error["fields"]) == {"finding"} and "finding" in error["message"]
    status = staff("supervisor").get(f"/staff/complaints/{number}").json_body["status"]
    assert status == "in_progress"


@pytest.mark.parametrize(
    ("finding", "field"),
    [
        ({"substantiated": "yes", "valid": True, "action": "x"}, "finding.responsible"),
        (
            {"substantiated": "partly", "valid": True, "responsible": {"department": "sales"}},
            "finding.action",
        ),
        ({"substantiated": "no", "valid": True}, "finding.valid"),
        ({"substantiated": "perhaps", "valid": False}, "finding.substantiated"),
        (
            {**AGAINST_SALES, "responsible": {"department": "marketing"}},
            "finding.responsible.department",
        ),
    ],
)
def test_a_finding_that_breaks_a_rule_is_refused_naming_the_field(
    client, staff, clock, finding, field
):
    number, _ = in_progress(client, staff, clock)
    response = resolve(staff, number, finding)
    assert response.status_code == 400, response.body
    assert field in response.json_body["error"]["fields"]


def test_an_inquiry_resolves_without_a_finding(client, staff, clock):
    number, _ = in_progress(client, staff, clock, kind="inquiry")
    response = resolve(staff, number, None)
    assert response.status_code == 200 and response.json_body["finding"] is None


def test_a_reopen_keeps_the_earlier_finding_in_the_history(client, staff, clock):
    number, _ = in_progress(client, staff, clock)
    assert resolve(staff, number, AGAINST_SALES).status_code == 200
    at(clock, 4)
    manager = staff("manager", ("*",), user="mgr-1")
    reopened = manager.act(number, "reopen", {"reason": "the complainant brought new facts"})
    assert reopened.status_code == 200 and reopened.json_body["finding"] is None
    history = manager.get(f"/staff/complaints/{number}/history").json_body["items"]
    reopen = next(item for item in history if item["action"] == "reopened")
    assert reopen["changes"]["finding"] == [AGAINST_SALES, None]
    assert resolve(staff, number, None).status_code == 400  # asks for a new one
    assert resolve(staff, number, NOT_FOUND).status_code == 200


# -- 2. who sees it -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "departments", "sees"),
    [
        ("handler", ("service",), False),
        ("supervisor", ("service",), False),  # the receiving department's, not sales'
        ("supervisor", ("service", "sales"), True),
        ("manager", ("*",), True),
        ("quality", ("service",), True),
        ("admin", (), True),
    ],
)
def test_the_responsible_person_is_shown_only_to_those_allowed(
    client, staff, clock, roles, departments, sees
):
    number, _ = in_progress(client, staff, clock)
    assert resolve(staff, number, AGAINST_SALES).status_code == 200
    viewer = staff(roles, departments, user="han-1" if roles == "handler" else None)
    shown = [
        viewer.get(f"/staff/complaints/{number}").body,
        viewer.get(f"/staff/complaints/{number}/history").body,
        viewer.get("/staff/complaints?status=resolved").body,
    ]
    for body in shown:
        text = readable(body)
        assert "sales" in text  # the department is seen by everyone
        assert (PERSON in text) is sees, text[:300]
    finding = viewer.get(f"/staff/complaints/{number}").json_body["finding"]
    assert finding["responsible"]["person"] == (PERSON if sees else "***")


def test_the_finding_is_on_no_public_surface(client, staff, clock, monkeypatch):
    monkeypatch.setenv("OPEN311_API_KEYS", "finding-test-key-0123456789")
    body = complaint_body(
        complainant={"name": "张三", "mobile": "13800138000", "email": "zhang@example.com"}
    )
    number, token = in_progress(client, staff, clock, **body)
    assert resolve(staff, number, AGAINST_SALES).status_code == 200
    # A second complainant hears by SMS only.
    by_sms = complaint_body(complainant={"name": "李四", "mobile": "13900139000"})
    texted, _ = in_progress(client, staff, clock, **by_sms)
    assert resolve(staff, texted, AGAINST_SALES).status_code == 200
    words = (PERSON, ACTION, "substantiated", "属实", '"valid"')
    tracking = client.http.get(f"/complaints/{number}", headers={"X-Tracking-Token": token})
    assert tracking.status_code == 200
    surfaces = {"tracking page": readable(tracking.body)}
    for fmt in ("json", "xml"):
        one = client.http.get(f"/open311/v2/requests/{number}.{fmt}")
        assert one.status_code == 200, one.body
        listed = client.http.get(f"/open311/v2/requests.{fmt}?service_request_id={number}")
        assert listed.status_code == 200, listed.body
        surfaces[f"Open311 {fmt}"] = readable(one.body) + readable(listed.body)
    mails = [m for m in sent_emails() if "zhang@example.com" in m.destinations["ToAddresses"]]
    assert mails, "the complainant was told the outcome by e-mail"
    surfaces["e-mails"] = " ".join(f"{m.subject} {m.body}" for m in mails)
    sms = list(sns_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sms_messages.values())
    assert any("13900139000" in str(message) for message in sms), "the outcome went by SMS"
    surfaces["SMS"] = " ".join(str(message) for message in sms)
    surfaces["complainant topic"] = " ".join(
        str(note) for note in topic_messages() if "complainant" in str(note)
    )
    for name, text in surfaces.items():
        for word in words:
            assert word not in text, f"{word!r} on the {name}"


# -- 3. figures and the assessment table ------------------------------------------------------


@pytest.fixture
def november(client, staff, clock):
    """Two complaints found substantiated against sales and one not (the issue's scenario);
    they were received and handled by service."""
    for day, finding in ((2, AGAINST_SALES), (3, AGAINST_SALES), (4, NOT_FOUND)):
        number, _ = in_progress(client, staff, clock, day=day)
        at(clock, day, 15)
        assert resolve(staff, number, finding).status_code == 200
    at(clock, 20)


def test_substantiation_rate_and_the_finding_counts(november, staff):
    report = staff("quality").get("/staff/reports/2026-11?kind=complaint&lang=en").json_body
    total = report["total"]["values"]
    assert total["substantiation_rate"] == {"numerator": 2, "denominator": 3, "value": 0.666667}
    assert (total["substantiated"], total["partly_substantiated"]) == (2, 0)
    assert (total["not_substantiated"], total["valid_complaints"]) == (1, 2)
    by = staff("quality").get("/staff/reports/2026-11?by=responsible&lang=en").json_body
    rows = {row["key"]: row for row in by["groups"]}
    assert rows["sales"]["values"]["substantiated"] == 2
    assert rows["-"]["values"]["not_substantiated"] == 1
    assert rows["-"]["label"] == "No responsible found"


def test_the_assessment_table_puts_sales_first_in_json_csv_and_xlsx(november, staff):
    from openpyxl import load_workbook

    quality = staff("quality")
    table = quality.get("/staff/reports/2026-11/assessment?lang=en").json_body
    first = table["groups"][0]
    assert (first["rank"], first["key"]) == (1, "sales")
    assert first["values"]["valid_complaints"] == 2
    assert first["values"]["on_time_resolution_rate"] == {
        "numerator": 2,
        "denominator": 2,
        "value": 1.0,
    }
    assert {row["key"] for row in table["groups"]} == {"service", "sales", "quality"}
    csv_text = quality.get("/staff/reports/2026-11/assessment?format=csv&lang=zh-CN").body
    rows = list(csv.reader(io.StringIO(csv_text.decode("utf-8").removeprefix("\ufeff"))))
    assert rows[0][:3] == ["名次", "责任部门", "有效投诉量"]
    assert rows[1][:3] == ["1", "sales", "2"]
    xlsx = quality.get("/staff/reports/2026-11/assessment?format=xlsx", headers={"Accept": XLSX})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.body))["2026-11"]
    assert [c.value for c in sheet[2]][:3] == [1, "sales", 2]


def test_the_assessment_is_internal(november, staff):
    assert staff("handler").get("/staff/reports/2026-11/assessment").status_code == 403
    mine = staff("supervisor", ("service",)).get("/staff/reports/2026-11/assessment").json_body
    assert [row["key"] for row in mine["groups"]] == ["service"]


def test_the_rebuild_recomputes_the_finding_figures(november):
    from chalicelib.adapters.stats_store import Maintenance
    from chalicelib.service.rebuild import rebuild
    from chalicelib.wiring import get_services

    calendar = get_services().calendar
    assert rebuild("2026-11", Maintenance(), calendar)["differences"] == []


# -- 4. recusal -----------------------------------------------------------------------------


@pytest.mark.parametrize("named", ["han-9", PERSON])
def test_the_respondent_on_staff_cannot_be_assigned_act_or_record_the_finding(
    client, staff, clock, directory, named
):
    respondent = {"department": "service", "person": named}
    number, _ = in_progress(client, staff, clock, respondent=respondent)
    boss = staff("supervisor", user="sup-1")
    refused = boss.act(number, "assign", {"handler": "han-9"})
    assert refused.status_code == 409
    error = refused.json_body["error"]
    assert error["code"] == "recused" and error["reason"] == "respondent"
    view = boss.get(f"/staff/complaints/{number}").json_body
    assert view["recused"] == [{"user_id": "han-9", "reason": "respondent"}]
    people = boss.get(f"/staff/directory?case={number}").json_body["people"]
    assert "han-9" not in [p["user_id"] for p in people]
    assert "han-9" in [p["user_id"] for p in boss.get("/staff/directory").json_body["people"]]
    # Acting as the respondent (a supervisor stepping in, or the finding) is refused.
    stepping_in = staff("supervisor", user="han-9")
    assert stepping_in.act(number, "notes", {"text": "it was not me"}).status_code == 409
    assert resolve(staff, number, NOT_FOUND, user="han-9").status_code in (403, 409)
    assert stepping_in.act(number, "resolve", {**HANDLING, "finding": NOT_FOUND}).status_code == 409


def test_a_supervisor_marks_a_conflicted_member_of_staff_with_the_same_effect(
    client, staff, clock, directory
):
    number, _ = in_progress(client, staff, clock)
    boss = staff("supervisor", user="sup-1")
    assert (
        staff("handler", user="han-1")
        .act(number, "conflicts", {"user_id": "x", "reason": "r"})
        .status_code
        == 403
    )
    marked = boss.act(
        number, "conflicts", {"user_id": "han-1", "reason": "the complainant's brother"}
    )
    assert marked.status_code == 200
    assert marked.json_body["recused"] == [
        {"user_id": "han-1", "reason": "the complainant's brother"}
    ]
    handler = staff("handler", user="han-1")
    for segment, body in (
        ("handling", {"root_cause": "x"}),
        ("resolve", {**HANDLING, "finding": NOT_FOUND}),
    ):
        response = handler.act(number, segment, body)
        assert response.status_code == 409 and response.json_body["error"]["code"] == "recused"
    assert boss.act(number, "assign", {"handler": "han-1"}).status_code == 409
    assert boss.act(number, "assign", {"handler": "han-2"}).status_code == 200
    people = boss.get(f"/staff/directory?case={number}").json_body["people"]
    assert "han-1" not in [p["user_id"] for p in people]
    history = boss.get(f"/staff/complaints/{number}/history").json_body["items"]
    audit = next(item for item in history if item["action"] == "conflict_marked")
    assert audit["actor"] == "sup-1" and audit["details"]["user_id"] == "han-1"
    assert not audit["public"]
