"""Staff API: authentication, every action and its refusals, versions, audit, masking."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.helpers import (
    NOT_SUBSTANTIATED,
    RESOLUTION,
    complaint_body,
    post_json,
    sent_emails,
    staff_as,
    topic_messages,
)


@pytest.fixture
def staff(client, token):
    """Call a staff route as a role: staff("supervisor").get(path) / .post(path, body, etag)."""
    return staff_as(client, token)


def close_case(staff, number):
    """Accept, assign, start, resolve and close the case: (supervisor, handler)."""
    supervisor, handler = staff("supervisor"), staff("handler")
    supervisor.act(number, "accept")
    supervisor.act(number, "assign", {"handler": "handler-1"})
    handler.act(number, "start")
    handler.act(number, "resolve", RESOLUTION)
    supervisor.act(number, "close")
    return supervisor, handler


def new_complaint(client, **overrides) -> str:
    return post_json(client, "/complaints", complaint_body(**overrides)).json_body["number"]


def test_no_token_is_401(client):
    # Without an Authorization header the gateway answers before the authorizer runs.
    assert client.http.get("/staff/complaints").status_code == 401


@pytest.mark.parametrize("header", ["Bearer abc.def.ghi", "Basic dXNlcjpwYXNz", "Bearer "])
def test_bad_token_is_401(client, header):
    response = client.http.get("/staff/complaints", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json_body["error"]["code"] == "unauthorized"


def test_expired_token_is_401(client):
    from scripts.mint_token import mint
    from tests.conftest import KEY_DIR

    expired = mint("sup-1", ["supervisor"], ["service"], ttl=-120, key_dir=KEY_DIR)
    response = client.http.get("/staff/complaints", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401


def test_every_staff_route_refuses_without_token(client):
    from app import app

    for path, methods in app.routes.items():
        if not path.startswith("/staff/"):
            continue
        for method in set(methods) - {"OPTIONS"}:  # CORS preflight carries no credentials
            concrete = path.replace("{number}", "TS-20260101-0001")
            response = (
                getattr(client.http, method.lower())(
                    concrete, headers={"Content-Type": "application/json"}, body=b"{}"
                )
                if method != "GET"
                else client.http.get(concrete)
            )
            assert response.status_code == 401, (method, path)


def test_drive_a_complaint_from_received_to_closed(client, staff):
    number = new_complaint(client, language="en")
    supervisor, handler = staff("supervisor"), staff("handler", user="han-1")

    assert supervisor.act(number, "accept").status_code == 200
    assert supervisor.act(number, "assign", {"handler": "han-1"}).status_code == 200
    assert handler.act(number, "start").status_code == 200
    assert handler.act(number, "wait", {"reason": "Waiting for receipts"}).status_code == 200
    assert handler.act(number, "resume").status_code == 200
    handling = {"root_cause": "Clerk untrained", "parts_used": [{"name": "Form", "quantity": 2}]}
    assert handler.act(number, "handling", handling).status_code == 200
    body = {"solution": "Training", "result": "Apologised", "finding": NOT_SUBSTANTIATED}
    resolved = handler.act(number, "resolve", body)
    assert resolved.status_code == 200, resolved.json_body
    closed = supervisor.act(number, "close")
    assert closed.status_code == 200
    assert closed.json_body["status"] == "closed"

    history = supervisor.get(f"/staff/complaints/{number}/history").json_body["items"]
    assert [item["action"] for item in history] == [
        "received",
        "accepted",
        "assigned",
        "in_progress",
        "waiting_for_complainant",
        "resumed",
        "handling_recorded",
        "resolved",
        "closed",
    ]
    assigned = history[2]
    assert assigned["actor"] == "supervisor-1" and assigned["role"] == "supervisor"
    assert assigned["changes"]["assignee"] == [None, "han-1"]
    assert assigned["changes"]["status"] == ["accepted", "assigned"]

    subjects = [mail.subject for mail in sent_emails()]
    assert any(s.startswith("Complaint accepted") for s in subjects)
    assert any(s.startswith("Complaint resolved") for s in subjects)
    handler_notes = [
        n for n in topic_messages() if n[3].get("audience", {}).get("Value") == "handler"
    ]
    assert handler_notes and handler_notes[0][3]["user"]["Value"] == "han-1"


def test_complainant_timeline_shows_only_public_events(client, staff):
    receipt = post_json(client, "/complaints", complaint_body()).json_body
    number = receipt["number"]
    supervisor = staff("supervisor")
    supervisor.act(number, "accept")
    supervisor.act(number, "notes", {"text": "Internal: customer is a journalist"})
    view = client.http.get(
        f"/complaints/{number}", headers={"X-Tracking-Token": receipt["tracking_token"]}
    ).json_body
    assert [entry["event"] for entry in view["timeline"]] == ["received", "accepted"]
    assert "journalist" not in json.dumps(view)


def test_refusal_needs_a_reason_and_tells_the_complainant(client, staff):
    number = new_complaint(client, language="en")
    supervisor = staff("supervisor")
    missing = supervisor.act(number, "refuse", {})
    assert missing.status_code == 400
    assert "reason" in missing.json_body["error"]["fields"]
    refused = supervisor.act(number, "refuse", {"reason": "Already before a court"})
    assert refused.status_code == 200 and refused.json_body["status"] == "not_accepted"
    assert "Already before a court" in sent_emails()[-1].body


def test_transfer_to_another_department_moves_it(client, staff):
    number = new_complaint(client)
    moved = staff("supervisor").act(number, "transfer", {"to": "sales", "reason": "Billing"})
    assert moved.status_code == 200
    assert moved.json_body["department"] == "sales"
    assert moved.json_body["status"] == "transferred"
    # The service supervisor can no longer act on it; the sales supervisor can.
    assert staff("supervisor").get(f"/staff/complaints/{number}").status_code == 403
    sales = staff("supervisor", "sales", user="sup-sales")
    assert sales.act(number, "accept").status_code == 200


def test_illegal_transition_is_409_naming_allowed_actions(client, staff):
    number = new_complaint(client)
    response = staff("supervisor").act(number, "close")
    assert response.status_code == 409
    error = response.json_body["error"]
    assert error["code"] == "illegal_transition"
    assert set(error["allowed"]) >= {"accept", "refuse", "transfer"}


def test_resolve_requires_root_cause_solution_and_result(client, staff):
    number = new_complaint(client)
    supervisor = staff("supervisor")
    supervisor.act(number, "accept")
    supervisor.act(number, "assign", {"handler": "handler-1"})
    handler = staff("handler")
    handler.act(number, "start")
    response = handler.act(number, "resolve", {"solution": "x"})
    assert response.status_code == 400
    assert set(response.json_body["error"]["fields"]) == {"root_cause", "result", "finding"}


def test_roles_and_departments_are_enforced(client, staff):
    number = new_complaint(client)
    assert staff("handler").act(number, "accept").status_code == 403
    assert staff("supervisor", "sales").get(f"/staff/complaints/{number}").status_code == 403
    assert staff("intake_agent").act(number, "accept").status_code == 403
    # A handler not assigned to the case may not work on it.
    supervisor = staff("supervisor")
    supervisor.act(number, "accept")
    supervisor.act(number, "assign", {"handler": "han-1"})
    assert staff("handler", user="han-2").act(number, "start").status_code == 403
    assert staff("handler", user="han-1").act(number, "start").status_code == 200


def test_reopen_needs_a_permitted_role_and_reason(client, staff):
    number = new_complaint(client)
    supervisor, handler = close_case(staff, number)
    assert supervisor.act(number, "reopen", {"reason": "New facts"}).status_code == 403
    manager = staff("manager")
    assert manager.act(number, "reopen", {}).status_code == 400
    reopened = manager.act(number, "reopen", {"reason": "New facts"})
    assert reopened.status_code == 200 and reopened.json_body["status"] == "in_progress"


def test_closed_case_cannot_be_edited(client, staff):
    number = new_complaint(client)
    supervisor = staff("supervisor")
    supervisor.act(number, "transfer", {"to": "Municipal court", "reason": "Jurisdiction"})
    assert supervisor.act(number, "close").status_code == 200
    assert supervisor.act(number, "notes", {"text": "late note"}).status_code == 409


def test_extension_request_and_decision(client, staff):
    number = new_complaint(client, language="en")
    supervisor, handler = staff("supervisor"), staff("handler")
    supervisor.act(number, "accept")
    supervisor.act(number, "assign", {"handler": "handler-1"})
    handler.act(number, "start")
    due = supervisor.get(f"/staff/complaints/{number}").json_body["deadlines"]["resolution"]["due"]
    from datetime import timedelta

    too_far = (datetime.fromisoformat(due) + timedelta(days=30)).isoformat()
    refused = handler.act(number, "extension-request", {"reason": "Parts", "new_due": too_far})
    assert refused.status_code == 400
    new_due = (datetime.fromisoformat(due) + timedelta(days=1)).isoformat()
    requested = handler.act(number, "extension-request", {"reason": "Parts", "new_due": new_due})
    assert requested.status_code == 200
    assert any("Extension requested" in (n[2] or "") for n in topic_messages())
    assert handler.act(number, "extension-decision", {"approve": True}).status_code == 403
    approved = supervisor.act(number, "extension-decision", {"approve": True})
    assert approved.status_code == 200
    assert approved.json_body["deadlines"]["resolution"]["due"] == new_due
    assert sent_emails()[-1].subject.startswith("Complaint deadline extended")


def test_stale_update_is_409_and_changes_nothing(client, staff):
    number = new_complaint(client)
    first, second = staff("supervisor", user="sup-a"), staff("supervisor", user="sup-b")
    etag = first.get(f"/staff/complaints/{number}").headers["ETag"]
    won = first.post(f"/staff/complaints/{number}/accept", {}, etag)
    lost = second.post(f"/staff/complaints/{number}/refuse", {"reason": "dup"}, etag)
    assert won.status_code == 200
    assert lost.status_code == 409
    assert lost.json_body["error"]["code"] == "stale_version"
    history = first.get(f"/staff/complaints/{number}/history").json_body["items"]
    assert [item["action"] for item in history] == ["received", "accepted"]


def test_update_without_if_match_is_428(client, staff):
    number = new_complaint(client)
    response = staff("supervisor").post(f"/staff/complaints/{number}/accept", {})
    assert response.status_code == 428


def test_confidential_identity_is_masked_for_handlers(client, staff):
    body = complaint_body()
    body["complainant"] = {**body["complainant"], "confidential": True}
    number = post_json(client, "/complaints", body).json_body["number"]
    supervisor = staff("supervisor")
    supervisor.act(number, "accept")
    supervisor.act(number, "assign", {"handler": "handler-1"})

    seen = supervisor.get(f"/staff/complaints/{number}").json_body["data"]["complainant"]
    assert seen["name"] == "张三" and seen["email"] == "zhang@example.com"

    handler = staff("handler")
    for response in (
        handler.get(f"/staff/complaints/{number}"),
        handler.act(number, "start"),
        handler.get("/staff/complaints"),
        staff("quality").get(f"/staff/complaints/{number}"),
    ):
        text = json.dumps(response.json_body, ensure_ascii=False)
        assert response.status_code == 200
        assert "张三" not in text and "zhang@example.com" not in text and "13800138000" not in text


def test_staff_records_a_phone_complaint(client, staff):
    body = complaint_body(channel="phone", received_at="2026-11-20T10:00:00+08:00")
    response = staff("intake_agent", user="agent-7").post("/staff/complaints", body)
    assert response.status_code == 201, response.json_body
    number = response.json_body["number"]
    view = staff("supervisor").get(f"/staff/complaints/{number}").json_body
    assert view["channel"] == "phone"
    assert view["received_at"].startswith("2026-11-20T10:00:00")
    history = staff("supervisor").get(f"/staff/complaints/{number}/history").json_body["items"]
    assert history[0]["actor"] == "agent-7" and history[0]["role"] == "intake_agent"
    # Audited when it was recorded, with the date it was received.
    assert history[0]["details"]["received_at"].startswith("2026-11-20T10:00:00")
    assert not history[0]["at"].startswith("2026-11-20T02:00")


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"channel": "web"}, "channel"),
        ({"received_at": "2999-01-01T00:00:00+08:00"}, "received_at"),
        ({"received_at": "2026-11-20T10:00:00"}, "received_at"),
    ],
)
def test_staff_intake_refusals(client, staff, changes, field):
    body = complaint_body(channel="phone", received_at="2026-11-20T10:00:00+08:00")
    body.update(changes)
    response = staff("intake_agent").post("/staff/complaints", body)
    assert response.status_code == 400
    assert any(
        key.startswith(field) or key == "body" for key in response.json_body["error"]["fields"]
    )


@pytest.mark.parametrize(
    "received_at", ["0001-01-01T00:00:00+08:00", "1900-01-01T00:00:00Z", "2019-12-31T23:59:00Z"]
)
def test_staff_intake_refuses_dates_nobody_could_mean(client, staff, received_at):
    """Issue 13 item 6: bounded by RECEIVED_SINCE and RECEIVED_LOOKBACK_DAYS, clearly."""
    body = complaint_body(channel="letter", received_at=received_at)
    response = staff("intake_agent").post("/staff/complaints", body)
    assert response.status_code == 400, response.json_body
    message = response.json_body["error"]["fields"]["received_at"]
    assert message.startswith("must not be before ") and "days back" in message


@pytest.mark.time_sensitive
def test_staff_intake_takes_a_letter_from_within_the_look_back(client, staff, clock, monkeypatch):
    from datetime import timedelta

    old = (clock.now() - timedelta(days=300)).isoformat(timespec="seconds")
    body = complaint_body(channel="letter", received_at=old)
    assert staff("intake_agent").post("/staff/complaints", body).status_code == 201
    monkeypatch.setenv("RECEIVED_LOOKBACK_DAYS", "30")
    from chalicelib import config, wiring

    config.get_settings.cache_clear()
    wiring.set_services(None)
    try:
        response = staff("intake_agent").post("/staff/complaints", body)
        assert response.status_code == 400
        assert "30 days back" in response.json_body["error"]["fields"]["received_at"]
    finally:
        monkeypatch.delenv("RECEIVED_LOOKBACK_DAYS")
        config.get_settings.cache_clear()
        wiring.set_services(None)


def test_list_filters_and_cursor(client, staff):
    numbers = [new_complaint(client) for _ in range(5)]
    supervisor = staff("supervisor")
    supervisor.act(numbers[0], "accept")
    page = supervisor.get("/staff/complaints?limit=2").json_body
    assert len(page["items"]) == 2 and page["next_cursor"]
    seen = [item["number"] for item in page["items"]]
    while page["next_cursor"]:
        page = supervisor.get(f"/staff/complaints?limit=2&cursor={page['next_cursor']}").json_body
        seen += [item["number"] for item in page["items"]]
    assert sorted(seen) == sorted(numbers)

    accepted = supervisor.get("/staff/complaints?status=accepted").json_body["items"]
    assert [item["number"] for item in accepted] == [numbers[0]]
    by_grade = supervisor.get("/staff/complaints?grade=C&department=service").json_body["items"]
    assert len(by_grade) == 5
    assert supervisor.get("/staff/complaints?status=nonsense").status_code == 400
    assert supervisor.get("/staff/complaints?department=sales").status_code == 403
    assert supervisor.get("/staff/complaints?cursor=garbage").status_code == 400


def walk(who, query: str, limit: int = 50) -> tuple[list[str], list[dict]]:
    """Every page of a list, following next_cursor until it is null."""
    numbers, pages, cursor = [], [], None
    for _ in range(limit):
        path = f"/staff/complaints?{query}" + (f"&cursor={cursor}" if cursor else "")
        response = who.get(path)
        assert response.status_code == 200, response.json_body
        pages.append(response.json_body)
        numbers += [item["number"] for item in response.json_body["items"]]
        cursor = response.json_body["next_cursor"]
        if not cursor:
            return numbers, pages
    raise AssertionError("the list never ended")


def _letter_received(clock, days_ago: int) -> dict:
    from datetime import timedelta

    when = clock.now() - timedelta(days=days_ago)
    return complaint_body(channel="letter", received_at=when.isoformat(timespec="seconds"))


@pytest.mark.time_sensitive
def test_the_organisation_wide_list_keeps_old_open_cases(client, staff, clock):
    """Issue 13 item 4: an open letter received 150 days ago is in the unfiltered list."""
    old = staff("intake_agent").post("/staff/complaints", _letter_received(clock, 150)).json_body
    recent = new_complaint(client)
    admin = staff("admin", ())
    numbers, pages = walk(admin, "limit=50")
    assert old["number"] in numbers and recent in numbers
    assert pages[0]["window"]["received_from"] == "2020-01-01"
    today = clock.now().astimezone(ZoneInfo("Asia/Shanghai")).date()  # the organisation's day
    assert pages[0]["window"]["received_to"] == today.isoformat()


@pytest.mark.time_sensitive
def test_every_list_request_does_bounded_work(client, staff, clock, monkeypatch):
    """Issue 13 item 5: an old received_from pages across months through the cursor,
    at most MAX_QUERIES Query calls per request."""
    from pynamodb.connection.base import Connection

    old = staff("intake_agent").post("/staff/complaints", _letter_received(clock, 300)).json_body
    recent = new_complaint(client)
    calls: list[int] = []
    real = Connection.query

    def counted(self, *args, **kwargs):
        calls[-1] += 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Connection, "query", counted)
    admin = staff("admin", ())
    numbers, cursor, requests = [], None, 0
    while True:
        calls.append(0)
        query = "received_from=2020-01-01" + (f"&cursor={cursor}" if cursor else "")
        page = admin.get(f"/staff/complaints?{query}").json_body
        requests += 1
        numbers += [item["number"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert max(calls) <= 12, calls  # adapters/queries.py MAX_QUERIES
    assert requests > 1  # the months since 2020 take several requests
    assert sorted(numbers) == sorted([old["number"], recent])


@pytest.mark.parametrize(
    "query",
    [
        "received_to=9999-12-31",
        "received_from=0001-01-01",
        "received_from=2000-01-01",
        "received_from=1900-01-01&received_to=2026-01-01",
        "received_to=2019-12-31&department=service",
    ],
)
def test_list_dates_out_of_range_are_400(client, staff, query):
    response = staff("admin", ()).get(f"/staff/complaints?{query}")
    assert response.status_code == 400, response.json_body
    [field] = response.json_body["error"]["fields"]
    assert field in query
    assert "must be between 2020-01-01 and " in response.json_body["error"]["fields"][field]


def test_handlers_list_only_their_cases(client, staff):
    mine, other = new_complaint(client), new_complaint(client)
    supervisor = staff("supervisor")
    for number, handler in ((mine, "han-1"), (other, "han-2")):
        supervisor.act(number, "accept")
        supervisor.act(number, "assign", {"handler": handler})
    items = staff("handler", user="han-1").get("/staff/complaints").json_body["items"]
    assert [item["number"] for item in items] == [mine]


def test_listing_never_scans(client, staff, monkeypatch):
    from pynamodb.connection.base import Connection

    def no_scan(*args, **kwargs):
        raise AssertionError("Scan on a request path")

    monkeypatch.setattr(Connection, "scan", no_scan)
    new_complaint(client)
    for query in ("", "?status=received", "?grade=C", "?assignee=x", "?received_from=2026-01-01"):
        assert staff("admin", ()).get(f"/staff/complaints{query}").status_code == 200


def test_withdraw_with_token(client):
    receipt = post_json(client, "/complaints", complaint_body()).json_body
    path = f"/complaints/{receipt['number']}/withdraw"
    wrong = post_json(client, path, {}, {"X-Tracking-Token": "nope"})
    assert wrong.status_code == 404
    done = post_json(
        client, path, {"reason": "Sorted"}, {"X-Tracking-Token": receipt["tracking_token"]}
    )
    assert done.status_code == 200 and done.json_body["status"] == "withdrawn"
    again = post_json(client, path, {}, {"X-Tracking-Token": receipt["tracking_token"]})
    assert again.status_code == 409


def test_recomplaint_opens_a_linked_case_one_grade_up(client, staff):
    receipt = post_json(client, "/complaints", complaint_body()).json_body
    number = receipt["number"]
    supervisor, handler = staff("supervisor"), staff("handler")
    headers = {"X-Tracking-Token": receipt["tracking_token"]}
    early = post_json(client, f"/complaints/{number}/recomplaint", {"description": "x"}, headers)
    assert early.status_code == 409
    supervisor.act(number, "accept")
    supervisor.act(number, "assign", {"handler": "handler-1"})
    handler.act(number, "start")
    handler.act(number, "resolve", RESOLUTION)

    again = post_json(
        client, f"/complaints/{number}/recomplaint", {"description": "Still rude"}, headers
    )
    assert again.status_code == 201
    new_number = again.json_body["number"]
    new = supervisor.get(f"/staff/complaints/{new_number}").json_body
    original = supervisor.get(f"/staff/complaints/{number}").json_body
    assert new["related_to"] == number and new["grade"] == "B"
    assert original["recomplaints"] == [new_number] and original["status"] == "closed"


def test_a_recomplaint_leaves_a_closed_original_untouched(client, staff):
    """Nothing changes a closed case but reopen: the link lives on the new case."""
    receipt = post_json(client, "/complaints", complaint_body()).json_body
    number = receipt["number"]
    supervisor, handler = close_case(staff, number)
    before = supervisor.get(f"/staff/complaints/{number}")

    headers = {"X-Tracking-Token": receipt["tracking_token"]}
    again = post_json(client, f"/complaints/{number}/recomplaint", {"description": "x"}, headers)

    assert again.status_code == 201, again.json_body
    new = supervisor.get(f"/staff/complaints/{again.json_body['number']}").json_body
    assert new["related_to"] == number
    after = supervisor.get(f"/staff/complaints/{number}")
    assert after.headers["ETag"] == before.headers["ETag"]
    assert after.json_body == before.json_body


def test_grades_a_and_b_are_for_managers_and_shorten_deadlines(client, staff):
    number = new_complaint(client)
    supervisor, manager = staff("supervisor"), staff("manager")
    supervisor.act(number, "accept")
    before = supervisor.get(f"/staff/complaints/{number}").json_body["deadlines"]["resolution"]
    assert supervisor.act(number, "grade", {"grade": "A", "reason": "Media"}).status_code == 403
    raised = manager.act(number, "grade", {"grade": "A", "reason": "Media"})
    assert raised.status_code == 200 and raised.json_body["grade"] == "A"
    assert raised.json_body["deadlines"]["resolution"]["due"] < before["due"]
    assert any(n[2] == f"Grade A {number}" for n in topic_messages())


def test_an_extension_is_not_approved_by_who_asked(client, staff):
    number = new_complaint(client)
    supervisor = staff("supervisor")
    supervisor.act(number, "accept")
    supervisor.act(number, "assign", {"handler": "supervisor-1"})
    supervisor.act(number, "start")
    due = supervisor.get(f"/staff/complaints/{number}").json_body["deadlines"]["resolution"]["due"]
    from datetime import timedelta

    new_due = (datetime.fromisoformat(due) + timedelta(days=1)).isoformat()
    supervisor.act(number, "extension-request", {"reason": "Parts", "new_due": new_due})
    assert supervisor.act(number, "extension-decision", {"approve": True}).status_code == 403


def test_a_cached_authorizer_answer_does_not_outlive_the_token(token):
    """API Gateway may reuse an authorizer's answer for minutes; expiry still holds."""
    import time as clock

    from chalicelib.http.auth import current_actor, staff_authorizer
    from chalicelib.http.errors import HttpError

    bearer = token("supervisor")

    class AuthRequest:
        token = bearer
        method_arn = "arn:aws:execute-api:us-east-1:123456789012:api/stage/GET/staff"

    answer = staff_authorizer(AuthRequest).to_dict(AuthRequest)
    context = {**answer["context"], "principalId": answer["principalId"]}

    class Request:
        headers = {}

    Request.context = {"authorizer": context}
    assert current_actor(Request).user_id == "supervisor-1"
    context["expires"] = str(int(clock.time()) - 60)
    with pytest.raises(HttpError) as refused:
        current_actor(Request)
    assert refused.value.status == 401
