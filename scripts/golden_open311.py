"""Capture /openapi.json and Open311 answers (JSON and XML) for a fixed set of requests.

    .venv/bin/python -m scripts.golden_open311 DIR

Runs the app in-process (chalice.test.Client) over moto, as the tests do, with the clock
pinned and every input fixed, so two captures of the same code are byte-for-byte equal.
Compare the captures of two commits with `diff -r BEFORE AFTER`. Nothing needs masking:
complaint numbers come from the pinned day, and Open311 answers carry no token.

Each answer is one file, `NNN-name.txt`: the status, the Content-Type, then the raw body.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import tests.conftest  # noqa: F401 - the tests' environment and moto, before the app
from tests.helpers import complaint_body, post_json

BASE = "/open311/v2"
KEY = "golden-key-0123456789"
FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
NOW = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)  # 10:00 on a Monday in Shanghai
FORMATS = ("json", "xml")

# POST bodies that must be refused, each with what is wrong (tests/api/test_open311.py).
BAD_POSTS = {
    "no-location": {"address_string": None},
    "lat-alone": {"lat": "31.2"},
    "lat-out-of-range": {"lat": "95", "long": "121"},
    "lat-not-a-number": {"lat": "north", "long": "121"},
    "description-too-long": {"description": "x" * 4001},
    "unknown-attribute": {"attribute[colour]": "red"},
    "bad-severity": {"attribute[severity]": "apocalyptic"},
    "bad-people-affected": {"attribute[people_affected]": "many"},
    "bad-department": {"attribute[department]": "nowhere"},
    "bad-completion-date": {"attribute[required_completion_date]": "soon"},
    "bad-email": {"email": "not-an-email", "first_name": "Ann"},
    "email-without-name": {"email": "ann@example.com"},
    "name-without-contact": {"first_name": "Ann"},
    "bad-media-url": {"media_url": "javascript:alert(1)"},
    "ftp-media-url": {"media_url": "ftp://img.example/1.jpg"},
    "unknown-parameter": {"colour": "red"},
    "two-problems": {"address_string": None, "description": "x" * 4001},
    "no-key": {"api_key": None},
    "empty-key": {"api_key": ""},
    "wrong-key": {"api_key": "wrong-key"},
    "no-service-code": {"service_code": ""},
    "unknown-service-code": {"service_code": "potholes"},
}
BAD_FILTERS = {
    "window-over-90-days": {
        "start_date": "2025-01-01T00:00:00Z",
        "end_date": "2025-04-02T00:00:00Z",
    },
    "end-before-start": {"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-02-01T00:00:00Z"},
    "start-not-a-date": {"start_date": "last tuesday"},
    "unknown-status": {"status": "pending"},
    "page-size-too-big": {"page_size": "1001"},
    "page-zero": {"page": "0"},
    "page-too-deep": {"page": "11", "page_size": "1000"},
    "page-not-a-number": {"page": "two"},
    "start-before-records": {"start_date": "0001-01-01"},
    "start-far-future": {"start_date": "9999-12-31"},
    "end-1900": {"end_date": "1900-01-01T00:00:00+08:00"},
    "too-many-ids": {"service_request_id": ",".join(f"TS-1-{n}" for n in range(101))},
}


class Capture:
    def __init__(self, client, out: Path):
        self.client, self.out, self.count = client, out, 0

    def save(self, name: str, response) -> None:
        self.count += 1
        head = f"{response.status_code}\n{response.headers.get('Content-Type', '')}\n"
        path = self.out / f"{self.count:03d}-{name}.txt"
        path.write_bytes(head.encode("utf-8") + response.body)

    def get(self, name: str, path: str, headers: dict | None = None):
        response = self.client.http.get(path, headers=headers or {})
        self.save(name, response)
        return response

    def post(self, name: str, fmt: str, query: str = "", **fields):
        form = {"api_key": KEY, "service_code": "billing", "address_string": "1 Main St"}
        form = {key: value for key, value in {**form, **fields}.items() if value is not None}
        path = f"{BASE}/requests.{fmt}{query}"
        response = self.client.http.post(path, headers=FORM, body=urlencode(form))
        self.save(name, response)
        return response


def posted_at(capture: Capture, clock, name: str, at: datetime, **fields) -> str:
    clock.at = at
    response = capture.post(name, "json", description="Overcharged", **fields)
    clock.at = NOW
    return response.json_body[0]["service_request_id"]


def set_status(number: str, status, at: datetime) -> None:
    from chalicelib.domain.vocabulary import Status
    from chalicelib.wiring import get_services

    repository = get_services().complaints
    complaint = repository.load(number)
    complaint.status, complaint.closed_at = status, at
    if status == Status.not_accepted:
        complaint.refusal_reason = "Outside our remit"
    repository.save(complaint, [])


def catalogue(capture: Capture) -> None:
    capture.get("openapi", "/openapi.json")
    for fmt in FORMATS:
        capture.get(f"discovery-{fmt}", f"{BASE}/discovery.{fmt}")
        capture.get(f"services-{fmt}", f"{BASE}/services.{fmt}")
        capture.get(f"services-zh-{fmt}", f"{BASE}/services.{fmt}?locale=zh-CN")
        capture.get(f"definition-{fmt}", f"{BASE}/services/billing.{fmt}")
        capture.get(f"definition-zh-{fmt}", f"{BASE}/services/delivery.{fmt}?lang=zh")
        capture.get(f"definition-unknown-{fmt}", f"{BASE}/services/potholes.{fmt}")
        capture.get(f"token-{fmt}", f"{BASE}/tokens/12345.{fmt}")
    preferred = {"Accept-Language": "fr;q=1, zh-CN;q=0.9, en;q=0.8"}
    capture.get("services-accept-language", f"{BASE}/services.json", preferred)
    capture.get("definition-yaml", f"{BASE}/services/billing.yaml")
    capture.get("definition-no-suffix", f"{BASE}/services/billing")
    capture.get("token-empty", f"{BASE}/tokens/.json")


def posts(capture: Capture, clock) -> dict[str, str]:
    full = {
        "lat": "31.2304",
        "long": "121.4737",
        "zipcode": "200000",
        "description": "I was charged twice for the same delivery in March " * 3,
        "email": "ann@example.com",
        "first_name": "Ann",
        "last_name": "Lee",
        "phone": "13800138000",
        "account_id": "acct-7",
        "media_url": "https://img.example/photos/1.jpg?size=large",
        "attribute[kind]": "request",
        "attribute[severity]": "serious",
        "attribute[desired_outcome]": "Refund the second charge",
        "attribute[people_affected]": "3",
        "attribute[required_completion_date]": "2026-12-01T10:00:00+02:00",
        "attribute[respondent_department]": "Accounts",
        "attribute[department]": "sales",
    }
    full_json, _ = (capture.post(f"post-full-{fmt}", fmt, **full) for fmt in FORMATS)
    chinese = {"first_name": "三", "last_name": "张", "phone": "010-65521234"}
    capture.post("post-zh", "xml", locale="zh-CN", description="重复收费", **chinese)
    capture.post("post-anonymous", "json", description="Overcharged")
    capture.post(
        "post-confidential", "json", description="Secret", **{"attribute[confidential]": "true"}
    )
    capture.post("post-key-in-query", "json", query=f"?api_key={KEY}", api_key=None)
    capture.post("post-other-lang", "json", lang="fr", **{"attribute[kind]": "suggestion"})
    for name, fields in BAD_POSTS.items():
        for fmt in FORMATS:
            capture.post(f"post-{name}-{fmt}", fmt, **{"description": "Overcharged", **fields})
    as_json = {"Content-Type": "application/json"}
    for name, query in (("json-body-no-key", ""), ("json-body", f"?api_key={KEY}")):
        response = capture.client.http.post(
            f"{BASE}/requests.json{query}", headers=as_json, body='{"service_code": "billing"}'
        )
        capture.save(f"post-{name}", response)
    capture.save("post-bad-format", capture.client.http.post(f"{BASE}/requests.yaml", body=""))
    return {
        "full": full_json.json_body[0]["service_request_id"],
        "noon": posted_at(capture, clock, "post-at-noon", NOW + timedelta(hours=2)),
    }


def dated(capture: Capture, clock) -> dict[str, str]:
    from chalicelib.domain.vocabulary import Status

    when = {
        "january": datetime(2026, 1, 20, 2, tzinfo=UTC),
        "february": datetime(2026, 2, 20, 2, tzinfo=UTC),
        "old": NOW - timedelta(days=200),
        "recent": NOW - timedelta(days=3),
    }
    numbers = {name: posted_at(capture, clock, f"post-{name}", at) for name, at in when.items()}
    numbers["delivery"] = posted_at(
        capture, clock, "post-delivery", NOW - timedelta(days=2), service_code="delivery"
    )
    for status in (Status.withdrawn, Status.closed, Status.not_accepted, Status.resolved):
        number = posted_at(capture, clock, f"post-{status.value}", NOW - timedelta(days=1))
        set_status(number, status, NOW + timedelta(hours=1))
        numbers[status.value] = number
    web = post_json(capture.client, "/complaints", complaint_body())
    numbers["web"] = web.json_body["number"]
    return numbers


def searches(capture: Capture, numbers: dict[str, str]) -> None:
    queries = {
        "default": {},
        "window": {"start_date": "2026-02-01T00:00:00+08:00", "end_date": "2026-03-01T00:00:00Z"},
        "from-january": {"start_date": "2026-01-01T00:00:00Z"},
        "to-february": {"end_date": "2026-02-01"},
        "exactly-90-days": {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-01"},
        "open": {"status": "open"},
        "closed": {"status": "closed"},
        "both": {"status": ["open", "closed"]},
        "delivery": {"service_code": "delivery"},
        "codes-open": {"service_code": "billing,delivery", "status": "open"},
        "ids": {
            "service_request_id": f"{numbers['recent']},TS-20990101-0009,{numbers['old']}",
            "status": "closed",
        },
        "page-1": {"page_size": "3"},
        "page-2": {"page_size": "3", "page": "2"},
        "page-far": {"page_size": "3", "page": "40"},
        "zh": {"locale": "zh-CN", "page_size": "4"},
        "jurisdiction-empty": {"jurisdiction_id": ""},
        **BAD_FILTERS,
    }
    for name, query in queries.items():
        for fmt in FORMATS:
            capture.get(f"requests-{name}-{fmt}", f"{BASE}/requests.{fmt}?{urlencode(query, True)}")
    for name, number in numbers.items():
        for fmt in FORMATS:
            capture.get(f"request-{name}-{fmt}", f"{BASE}/requests/{number}.{fmt}")
    capture.get("request-zh", f"{BASE}/requests/{numbers['not_accepted']}.xml?locale=zh-CN")
    for fmt in FORMATS:
        capture.get(f"request-unknown-{fmt}", f"{BASE}/requests/TS-20990101-0001.{fmt}")
    capture.get("request-too-long", f"{BASE}/requests/{'9' * 51}.json")


def jurisdiction(capture: Capture) -> None:
    os.environ["OPEN311_JURISDICTION_ID"] = "city.example"
    for name, value in (("ours", "city.example"), ("other", "other.example")):
        for fmt in FORMATS:
            path = f"{BASE}/services.{fmt}?jurisdiction_id={value}"
            capture.get(f"jurisdiction-{name}-{fmt}", path)
        capture.post(f"jurisdiction-post-{name}", "json", jurisdiction_id=value)
    os.environ["OPEN311_API_KEYS"] = ""
    capture.post("no-keys-configured", "xml")


def capture_all(out: Path) -> None:
    from chalice.test import Client

    from app import app
    from chalicelib import wiring
    from chalicelib.adapters.clock import FixedClock
    from scripts.bootstrap import bootstrap

    os.environ["OPEN311_API_KEYS"] = f"other-key-abcdef, {KEY}"
    os.environ.pop("OPEN311_JURISDICTION_ID", None)
    clock = FixedClock(NOW)
    wiring.set_clock(clock)  # the services are built on it
    wiring.set_services(None)
    bootstrap()
    with Client(app) as client:
        capture = Capture(client, out)
        catalogue(capture)
        numbers = {**posts(capture, clock), **dated(capture, clock)}
        searches(capture, numbers)
        jurisdiction(capture)
    print(f"{capture.count} answers in {out}")


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        sys.exit("usage: python -m scripts.golden_open311 DIR")
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        sys.exit(f"{out} is not empty")
    capture_all(out)


if __name__ == "__main__":
    main(sys.argv[1:])
