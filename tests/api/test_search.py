"""Lookup (issue 18): phone and e-mail spellings, confidentiality and scope through search,
paging, the access log, and no plaintext identity in any key of the table."""

import json
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from chalicelib.adapters.schema import complaints_table
from tests.clock import pinned_at
from tests.helpers import StaffCalls, complaint_body, post_json, staff_as

NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)  # a Sunday, 11:00 in Shanghai


pinned_clock = pinned_at(NOW)


@pytest.fixture
def staff(client, token):
    class As(StaffCalls):
        def get(self, path, **params):
            query = "&".join(f"{k}={v}" for k, v in params.items())
            url = f"{path}?{query}" if query else path
            return client.http.get(url, headers={"Authorization": self.auth})

        def search(self, **params):
            from urllib.parse import urlencode

            url = f"/staff/search?{urlencode(params)}"
            return client.http.get(url, headers={"Authorization": self.auth})

        def act(self, number, segment, body=None):
            return self.act_ok(number, segment, body).json_body

    return staff_as(client, token, As)


def submit(client, clock, complainant=None, **overrides) -> str:
    clock.at += timedelta(minutes=1)  # newest first needs distinct times
    body = complaint_body(**overrides)
    if complainant is not None:
        body["complainant"] = complainant
    response = post_json(client, "/complaints", body)
    assert response.status_code == 201, response.body
    return response.json_body["number"]


def found(response) -> list[str]:
    assert response.status_code == 200, response.body
    return [item["number"] for item in response.json_body["items"]]


CALLER = {
    "name": "赵六",
    "mobile": "13912345678",
    "office_phone": "(010) 6552 1234",
    "email": "Zhao.Liu@Example.com",
}


@pytest.mark.parametrize(
    "phone",
    [
        "+86 139-1234-5678",
        "13912345678",
        "008613912345678",
        "139 1234 5678",
        "(010) 6552 1234",
        "010-65521234",
        "+86 10 6552 1234",
        "01065521234",
    ],
)
def test_any_spelling_of_a_number_finds_the_caller(client, clock, staff, phone):
    number = submit(client, clock, CALLER)
    submit(client, clock, {"name": "Other", "mobile": "13912345679"})
    sup = staff("supervisor")
    assert found(sup.search(phone=phone)) == [number]


@pytest.mark.parametrize(
    "email", ["zhao.liu@example.com", "ZHAO.LIU@EXAMPLE.COM", " Zhao.Liu@Example.com "]
)
def test_email_ignores_case(client, clock, staff, email):
    number = submit(client, clock, CALLER)
    assert found(staff("supervisor").search(email=email)) == [number]
    assert found(staff("supervisor").search(email="zhao.liu@example.org")) == []


def test_results_say_what_and_where_but_not_who(client, clock, staff):
    number = submit(client, clock, CALLER, subject="Wrong bill")
    page = staff("intake_agent").search(phone="13912345678").json_body
    assert page["kind"] == "phone" and page["next_cursor"] is None
    (item,) = page["items"]
    assert item["number"] == number and item["subject"] == "Wrong bill"
    assert item["open"] is True and item["status"] == "received"
    assert item["department"] == "service" and item["grade"]
    assert item["received_at"].startswith("2026-12-06T03:01")
    assert "赵六" not in json.dumps(page, ensure_ascii=False)


def test_a_confidential_complainant_is_found_only_by_who_may_see_them(client, clock, staff):
    secret = {**CALLER, "confidential": True}
    hidden = submit(client, clock, secret)
    sup = staff("supervisor", user="sup-1")
    sup.act(hidden, "accept")
    sup.act(hidden, "assign", {"handler": "handler-1"})
    handler = staff("handler", user="handler-1")
    # The handler works the case (and finds it by its number, masked) ...
    assert found(handler.search(number=hidden)) == [hidden]
    # ... but finds nothing of it by the complainant's identity: no item, no cursor.
    for key in ({"phone": "13912345678"}, {"email": "zhao.liu@example.com"}):
        page = handler.search(**key).json_body
        assert page["items"] == [] and page["next_cursor"] is None
        assert staff("intake_agent").search(**key).json_body["items"] == []
        assert found(sup.search(**key)) == [hidden]
    # A non-confidential case of the same number stays findable for everyone.
    plain = submit(client, clock, CALLER)
    assert found(staff("intake_agent").search(phone="13912345678")) == [plain]
    assert found(sup.search(phone="13912345678")) == [plain, hidden]


def test_departments_outside_the_scope_are_never_returned(client, clock, staff):
    service = submit(client, clock, CALLER)
    sales = submit(client, clock, CALLER, department="sales")
    quality = submit(client, clock, {**CALLER, "confidential": True}, department="quality")
    assert found(staff("supervisor", ["service"]).search(phone="13912345678")) == [service]
    assert found(staff("supervisor", ["sales"]).search(email="ZHAO.LIU@example.com")) == [sales]
    everywhere = staff("director", ["*"]).search(phone="13912345678")
    assert found(everywhere) == [quality, sales, service]
    both = staff("supervisor", ["service", "sales"]).search(phone="13912345678")
    assert found(both) == [sales, service]
    # A handler sees his department's cases, as everywhere in the staff API, but not the
    # confidential complainant's.
    assert found(staff("handler", ["service", "quality"]).search(phone="13912345678")) == [service]


