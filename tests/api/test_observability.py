"""Logs without personal data, a correlation id per request, metrics, and the API's own docs."""

import json
import logging
import re
import sys

import pytest

# Import the table models while the test environment is in place (see test_validation.py).
import chalicelib.adapters.dynamo  # noqa: F401
from tests.helpers import complaint_body, post_json

PII = {
    "name": "Ouyang Xiuying",
    "email": "xiuying.ouyang@example.com",
    "mobile": "13912345678",
    "office_phone": "+86 10 6543 2109",
    "address": "88 Secret Garden Lane, Chaoyang",
}


def personal_body(**overrides) -> dict:
    return complaint_body(complainant=dict(PII), language="en", **overrides)


@pytest.fixture
def service_log(client):
    """The service's logger, created (if no earlier test did) before any capture starts."""
    from chalicelib.observability import logger

    logger()
    return logging.getLogger("complaints")


class CurrentStdout:
    """Writes wherever sys.stdout points at the moment, which under capsys is its capture."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()


@pytest.fixture
def logs(service_log, capsys, caplog):
    """Everything the service writes while a test runs: its stdout, stderr and log records.

    The service's log handlers keep the stdout they found when they were created (before
    this test), so for the test they write to the current one instead.
    """
    caplog.set_level(logging.INFO)
    service_log.addHandler(caplog.handler)
    handlers = [h for h in service_log.handlers if type(h) is logging.StreamHandler]
    previous = [h.setStream(CurrentStdout()) for h in handlers]

    def read() -> str:
        out, err = capsys.readouterr()
        records = "\n".join(
            f"{record.getMessage()} {record.__dict__!r}" for record in caplog.records
        )
        return "\n".join((out, err, caplog.text, records))

    yield read
    for handler, stream in zip(handlers, previous, strict=True):
        handler.setStream(stream)
    service_log.removeHandler(caplog.handler)


def json_lines(text: str) -> list[dict]:
    found = []
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                found.append(json.loads(line))
            except ValueError:
                continue
    return found


def request_logs(text: str) -> list[dict]:
    return [line for line in json_lines(text) if line.get("message") == "request"]


def assert_no_personal_data(text: str) -> None:
    needles = [*PII.values(), "xiuying.ouyang", "Ouyang", "Secret Garden", "6543 2109"]
    for needle in needles:
        assert needle not in text, f"{needle!r} was logged"
    digits = re.sub(r"\D", "", text)
    assert PII["mobile"] not in digits


# -- (a) no personal data in logs --------------------------------------------------------


def test_intake_logs_no_personal_data(client, logs):
    response = post_json(client, "/complaints", personal_body())
    assert response.status_code == 201
    number = response.json_body["number"]

    text = logs()
    # The capture works: the request line is there, with what a log may carry.
    [line] = request_logs(text)
    assert line["status"] == 201 and line["route"] == "/complaints"
    assert_no_personal_data(text)
    assert number  # numbers are fine to log; people are not


def test_tracking_view_logs_no_personal_data(client, logs):
    receipt = post_json(client, "/complaints", personal_body()).json_body
    view = client.http.get(
        f"/complaints/{receipt['number']}",
        headers={"X-Tracking-Token": receipt["tracking_token"]},
    )
    assert view.status_code == 200
    text = logs()
    assert len(request_logs(text)) == 2
    assert_no_personal_data(text)


def test_failed_notification_logs_no_personal_data(client, logs):
    from chalicelib import wiring
    from chalicelib.adapters.dynamo import OutboxItem
    from chalicelib.adapters.notifier import AwsNotifier

    services = wiring.get_services()
    services.notifier = AwsNotifier("unverified@example.net", services.notifier.topic_arn)

    response = post_json(client, "/complaints", personal_body())

    assert response.status_code == 201
    number = response.json_body["number"]
    outbox = list(OutboxItem.query(f"C#{number}", OutboxItem.sk.startswith("OUT#")))
    assert [e.status for e in outbox if e.audience == "complainant"] == ["pending"]
    text = logs()
    assert request_logs(text)
    assert_no_personal_data(text)


def test_refused_input_logs_no_personal_data(client, logs):
    body = personal_body(kind="bogus")
    body["complainant"]["email"] = "xiuying.ouyang@@example.com"
    response = post_json(client, "/complaints", body)
    assert response.status_code == 400
    text = logs()
    [line] = request_logs(text)
    assert line["status"] == 400
    assert_no_personal_data(text)


def test_unexpected_error_logs_no_personal_data(client, logs, monkeypatch):
    """Even the traceback of a crash must not carry the complaint's contents."""
    from chalicelib.adapters.repository import DynamoComplaints

    def crash(self, day, build, *claims):
        build("TS-20260101-0001")  # the record is built, with the complainant in it
        raise RuntimeError("storage failed for TS-20260101-0001")

    monkeypatch.setattr(DynamoComplaints, "create", crash)
    response = post_json(client, "/complaints", personal_body())
    assert response.status_code == 500
    text = logs()
    assert "storage failed for TS-20260101-0001" in text
    assert_no_personal_data(text)


