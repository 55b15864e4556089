"""Examples generated from /openapi.json, sent to the app in-process (moto behind it).

For every operation schemathesis draws requests the document calls valid, and each answer
must be: never 5xx; a status the operation lists; of a documented media type and shape;
and an acceptance (2xx, or 401/403/404/409/429, which depend on who asks and on what
exists) - unless the 400 names only fields whose rule the operation declares in
`x-conditions` (rules that depend on time, on the case's state or on several fields).

Budget: EXAMPLES per operation, no shrinking; the whole module runs in well under a
minute. Cases go to a few real complaints as well as to random numbers, so bodies are
checked past the 404.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from chalicelib.adapters.clock import FixedClock
from tests.clock import default_now
from tests.conftest import add_staff_pool, forget_services, fresh_aws
from tests.helpers import complaint_body, post_json

EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "12"))
OPEN311_KEY = "contract-key-0123456789"
# Answers that depend on who asks and what exists (422: an Idempotency-Key drawn twice).
ACCEPTED = {401, 403, 404, 409, 422, 429}


class ChaliceWSGI:
    """A WSGI face for the Chalice app, through chalice.test's local API Gateway."""

    def __init__(self, client):
        self.client = client

    def __call__(self, environ, start_response):
        # PATH_INFO is the decoded path's bytes as latin-1: encode those bytes again.
        raw = environ.get("PATH_INFO", "/").encode("latin-1")
        path = quote(raw, safe="/")
        if environ.get("QUERY_STRING"):
            path += "?" + environ["QUERY_STRING"]
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if environ.get(key):
                headers[key.replace("_", "-").lower()] = environ[key]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        response = self.client.http.request(environ["REQUEST_METHOD"], path, headers, body)
        start_response(f"{response.status_code} -", list(_header_items(response.headers)))
        return [response.body]


def _header_items(headers):
    for name, value in headers.items():
        for item in value if isinstance(value, list) else [value]:
            yield name, str(item)


class NotAccepted(Failure):
    kind_title = "A request the document calls valid was refused"

    def __init__(self, operation: str, status: int, body: str):
        super().__init__(operation=operation, message=f"{status}: {body[:500]}")

    @property
    def _unique_key(self) -> str:
        return self.message


def accepted_unless_conditions(ctx, response, case):
    """A valid example is accepted, or refused for a rule the operation names."""
    status = response.status_code
    if status < 400 or status in ACCEPTED:
        return True
    conditions = case.operation.definition.raw.get("x-conditions", {})
    blamed = _blamed_fields(response)
    if status == 400 and conditions and blamed and blamed <= set(conditions):
        return True
    raise NotAccepted(case.operation.label, status, response.text)


def _blamed_fields(response) -> set[str]:
    """The fields an error names: ours in `fields`; Open311's as the first word of each
    description (as XML or JSON)."""
    text = response.text
    if text.startswith("<?xml"):
        root = ElementTree.fromstring(text)
        return {(item.text or "").split(" ")[0] for item in root.iter("description")}
    try:
        body = json.loads(text)
    except ValueError:
        return set()
    if isinstance(body, dict):
        return {key.split(".")[0] for key in (body.get("error", {}).get("fields") or {})}
    return {item["description"].split(" ")[0] for item in body if isinstance(item, dict)}


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    accepted_unless_conditions,
]


@dataclass
class Deployment:
    client: object
    auth: str  # a supervisor and manager of every department


@pytest.fixture(scope="module")
def deployment(token):
    """One deployment for the module, with what optional routes need: an Open311 key, a staff
    directory. Making it again for every operation (moto reset, tables, a user pool with
    the demo staff) was a third of the module's time. Every check holds whatever earlier
    operations added, and the real complaints the examples aim at are made fresh for each
    operation (make_known)."""
    from chalice.test import Client

    from app import app
    from chalicelib.adapters import directory

    with pytest.MonkeyPatch.context() as patch, Client(app) as client:
        # The document's enums are the organisation's settings, read from the table.
        fresh_aws(FixedClock(default_now()))
        add_staff_pool(patch)
        patch.setenv("OPEN311_API_KEYS", OPEN311_KEY)
        yield Deployment(client, token(["supervisor", "manager"], ["*"], user="contract-1"))
        directory._directory = None
        forget_services()


@pytest.fixture(autouse=True)
def services_on_the_tests_clock(deployment, pinned_clock):
    from chalicelib import wiring

    wiring.set_services(None)
    wiring.set_clock(pinned_clock)
    yield
    forget_services()


@pytest.fixture(scope="module")
def schema(deployment):
    """The document, read once through the app."""
    return schemathesis.openapi.from_wsgi("/openapi.json", ChaliceWSGI(deployment.client))


def make_known(client):
    """Two real complaints: numbers and tracking tokens the examples may point at."""
    made = []
    for body in (complaint_body(), complaint_body(complainant={"anonymous": True})):
        receipt = post_json(client, "/complaints", body).json_body
        made.append((receipt["number"], receipt["tracking_token"]))
    return made


def operations(preflights=False):
    from app import app

    return sorted(
        f"{method} {path}"
        for path, methods in app.routes.items()
        for method in methods
        if (method == "OPTIONS") == preflights
    )


@pytest.mark.parametrize("label", operations())
def test_generated_examples_are_accepted(label, schema, deployment):
    operation = schema.find_operation_by_label(label)
    assert operation is not None, f"{label} is not in the document"
    auth = deployment.auth
    known = make_known(deployment.client) if "{number}" in label else [None]
    real = st.sampled_from(known)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), target=st.one_of(st.none(), real))
    def run(case, target):
        headers = {"Authorization": auth}
        if isinstance(case.body, dict) and "api_key" in case.body:
            case.body["api_key"] = OPEN311_KEY  # else every POST stops at 403
        if target and "number" in (case.path_parameters or {}):
            number, tracking = target
            case.path_parameters["number"] = number
            if "X-Tracking-Token" in (case.headers or {}):
                case.headers["X-Tracking-Token"] = tracking
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


def test_preflights_answer_as_documented(schema):
    """CORS preflights: one route per path, a few examples each (they read nothing)."""
    for label in operations(preflights=True):
        operation = schema.find_operation_by_label(label)
        assert operation is not None, f"{label} is not in the document"

        @settings(
            max_examples=2,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            case.call_and_validate(checks=CHECKS)

        run()


def test_the_wsgi_adapter_passes_method_query_headers_and_body(deployment):
    statuses = []
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/complaints",
        "QUERY_STRING": "",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(json.dumps(complaint_body()))),
        "wsgi.input": io.BytesIO(json.dumps(complaint_body()).encode()),
    }
    wsgi = ChaliceWSGI(deployment.client)
    body = wsgi(environ, lambda status, headers: statuses.append(status))
    assert statuses == ["201 -"]
    assert json.loads(body[0])["number"]