def test_pages_follow_the_cursor_newest_first(client, clock, staff):
    numbers = [submit(client, clock, CALLER) for _ in range(5)]
    confidential = [submit(client, clock, {**CALLER, "confidential": True}) for _ in range(2)]
    expected = list(reversed(numbers + confidential))
    sup = staff("supervisor")
    seen, cursor = [], None
    while True:
        params = {"phone": "+86 139 1234 5678", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = sup.search(**params).json_body
        assert len(page["items"]) <= 2
        seen += [item["number"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == expected
    other = sup.search(email="zhao.liu@example.com", cursor=page_cursor(sup))
    assert other.status_code == 400
    assert sup.search(phone="13912345678", cursor="bm90LWEtY3Vyc29y").status_code == 400


def page_cursor(sup):
    return sup.search(phone="13912345678", limit=1).json_body["next_cursor"]


def test_respondent_number_and_token_are_keys_too(client, clock, staff):
    about = {"department": "城东 配送站", "person": "Wang  Wei"}
    number = submit(client, clock, CALLER, respondent=about)
    submit(client, clock, CALLER, respondent={"department": "城西配送站"})
    sup = staff("supervisor")
    assert found(sup.search(respondent_department="城东   配送站")) == [number]
    assert found(sup.search(respondent_person="wang wei")) == [number]
    assert found(sup.search(number=number.lower())) == [number]
    assert found(sup.search(number="TS-20991231-0001")) == []


def test_token_search(client, clock, staff):
    clock.at += timedelta(minutes=1)
    receipt = post_json(client, "/complaints", complaint_body()).json_body
    sup = staff("supervisor")
    assert found(sup.search(tracking_token=receipt["tracking_token"])) == [receipt["number"]]
    assert found(sup.search(tracking_token="not-a-token")) == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({}, "phone"),
        ({"phone": "13912345678", "email": "a@b.cn"}, "email"),
        ({"phone": "12"}, "phone"),
        ({"email": "no-at-sign"}, "email"),
        ({"phone": "13912345678", "limit": "0"}, "limit"),
        ({"phone": "13912345678", "colour": "red"}, "colour"),
    ],
)
def test_bad_searches_are_400_naming_the_field(client, clock, staff, params, field):
    response = staff("supervisor").search(**params)
    assert response.status_code == 400, response.body
    assert field in response.json_body["error"]["fields"]


def test_searches_by_identity_are_logged_for_quality_and_admin(client, clock, staff):
    submit(client, clock, CALLER)
    staff("supervisor", user="sup-9").search(phone="139 1234 5678")
    staff("supervisor", user="sup-9").search(respondent_person="nobody")  # not logged
    clock.at += timedelta(minutes=1)
    staff("intake_agent", user="agent-3").search(email="nobody@example.com")
    for reader in (staff("quality", ["*"]), staff("admin")):
        response = reader.get("/staff/search/log", month="2026-12")
        assert response.status_code == 200, response.body
        entries = response.json_body["items"]
        assert [(e["user"], e["kind"], e["results"]) for e in entries] == [
            ("agent-3", "email", 0),
            ("sup-9", "phone", 1),
        ]
        assert entries[0]["at"] == "2026-12-06T03:02:00+00:00"
        text = json.dumps(response.json_body)
        assert "1234" not in text and "nobody" not in text
    assert staff("supervisor").get("/staff/search/log").status_code == 403
    assert staff("quality", ["*"]).get("/staff/search/log", month="2026-13").status_code == 400


def test_no_key_attribute_of_the_table_holds_an_identity(client, clock, staff):
    about = {"department": "城东配送站", "person": "王伟"}
    submit(client, clock, CALLER, respondent=about)
    submit(client, clock, {**CALLER, "confidential": True}, respondent=about)
    staff("supervisor").search(phone="13912345678")
    table = complaints_table("complaints-test")
    key_names = {a["AttributeName"] for a in table["KeySchema"]}
    for index in table["GlobalSecondaryIndexes"]:
        key_names |= {a["AttributeName"] for a in index["KeySchema"]}
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    items = dynamodb.scan(TableName="complaints-test")["Items"]  # the test may scan
    assert any(item["sk"]["S"].startswith("SEARCH#") for item in items)
    secrets_ = ["13912345678", "65521234", "zhao.liu", "Zhao.Liu", "赵六", "城东", "王伟"]
    for item in items:
        for name in key_names & set(item):
            value = json.dumps(item[name], ensure_ascii=False)
            for secret in secrets_:
                assert secret not in value, (name, value)


def test_complaints_stored_before_the_index_are_brought_in(client, clock, staff):
    from chalicelib.adapters.dynamo import ComplaintItem
    from chalicelib.adapters.lookup import LookupItem
    from chalicelib.adapters.reindex import reindex

    old = submit(client, clock, CALLER)
    # As stored before issue 18: no lookup rows, no queue booking, nobody counted.
    for row in LookupItem.query(f"C#{old}", LookupItem.sk.startswith("SEARCH#")):
        row.delete()
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    key = {"pk": {"S": f"C#{old}"}, "sk": {"S": "META"}}
    dynamodb.update_item(TableName="complaints-test", Key=key, UpdateExpression="REMOVE qbook")
    for item in dynamodb.scan(TableName="complaints-test")["Items"]:
        if item["pk"]["S"] == "QCOUNT":
            dynamodb.delete_item(
                TableName="complaints-test", Key={"pk": item["pk"], "sk": item["sk"]}
            )
    sup = staff("supervisor")
    assert found(sup.search(phone="13912345678")) == []
    version = ComplaintItem.get(f"C#{old}", "META").version
    assert reindex("local-only-limit-key") == {
        "complaints": 1,
        "indexed": 1,
        "counted": 1,
        "retained": 0,
        "changed_meanwhile": 0,
    }
    assert found(sup.search(phone="13912345678")) == [old]
    counts = sup.get("/staff/queues").json_body["queues"]
    assert {q["queue"]: q["count"] for q in counts}["to_accept"] == 1
    assert ComplaintItem.get(f"C#{old}", "META").version == version  # the ETag holds
    assert reindex("local-only-limit-key")["indexed"] == 0  # once only
