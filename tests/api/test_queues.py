"""The console's staff routes: queues sorted by deadline, counts, paging, directory scope."""

from pathlib import Path

import pytest

from tests.helpers import StaffCalls, complaint_body, post_json, staff_as

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def staff(client, token):
    class As(StaffCalls):
        def act(self, number, segment, body=None):
            return self.act_ok(number, segment, body).json_body

    return staff_as(client, token, As)


def submit(client, **overrides) -> str:
    response = post_json(client, "/complaints", complaint_body(**overrides))
    assert response.status_code == 201, response.body
    return response.json_body["number"]


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.body
    return [item["number"] for item in response.json_body["items"]]


@pytest.mark.time_sensitive
def test_to_accept_is_sorted_by_the_nearest_deadline(client, staff):
    # An inquiry-grade case (D) is due later than a complaint affecting many people (B).
    late = submit(client, kind="inquiry")
    early = submit(client, people_affected=50)
    other_department = submit(client, department="sales")
    sup = staff("supervisor", user="sup-1")
    items = sup.get("/staff/queues/to_accept").json_body["items"]
    assert [item["number"] for item in items] == [early, late]
    assert other_department not in [item["number"] for item in items]
    dues = [item["clock"]["deadlines"][item["clock"]["nearest"]]["due"] for item in items]
    assert dues == sorted(dues)
    assert items[0]["clock"]["deadlines"]["acceptance"]["overdue"] is False


def test_paging_with_the_cursor_returns_each_case_once(client, staff):
    made = {submit(client) for _ in range(5)}
    sup = staff("supervisor")
    seen, cursor = [], None
    for _ in range(10):
        path = "/staff/queues/to_accept?limit=2" + (f"&cursor={cursor}" if cursor else "")
        response = sup.get(path)
        seen += numbers(response)
        cursor = response.json_body["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(made)


@pytest.mark.time_sensitive
def test_counts_follow_the_work(client, staff):
    number = submit(client)
    sup = staff("supervisor", user="sup-1")
    counts = {q["queue"]: q["count"] for q in sup.get("/staff/queues").json_body["queues"]}
    assert counts["to_accept"] == 1 and counts["mine"] == 0
    sup.act(number, "accept")
    sup.act(number, "assign", {"handler": "handler-1"})
    handler = staff("handler", user="handler-1")
    counts = {q["queue"]: q["count"] for q in handler.get("/staff/queues").json_body["queues"]}
    [case] = handler.get("/staff/queues/mine").json_body["items"]
    assert case["number"] == number
    # Due soon or not depends on "now": on a working morning the deadline is more than 8
    # working hours away, on a Sunday Monday's deadline is within them. The count and the
    # due queue follow the case's own clock, whatever the instant (tests/README.md).
    due_soon = any(d["due_soon"] for d in case["clock"]["deadlines"].values())
    assert counts == {"mine": 1, "due": int(due_soon), "waiting": 0, "replied": 0}
    assert numbers(handler.get("/staff/queues/due")) == ([number] if due_soon else [])
    # Another handler sees nothing of it.
    assert numbers(staff("handler", user="handler-2").get("/staff/queues/mine")) == []


def test_filters_narrow_a_queue(client, staff):
    billing = submit(client, category="billing")
    submit(client, category="delivery")
    sup = staff("supervisor")
    assert numbers(sup.get("/staff/queues/to_accept?category=billing")) == [billing]
    assert numbers(sup.get("/staff/queues/to_accept?channel=phone")) == []
    assert sup.get("/staff/queues/to_accept?grade=Z").status_code == 400
    assert sup.get("/staff/queues/to_accept?department=sales").status_code == 403
    assert sup.get("/staff/queues/nothing").status_code == 404
    # A handler does not accept cases.
    assert staff("handler").get("/staff/queues/to_accept").status_code == 403


def test_a_bad_cursor_is_400(client, staff):
    response = staff("supervisor").get("/staff/queues/to_accept?cursor=bm90LWEtY3Vyc29y")
    assert response.status_code == 400


@pytest.mark.time_sensitive
def test_finished_cases_leave_the_queues(client, staff):
    number = submit(client)
    sup = staff("supervisor")
    sup.act(number, "refuse", {"reason": "Not our business"})
    assert numbers(sup.get("/staff/queues/to_accept")) == []
    assert numbers(sup.get("/staff/queues/due")) == []


def test_the_directory_lists_only_the_callers_departments(client, staff, staff_pool):
    sup = staff("supervisor", ("service",))
    people = sup.get("/staff/directory").json_body["people"]
    assert people and all(p["departments"] == ["service"] for p in people)
    assert {"handler-service", "handler2-service"} <= {p["user_id"] for p in people}
    assert "handler-sales" not in {p["user_id"] for p in people}
    assert sup.get("/staff/directory?department=sales").status_code == 403
    assert sup.get("/staff/directory?dept=sales").status_code == 400
    both = staff("manager", ("service", "sales")).get("/staff/directory?department=sales")
    assert {p["departments"][0] for p in both.json_body["people"]} == {"sales"}


def test_the_directory_without_a_source_is_503(client, staff, monkeypatch):
    from chalicelib.adapters import directory

    monkeypatch.delenv("STAFF_USER_POOL_ID", raising=False)
    monkeypatch.setattr(directory, "_directory", None)
    assert staff("supervisor").get("/staff/directory").status_code == 503


def test_the_cognito_directory_reads_groups(aws):
    import boto3

    from chalicelib.adapters.directory import CognitoDirectory

    cognito = boto3.client("cognito-idp")
    pool = cognito.create_user_pool(PoolName="staff")["UserPool"]["Id"]
    cognito.create_group(UserPoolId=pool, GroupName="handler")
    cognito.create_group(UserPoolId=pool, GroupName="supervisor")
    attributes = [
        {"Name": "name", "Value": "Wang"},
        {"Name": "custom:departments", "Value": "service,sales"},
    ]
    cognito.admin_create_user(UserPoolId=pool, Username="wang", UserAttributes=attributes)
    cognito.admin_add_user_to_group(UserPoolId=pool, Username="wang", GroupName="handler")
    (person,) = CognitoDirectory(pool).people()
    assert person.name == "Wang" and person.roles == ("handler",)
    assert person.departments == ("sales", "service")