# -- (b) correlation id ------------------------------------------------------------------

SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("GET", "/health", None),
        ("GET", "/", None),
        ("GET", "/openapi.json", None),
        ("POST", "/complaints", complaint_body()),
        ("POST", "/complaints", {"subject": 1}),
        ("GET", "/complaints/TS-20200101-0001", None),
    ],
)
def test_every_response_has_a_correlation_id(client, method, path, body):
    if body is None:
        response = client.http.request(method, path, headers={})
    else:
        response = post_json(client, path, body)
    assert SAFE_ID.match(response.headers["X-Correlation-Id"])


def test_chalices_own_refusals_have_one_too(client):
    response = client.http.post(
        "/complaints", headers={"Content-Type": "application/octet-stream"}, body=b"x"
    )
    assert response.status_code == 415
    assert SAFE_ID.match(response.headers["X-Correlation-Id"])


def test_correlation_ids_differ_between_requests(client):
    ids = {client.http.get("/health").headers["X-Correlation-Id"] for _ in range(3)}
    assert len(ids) == 3


@pytest.mark.parametrize("given", ["abc-123", "req.2026_11_24-0001", "A" * 100])
def test_valid_incoming_correlation_id_is_echoed_and_logged(client, logs, given):
    response = post_json(client, "/complaints", complaint_body(), {"X-Correlation-Id": given})
    assert response.headers["X-Correlation-Id"] == given
    [line] = request_logs(logs())
    assert line["correlation_id"] == given


@pytest.mark.parametrize(
    "given", ["has spaces", "x" * 200, "semi;colon", "new\nline", "<script>", "", "x" * 101]
)
def test_invalid_incoming_correlation_id_is_replaced(client, logs, given):
    response = client.http.get("/health", headers={"X-Correlation-Id": given})
    returned = response.headers["X-Correlation-Id"]
    assert returned != given and SAFE_ID.match(returned)
    [line] = request_logs(logs())
    assert line["correlation_id"] == returned


# -- (c) metrics -----------------------------------------------------------------------


def emf_records(text: str, name: str) -> list[dict]:
    """CloudWatch embedded-metric-format records of one metric, from printed JSON lines."""
    found = []
    for line in json_lines(text):
        for directive in line.get("_aws", {}).get("CloudWatchMetrics", []):
            if any(metric["Name"] == name for metric in directive["Metrics"]):
                found.append({"record": line, "directive": directive})
    return found


def test_complaints_received_metric_by_channel_and_category(client, logs):
    post_json(client, "/complaints", complaint_body(category="billing"))

    [emf] = emf_records(logs(), "ComplaintsReceived")
    record, directive = emf["record"], emf["directive"]
    assert directive["Namespace"]
    [dimensions] = directive["Dimensions"]
    assert {"channel", "category"} <= set(dimensions)
    assert record["channel"] == "web" and record["category"] == "billing"
    assert record["ComplaintsReceived"] in (1, 1.0, [1], [1.0])
    assert [m["Unit"] for m in directive["Metrics"]] == ["Count"]
    assert isinstance(record["_aws"]["Timestamp"], int)


def test_refused_and_replayed_complaints_are_not_counted(client, logs):
    post_json(client, "/complaints", complaint_body(subject=""))
    headers = {"Idempotency-Key": "metric-key-0001"}
    for _ in range(2):
        assert post_json(client, "/complaints", complaint_body(), headers).status_code == 201
    assert len(emf_records(logs(), "ComplaintsReceived")) == 1


