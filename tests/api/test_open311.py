"""Open311 GeoReport v2 under /open311/v2: discovery, services, requests, tokens, errors."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from botocore.client import BaseClient

from chalicelib.adapters.dynamo import ComplaintItem, EventItem, OutboxItem
from chalicelib.domain.vocabulary import Kind, Status
from tests.clock import pinned_at
from tests.helpers import complaint_body, post_json, sent_emails, topic_messages

BASE = "/open311/v2"
KEY = "client-key-0123456789"
FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>'
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)  # 10:00 on a Monday in Shanghai


@pytest.fixture(autouse=True)
def open311_env(monkeypatch):
    monkeypatch.setenv("OPEN311_API_KEYS", f"other-key-abcdef, {KEY}")
    monkeypatch.delenv("OPEN311_JURISDICTION_ID", raising=False)


pinned_clock = pinned_at(NOW)


def post(client, fmt="json", **fields):
    form = {"api_key": KEY, "service_code": "billing", "address_string": "1 Main St", **fields}
    form = {key: value for key, value in form.items() if value is not None}
    return client.http.post(f"{BASE}/requests.{fmt}", headers=FORM, body=urlencode(form))


def created_id(response) -> str:
    assert response.status_code == 200, response.body
    [created] = response.json_body
    return created["service_request_id"]


def xml(response) -> ET.Element:
    assert response.body.startswith(XML_DECLARATION)
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(response.body)
    assert "{" not in root.tag  # no namespace
    return root


def errors_in(response) -> list[dict]:
    if response.headers["Content-Type"].startswith("text/xml"):
        root = xml(response)
        assert root.tag == "errors"
        return [
            {"code": int(error.findtext("code")), "description": error.findtext("description")}
            for error in root.findall("error")
        ]
    return response.json_body


def search(client, fmt="json", **query) -> list:
    response = client.http.get(f"{BASE}/requests.{fmt}?{urlencode(query, doseq=True)}")
    assert response.status_code == 200, response.body
    return response.json_body


def ids(requests: list[dict]) -> list[str]:
    return [request["service_request_id"] for request in requests]


def stored(number: str) -> dict:
    return json.loads(ComplaintItem.get(f"C#{number}", "META").doc)


# -- discovery and services ---------------------------------------------------------------


def test_discovery_in_both_formats(client):
    body = client.http.get(f"{BASE}/discovery.json").json_body
    [endpoint] = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert {"changeset", "contact", "key_service"} <= body.keys()

    root = xml(client.http.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    formats = root.findall("endpoints/endpoint/formats/format")
    assert [f.text for f in formats] == ["text/xml", "application/json"]


def test_services_are_the_configured_categories_in_english_by_default(client):
    from chalicelib.config import get_settings

    response = client.http.get(f"{BASE}/services.json")
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    services = response.json_body
    assert [s["service_code"] for s in services] == list(get_settings().categories)
    billing = next(s for s in services if s["service_code"] == "billing")
    assert billing["service_name"] == "Billing"
    assert billing["metadata"] is True and billing["type"] == "realtime"


@pytest.mark.parametrize(
    "path, headers",
    [
        ("services.json?locale=zh-CN", {}),
        ("services.json?lang=zh", {}),
        ("services.json", {"Accept-Language": "fr;q=1, zh-CN;q=0.9, en;q=0.8"}),
    ],
)
def test_service_names_in_chinese_on_request(client, path, headers):
    services = client.http.get(f"{BASE}/{path}", headers=headers).json_body
    assert next(s for s in services if s["service_code"] == "billing")["service_name"] == "收费"


def test_services_xml_lists_service_elements(client):
    root = xml(client.http.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    codes = [service.findtext("service_code") for service in root.findall("service")]
    assert "billing" in codes
    assert root.find("service/metadata").text == "true"


def test_service_definition_offers_the_extra_fields_as_attributes(client):
    body = client.http.get(f"{BASE}/services/billing.json").json_body
    assert body["service_code"] == "billing"
    attributes = {a["code"]: a for a in body["attributes"]}
    assert attributes["kind"]["datatype"] == "singlevaluelist"
    assert [v["key"] for v in attributes["kind"]["values"]] == [k.value for k in Kind]
    assert attributes["severity"]["datatype"] == "singlevaluelist"
    assert attributes["desired_outcome"]["datatype"] == "text"
    assert attributes["people_affected"]["datatype"] == "number"
    assert attributes["required_completion_date"]["datatype"] == "datetime"
    assert [v["key"] for v in attributes["department"]["values"]] == ["service", "sales", "quality"]
    orders = [a["order"] for a in body["attributes"]]
    assert orders == list(range(1, len(orders) + 1))
    assert all(a["variable"] is True and a["required"] is False for a in body["attributes"])


def test_service_definition_xml(client):
    root = xml(client.http.get(f"{BASE}/services/billing.xml?locale=zh-CN"))
    assert root.tag == "service_definition"
    kind = next(a for a in root.findall("attributes/attribute") if a.findtext("code") == "kind")
    assert [v.findtext("name") for v in kind.findall("values/value")][0] == "投诉"


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("services/potholes", "potholes"),
        # Tokens are never issued, so every token is unknown.
        ("tokens/12345", "12345"),
    ],
    ids=["service", "token"],
)
def test_an_unknown_service_or_token_is_404_in_the_spec_error_format(client, path, name, fmt):
    response = client.http.get(f"{BASE}/{path}.{fmt}")
    assert response.status_code == 404
    [error] = errors_in(response)
    assert error["code"] == 404 and name in error["description"]


def test_a_path_without_a_known_format_is_400_in_xml(client):
    response = client.http.get(f"{BASE}/services/billing.yaml")
    assert response.status_code == 400
    assert errors_in(response)[0]["code"] == 400


def test_wrong_jurisdiction_is_404(client, monkeypatch):
    monkeypatch.setenv("OPEN311_JURISDICTION_ID", "city.example")
    assert client.http.get(f"{BASE}/services.json?jurisdiction_id=city.example").status_code == 200
    assert client.http.get(f"{BASE}/services.json?jurisdiction_id=").status_code == 200
    response = client.http.get(f"{BASE}/services.json?jurisdiction_id=other.example")
    assert response.status_code == 404


# -- POST requests ------------------------------------------------------------------------


def test_post_creates_a_complaint_and_answers_its_number(client):
    response = post(
        client,
        lat="31.2304",
        long="121.4737",
        zipcode="200000",
        description="I was charged twice for the same delivery in March",
        email="ann@example.com",
        first_name="Ann",
        last_name="Lee",
        phone="13800138000",
        account_id="acct-7",
        **{
            "attribute[kind]": "request",
            "attribute[severity]": "serious",
            "attribute[desired_outcome]": "Refund the second charge",
            "attribute[people_affected]": "3",
            "attribute[required_completion_date]": "2026-12-01",
            "attribute[respondent_department]": "Accounts",
        },
    )
    [created] = response.json_body
    number = created_id(response)
    assert number.startswith("TS-") and "token" not in created
    assert created["account_id"] == "acct-7"
    assert number in created["service_notice"]

    doc = stored(number)
    assert doc["channel"] == "open311" and doc["status"] == "received"
    data = doc["data"]
    assert data["category"] == "billing"
    assert data["kind"] == "request" and data["severity"] == "serious"
    assert data["desired_outcome"] == "Refund the second charge"
    assert data["people_affected"] == 3
    assert data["required_completion_date"] == "2026-12-01"
    assert data["respondent"] == {"department": "Accounts", "person": None}
    assert data["complainant"]["name"] == "Ann Lee"
    assert data["complainant"]["email"] == "ann@example.com"
    assert data["complainant"]["mobile"] == "+8613800138000"  # stored normalised
    assert data["subject"].startswith("Billing: I was charged twice")
    assert data["description"] == "I was charged twice for the same delivery in March"
    assert data["location"] == {
        "lat": 31.2304,
        "long": 121.4737,
        "address_string": "1 Main St",
        "address_id": None,
        "zipcode": "200000",
    }
    assert data["language"] == "en"


def test_post_answers_xml(client):
    root = xml(post(client, fmt="xml", description="Overcharged"))
    assert root.tag == "service_requests"
    number = root.findtext("request/service_request_id")
    assert number.startswith("TS-") and root.find("request/token") is None


def test_posted_request_enters_the_normal_lifecycle(client):
    number = created_id(
        post(client, description="Overcharged", email="ann@example.com", first_name="Ann")
    )
    events = list(EventItem.query(f"C#{number}", EventItem.sk.startswith("EV#")))
    assert events[0].type == "received"
    assert events[0].actor.startswith("open311:") and KEY not in events[0].actor
    outbox = list(OutboxItem.query(f"C#{number}", OutboxItem.sk.startswith("OUT#")))
    assert sorted(entry.audience for entry in outbox) == ["complainant", "supervisors"]
    [note] = topic_messages()
    assert number in note[1] and "Billing: Overcharged" in note[1]
    [mail] = sent_emails()
    assert mail.destinations["ToAddresses"] == ["ann@example.com"]
    assert stored(number)["deadlines"]["resolution"]["due"]


def test_post_without_contact_is_anonymous(client):
    number = created_id(post(client, description="Overcharged"))
    assert stored(number)["data"]["complainant"]["anonymous"] is True
    assert sent_emails() == []


def test_post_in_chinese_composes_family_name_first(client):
    response = post(
        client,
        locale="zh-CN",
        first_name="三",
        last_name="张",
        phone="13800138000",
        description="重复收费",
    )
    data = stored(created_id(response))["data"]
    assert data["complainant"]["name"] == "张三"
    assert data["language"] == "zh-CN"
    assert data["subject"] == "收费：重复收费"


def test_media_url_is_kept_as_media_url_and_shown_to_staff(client, token):
    link = "https://img.example/photos/1.jpg?size=large"
    number = created_id(post(client, description="Photo attached", media_url=link))

    assert stored(number)["data"]["description"] == "Photo attached"
    [request] = client.http.get(f"{BASE}/requests/{number}.json").json_body
    assert request["media_url"] == link
    root = xml(client.http.get(f"{BASE}/requests/{number}.xml"))
    assert root.find("request").findtext("media_url") == link
    auth = {"Authorization": token("supervisor")}
    staff = client.http.get(f"/staff/complaints/{number}", headers=auth).json_body
    assert staff["data"]["media_url"] == link


@pytest.mark.parametrize(
    "link", ["ftp://img.example/1.jpg", "https://", "https://a b.example/", "x" * 10]
)
def test_media_url_must_be_an_http_url(client, link):
    response = post(client, description="Photo attached", media_url=link)
    assert response.status_code == 400
    assert any("media_url" in e["description"] for e in errors_in(response))


def test_discovery_changeset_follows_the_configured_services(client, clock):
    from chalicelib.wiring import get_services

    first = client.http.get(f"{BASE}/discovery.json").json_body["changeset"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", first)
    clock.at = NOW + timedelta(days=1)
    assert client.http.get(f"{BASE}/discovery.json").json_body["changeset"] == first

    services = get_services()  # the organisation keeps two categories in use
    loaded = services.org_loaded
    kept = [
        category.model_copy(update={"active": category.code in ("billing", "delivery")})
        for category in loaded.settings.categories
    ]
    org = loaded.settings.model_copy(update={"categories": kept})
    services.settings_cache.put(org, loaded.version + 1)
    changed = client.http.get(f"{BASE}/discovery.json").json_body
    assert changed["changeset"] > first
    assert changed["endpoints"][0]["changeset"] == changed["changeset"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("key", [None, "", "wrong-key"])
def test_post_needs_a_valid_api_key(client, fmt, key):
    response = post(client, fmt=fmt, api_key=key, description="Overcharged")
    assert response.status_code == 403
    [error] = errors_in(response)
    assert error["code"] == 403 and "api_key" in error["description"]
    assert topic_messages() == []


def test_api_key_is_checked_before_anything_else(client):
    response = client.http.post(
        f"{BASE}/requests.json", headers={"Content-Type": "application/json"}, body="{}"
    )
    assert response.status_code == 403


def test_api_key_may_come_in_the_query_string(client):
    form = urlencode({"service_code": "billing", "address_string": "1 Main St"})
    response = client.http.post(f"{BASE}/requests.json?api_key={KEY}", headers=FORM, body=form)
    assert response.status_code == 200


def test_no_configured_keys_means_no_posting(client, monkeypatch):
    monkeypatch.setenv("OPEN311_API_KEYS", "")
    assert post(client).status_code == 403


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_missing_service_code_is_400(client, fmt):
    response = post(client, fmt=fmt, service_code="")
    assert response.status_code == 400
    assert "service_code" in errors_in(response)[0]["description"]


def test_unknown_service_code_is_404(client):
    response = post(client, service_code="potholes")
    assert response.status_code == 404
    assert errors_in(response)[0]["code"] == 404


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"address_string": None}, "a location is required"),
        ({"lat": "31.2"}, "lat and long must be given together"),
        ({"lat": "95", "long": "121"}, "lat:"),
        ({"lat": "north", "long": "121"}, "lat:"),
        ({"description": "x" * 4001}, "description is over 4000 characters"),
        ({"attribute[colour]": "red"}, "attribute[colour] is not an attribute"),
        ({"attribute[severity]": "apocalyptic"}, "attribute[severity]:"),
        ({"attribute[people_affected]": "many"}, "attribute[people_affected]:"),
        ({"attribute[department]": "nowhere"}, "attribute[department]:"),
        ({"attribute[required_completion_date]": "soon"}, "attribute[required_completion_date]"),
        ({"email": "not-an-email", "first_name": "Ann"}, "email:"),
        ({"email": "ann@example.com"}, "first_name or last_name is required"),
        ({"first_name": "Ann"}, "email or phone is required"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"colour": "red"}, "colour is not a parameter"),
    ],
)
def test_invalid_post_is_400_with_the_reason(client, fields, expected):
    response = post(client, **{"description": "Overcharged", **fields})
    assert response.status_code == 400
    descriptions = [error["description"] for error in errors_in(response)]
    assert any(expected in text for text in descriptions), descriptions
    assert topic_messages() == []


def test_several_errors_are_returned_together(client):
    response = post(client, fmt="xml", address_string=None, description="x" * 4001)
    assert response.status_code == 400
    descriptions = [error["description"] for error in errors_in(response)]
    assert len(descriptions) == 2


def test_post_must_be_form_encoded(client):
    response = client.http.post(
        f"{BASE}/requests.json?api_key={KEY}",
        headers={"Content-Type": "application/json"},
        body=json.dumps({"service_code": "billing"}),
    )
    assert response.status_code == 400
    assert "x-www-form-urlencoded" in errors_in(response)[0]["description"]


# -- GET requests -------------------------------------------------------------------------


def post_at(client, clock, at, **fields) -> str:
    clock.at = at
    number = created_id(post(client, description="Overcharged", **fields))
    clock.at = NOW
    return number


def set_status(number: str, status: Status, at: datetime) -> None:
    from chalicelib.wiring import get_services

    repository = get_services().complaints
    complaint = repository.load(number)
    complaint.status = status
    complaint.closed_at = at
    repository.save(complaint, [])


def test_get_one_request_in_json(client, clock):
    number = post_at(client, clock, NOW, lat="31.2", long="121.5", zipcode="200000")
    response = client.http.get(f"{BASE}/requests/{number}.json")
    assert response.status_code == 200
    [request] = response.json_body
    due = stored(number)["deadlines"]["resolution"]["due"]
    expected = datetime.fromisoformat(due).astimezone(SHANGHAI).isoformat(timespec="seconds")
    assert request == {
        "service_request_id": number,
        "status": "open",
        "status_notes": "Received; awaiting the acceptance decision",
        "service_name": "Billing",
        "service_code": "billing",
        "description": "Overcharged",
        "agency_responsible": "service",
        "service_notice": None,
        "requested_datetime": "2026-03-16T10:00:00+08:00",
        "updated_datetime": "2026-03-16T10:00:00+08:00",
        "expected_datetime": expected,
        "address": "1 Main St",
        "address_id": None,
        "zipcode": "200000",
        "lat": 31.2,
        "long": 121.5,
        "media_url": None,
    }


def test_get_one_request_in_xml(client, clock):
    number = post_at(client, clock, NOW)
    root = xml(client.http.get(f"{BASE}/requests/{number}.xml?locale=zh-CN"))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert request.findtext("service_request_id") == number
    assert request.findtext("status") == "open"
    assert request.findtext("service_name") == "收费"
    assert request.findtext("requested_datetime") == "2026-03-16T10:00:00+08:00"
    assert request.find("media_url").text is None
    names = [child.tag for child in request]
    assert names[:3] == ["service_request_id", "status", "status_notes"]


def test_closed_statuses_map_to_closed(client, clock):
    open_one = post_at(client, clock, NOW)
    for status in (Status.closed, Status.withdrawn, Status.not_accepted):
        number = post_at(client, clock, NOW)
        set_status(number, status, NOW + timedelta(hours=1))
        [request] = client.http.get(f"{BASE}/requests/{number}.json").json_body
        assert request["status"] == "closed"
        assert request["updated_datetime"] == "2026-03-16T11:00:00+08:00"
    set_status(open_one, Status.resolved, NOW)
    assert client.http.get(f"{BASE}/requests/{open_one}.json").json_body[0]["status"] == "open"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_request_is_404(client, fmt):
    response = client.http.get(f"{BASE}/requests/TS-20990101-0001.{fmt}")
    assert response.status_code == 404
    assert errors_in(response)[0]["code"] == 404


def test_web_complaints_show_no_free_text(client):
    number = post_json(client, "/complaints", complaint_body()).json_body["number"]
    [request] = client.http.get(f"{BASE}/requests/{number}.json").json_body
    assert request["status"] == "open" and request["service_code"] == "service_attitude"
    assert request["description"] is None and request["address"] is None


def test_confidential_open311_requests_show_no_free_text(client):
    number = created_id(post(client, description="Secret", **{"attribute[confidential]": "true"}))
    [request] = client.http.get(f"{BASE}/requests/{number}.json").json_body
    assert request["description"] is None and request["address"] is None


def test_default_window_is_the_last_90_days(client, clock):
    recent = post_at(client, clock, NOW - timedelta(days=10))
    old = post_at(client, clock, NOW - timedelta(days=100))
    found = ids(search(client))
    assert recent in found and old not in found


def test_start_and_end_date_bound_the_window(client, clock):
    january = post_at(client, clock, datetime(2026, 1, 20, 2, tzinfo=UTC))
    february = post_at(client, clock, datetime(2026, 2, 20, 2, tzinfo=UTC))
    march = post_at(client, clock, NOW)
    found = search(client, start_date="2026-02-01T00:00:00+08:00", end_date="2026-03-01T00:00:00Z")
    assert ids(found) == [february]
    assert ids(search(client, start_date="2026-01-01T00:00:00Z")) == [march, february, january]
    assert ids(search(client, end_date="2026-02-01")) == [january]


def test_window_edges_are_inclusive_to_the_second(client, clock):
    at = datetime(2026, 2, 20, 2, 0, 0, tzinfo=UTC)
    number = post_at(client, clock, at)
    assert ids(
        search(client, start_date="2026-02-20T02:00:00Z", end_date="2026-02-20T02:00:00Z")
    ) == [number]
    assert ids(search(client, start_date="2026-02-20T02:00:01Z")) == []
    assert (
        ids(search(client, start_date="2026-02-01T00:00:00Z", end_date="2026-02-20T01:59:59Z"))
        == []
    )


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"start_date": "2025-01-01T00:00:00Z", "end_date": "2025-04-02T00:00:00Z"}, "90 days"),
        ({"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-02-01T00:00:00Z"}, "before"),
        ({"start_date": "last tuesday"}, "start_date"),
        ({"status": "pending"}, "status"),
        ({"page_size": "1001"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"page": "11", "page_size": "1000"}, "page"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_filters_are_400(client, query, expected, fmt):
    response = client.http.get(f"{BASE}/requests.{fmt}?{urlencode(query)}")
    assert response.status_code == 400
    assert expected in errors_in(response)[0]["description"]


@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "0001-01-01"},
        {"start_date": "0001-01-01T00:00:00Z"},
        {"end_date": "1900-01-01T00:00:00+08:00"},
        {"start_date": "9999-12-31"},
        {"end_date": "9999-12-31T23:59:59Z"},
    ],
)
def test_dates_nobody_could_mean_get_a_clear_400(client, query, caplog):
    """Issue 13 item 6: start_date=0001-01-01 used to fail inside (ERROR logged)."""
    response = client.http.get(f"{BASE}/requests.json?{urlencode(query)}")
    assert response.status_code == 400
    [name] = query
    description = errors_in(response)[0]["description"]
    assert description.startswith(f"{name} must be between 2020-01-01T00:00:00+08:00 and ")
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_offsets_are_w3c_even_for_a_zone_s_local_mean_time():
    from zoneinfo import ZoneInfo

    from chalicelib.http.open311.dates import w3 as _w3

    shanghai = ZoneInfo("Asia/Shanghai")
    assert _w3(datetime(1900, 1, 1, tzinfo=UTC), shanghai) == "1900-01-01T00:00:00Z"
    assert _w3(datetime(2026, 2, 1, tzinfo=UTC), shanghai) == "2026-02-01T08:00:00+08:00"


def test_exactly_90_days_is_allowed(client):
    query = {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-01T00:00:00Z"}
    assert client.http.get(f"{BASE}/requests.json?{urlencode(query)}").status_code == 200


def test_status_and_service_code_filters(client, clock):
    billing = post_at(client, clock, NOW - timedelta(days=3))
    delivery = post_at(client, clock, NOW - timedelta(days=2), service_code="delivery")
    closed = post_at(client, clock, NOW - timedelta(days=1))
    set_status(closed, Status.withdrawn, NOW)
    assert ids(search(client, status="open")) == [delivery, billing]
    assert ids(search(client, status="closed")) == [closed]
    assert ids(search(client, status="open,closed")) == [closed, delivery, billing]
    assert ids(search(client, status=["open", "closed"])) == [closed, delivery, billing]
    assert ids(search(client, service_code="delivery")) == [delivery]
    assert ids(search(client, service_code="billing,delivery", status="open")) == [
        delivery,
        billing,
    ]


def test_service_request_id_overrides_the_other_filters(client, clock):
    old = post_at(client, clock, NOW - timedelta(days=200))
    recent = post_at(client, clock, NOW)
    query = {
        "service_request_id": f"{recent},TS-20990101-0009,{old}",
        "start_date": "2020-01-01T00:00:00Z",
        "status": "closed",
        "service_code": "delivery",
    }
    assert ids(search(client, **query)) == [recent, old]


def test_paging_extension(client, clock):
    numbers = [post_at(client, clock, NOW - timedelta(hours=hours)) for hours in range(5)]
    assert ids(search(client, page_size="2")) == numbers[:2]
    assert ids(search(client, page_size="2", page="2")) == numbers[2:4]
    assert ids(search(client, page_size="2", page="3")) == numbers[4:]
    assert search(client, page_size="2", page="4") == []


def test_requests_list_in_xml(client, clock):
    first = post_at(client, clock, NOW - timedelta(days=1))
    second = post_at(client, clock, NOW)
    root = xml(client.http.get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests"
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [second, first]


def test_listing_queries_by_month_and_never_scans(client, clock, monkeypatch):
    post_at(client, clock, NOW - timedelta(days=40))
    calls = []
    original = BaseClient._make_api_call

    def spy(self, operation, params):
        calls.append((operation, params.get("IndexName")))
        return original(self, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", spy)
    assert len(search(client)) == 1
    search(client, status="open", service_code="billing")
    operations = {operation for operation, _ in calls}
    assert "Scan" not in operations
    assert {index for operation, index in calls if operation == "Query"} == {"by_month"}
    # Four months overlap the 90 days before 16 March: December to March.
    assert sum(1 for operation, _ in calls if operation == "Query") == 8


# -- tokens and documentation -------------------------------------------------------------


def test_empty_token_is_400(client):
    assert client.http.get(f"{BASE}/tokens/.json").status_code == 400


def test_open311_routes_are_in_the_openapi_document(client):
    paths = client.http.get("/openapi.json").json_body["paths"]
    assert paths["/open311/v2/requests.json"]["post"]["responses"]["200"]["content"]
    assert "text/xml" in paths["/open311/v2/requests.xml"]["get"]["responses"]["200"]["content"]
    assert "/open311/v2/requests/{id_ext}" in paths


def test_open311_acknowledgement_does_not_mention_a_token(client):
    fields = "service_code=billing&address_string=1+Main+St&description=Lamp"
    fields += "&email=a%40example.com&first_name=A&last_name=B"
    response = client.http.post(
        f"{BASE}/requests.json", headers=FORM, body=f"api_key={KEY}&{fields}"
    )
    assert response.status_code == 200, response.body
    [mail] = sent_emails()
    assert mail.subject.startswith("Report received") or mail.subject.startswith("投诉已登记")
    assert "token" not in mail.body and "查询码" not in mail.body


def test_updated_datetime_follows_staff_changes(client, clock, token):
    number = created_id(post(client))
    clock.at = NOW + timedelta(hours=2)
    headers = {"Authorization": token("supervisor"), "Content-Type": "application/json"}
    etag = client.http.get(f"/staff/complaints/{number}", headers=headers).headers["ETag"]
    accepted = client.http.post(
        f"/staff/complaints/{number}/accept", headers={**headers, "If-Match": etag}, body="{}"
    )
    assert accepted.status_code == 200
    [request] = client.http.get(f"{BASE}/requests/{number}.json").json_body
    assert request["updated_datetime"] == "2026-03-16T12:00:00+08:00"


def test_status_notes_are_the_latest_public_message(client, token):
    """Issue 17 item 10: the latest message to the complainant, else the state's label;
    free text only where Open311 publishes it (a request posted through Open311)."""
    import json as _json

    number = created_id(
        post(client, description="Overcharged", email="ann@example.com", first_name="Ann")
    )
    before = client.http.get(f"{BASE}/requests/{number}.json").json_body[0]["status_notes"]
    assert before == "Received; awaiting the acceptance decision"
    supervisor = token("supervisor", "service")
    headers = {"Authorization": supervisor, "Content-Type": "application/json"}
    body = _json.dumps({"text": "We are checking the bill with the branch."})
    sent = client.http.post(f"/staff/complaints/{number}/messages", headers=headers, body=body)
    assert sent.status_code == 200, sent.json_body
    [request] = client.http.get(f"{BASE}/requests/{number}.json").json_body
    assert request["status_notes"] == "We are checking the bill with the branch."