def test_metric_has_no_personal_data(client, logs):
    post_json(client, "/complaints", personal_body())
    text = logs()
    assert emf_records(text, "ComplaintsReceived")
    assert_no_personal_data(text)


# -- (d) OpenAPI -------------------------------------------------------------------------


@pytest.fixture
def document(client):
    response = client.http.get("/openapi.json")
    assert response.status_code == 200
    return response.json_body


def resolve(document: dict, ref: str):
    assert ref.startswith("#/"), ref
    node = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict) and part in node, f"{ref} does not resolve"
        node = node[part]
    return node


def all_refs(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from all_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from all_refs(value)


def test_openapi_version(document):
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] and document["info"]["version"]


def test_openapi_covers_every_route_and_no_other(document):
    from app import app

    served = {(path, method.lower()) for path, methods in app.routes.items() for method in methods}
    described = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert served == described
    for path, method in served:
        operation = document["paths"][path][method]
        assert operation["summary"] and operation["responses"]
        declared = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
        assert declared == set(re.findall(r"{([^}]+)}", path))


def test_complaint_request_body_is_the_validating_model(document):
    from chalicelib.domain.complaint_input import ComplaintInput

    body = document["paths"]["/complaints"]["post"]["requestBody"]
    schema = resolve(document, body["content"]["application/json"]["schema"]["$ref"])
    assert schema["title"] == "ComplaintInput"
    assert schema["properties"]["subject"]["maxLength"] == 200
    assert schema["properties"]["description"]["maxLength"] == 10_000
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"category", "subject", "description", "complainant"}

    from chalicelib.config import get_settings
    from chalicelib.http.openapi import fill_configured

    own = ComplaintInput.model_json_schema(ref_template="#/components/schemas/{model}")
    own.pop("$defs", None)
    assert schema == fill_configured(own, get_settings())


def test_error_responses_use_the_error_schema(document):
    post = document["paths"]["/complaints"]["post"]
    for status in ("400", "413", "415", "422"):
        ref = post["responses"][status]["content"]["application/json"]["schema"]["$ref"]
        assert set(resolve(document, ref)["properties"]) == {"error"}
    receipt = resolve(
        document, post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    )  # noqa: E501
    assert {"number", "tracking_token", "status"} <= set(receipt["properties"])


def test_every_ref_resolves_within_components(document):
    refs = set(all_refs(document))
    assert refs
    for ref in refs:
        assert ref.startswith("#/components/"), ref
        resolve(document, ref)


# -- (e) the web form ------------------------------------------------------------------


def clear_caches(module) -> None:
    for value in vars(module).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()


@pytest.fixture
def own_categories(aws, monkeypatch):
    """An organisation with its own categories; settings and pages are built once."""
    from chalicelib import wiring
    from chalicelib.config import get_settings
    from chalicelib.http import meta

    def rebuild():
        get_settings.cache_clear()
        clear_caches(meta)
        wiring.set_services(None)
        get_settings()  # read now, outside the test client's stage environment

    monkeypatch.setenv("CATEGORIES", "noise_at_night,bad_odour")
    rebuild()
    yield
    monkeypatch.delenv("CATEGORIES")
    rebuild()


def form_page(client) -> tuple[str, str]:
    """The form's HTML, and the HTML with the same-origin scripts it loads (what runs)."""
    response = client.http.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    html = response.body.decode("utf-8")
    scripts = []
    for src in re.findall(r'<script[^>]*\ssrc="(/[^"]+)"', html):
        asset = client.http.get(src.split("?")[0])
        assert asset.status_code == 200, src
        scripts.append(asset.body.decode("utf-8"))
    return html, "\n".join([html, *scripts])


def configured_categories(html: str) -> list[str]:
    found = re.search(r'"categories":\s*(\[[^\]]*\])', html)
    assert found, "the page carries no category list"
    return json.loads(found.group(1))


def test_form_is_bilingual_html(client):
    html, everything = form_page(client)
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert "__CONFIG__" not in html
    for text in ("投诉登记", "Submit a complaint", "/complaints"):
        assert text in everything, text


def test_form_offers_the_configured_categories(client, own_categories):
    html, _ = form_page(client)
    assert configured_categories(html) == ["noise_at_night", "bad_odour"]


def test_form_offers_the_default_categories(client):
    from chalicelib.config import get_settings

    html, _ = form_page(client)
    assert configured_categories(html) == list(get_settings().categories)
