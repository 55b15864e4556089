"""/openapi.json says what the server takes and answers: enums from the deployment's
settings, the conditional rules, every status an operation can answer, Open311 included.
The generated-examples run (test_schemathesis.py) checks the same from the outside."""

from __future__ import annotations

import dataclasses
import re

import pytest
from chalice import Chalice
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from chalicelib.domain.fields import MOBILE_PATTERN
from chalicelib.http.openapi import ETAG_PATTERN, Undocumented, build_document, documented
from tests.helpers import complaint_body, post_json

ERROR_STATUSES = {"400", "401", "403", "404", "409", "413", "415", "422", "428", "429", "503"}


@pytest.fixture
def document(client):
    response = client.http.get("/openapi.json")
    assert response.status_code == 200
    return response.json_body


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def validator(document, name: str) -> Draft202012Validator:
    root = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    return Draft202012Validator(root)


def test_the_document_is_valid_openapi_3_1(document):
    from openapi_spec_validator import OpenAPIV31SpecValidator

    errors = [str(error)[:300] for error in OpenAPIV31SpecValidator(document).iter_errors()]
    assert errors == []


# -- every status, structurally ------------------------------------------------------------


def test_every_operation_lists_what_its_route_implies(document):
    for path, method, operation in operations(document):
        statuses = set(operation["responses"])
        where = f"{method.upper()} {path}"
        assert "429" in statuses, where
        if operation.get("security"):
            assert {"401", "403"} <= statuses, where
        body = operation.get("requestBody", {}).get("content", {})
        if "application/json" in body:
            assert {"400", "413", "415"} <= statuses, where
        if "{" in path and method != "options":
            assert "404" in statuses, where
        names = {p["name"] for p in operation["parameters"]}
        if "If-Match" in names:
            assert {"400", "428"} <= statuses, where
        if any(p["in"] == "query" for p in operation["parameters"]):
            assert "400" in statuses, where


def test_every_error_answer_has_a_body_schema(document):
    for path, method, operation in operations(document):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert response["content"], f"{method} {path} {status}"
                assert status in ERROR_STATUSES, f"{method} {path} {status}"


def test_staff_actions_list_every_refusal(document):
    accept = document["paths"]["/staff/complaints/{number}/accept"]["post"]
    assert set(accept["responses"]) == {"200"} | (ERROR_STATUSES - {"422", "503"})
    intake = document["paths"]["/complaints"]["post"]
    assert set(intake["responses"]) == {"201", "400", "409", "413", "415", "422", "429"}


@pytest.mark.parametrize(
    "document_it",
    [documented("A thing"), lambda view: view],
    ids=["declares no errors", "no description"],
)
def test_an_undocumented_route_breaks_the_document(document_it):
    app = Chalice(app_name="probe")

    @app.route("/thing", methods=["GET"])
    @document_it
    def thing():
        return {}

    with pytest.raises(Undocumented, match="GET /thing"):
        build_document(app, settings=_settings())


def test_declared_errors_are_added_to_the_implied_ones():
    app = Chalice(app_name="probe")

    @app.route("/thing/{id}", methods=["GET"])
    @documented("A thing", errors=(409,))
    def thing(id):
        return {}

    responses = build_document(app, settings=_settings())["paths"]["/thing/{id}"]["get"]
    assert set(responses["responses"]) == {"200", "404", "409", "429"}


# -- values the server checks --------------------------------------------------------------


def _settings(**changes):
    from chalicelib.config import get_settings

    return dataclasses.replace(get_settings(), **changes)


def test_categories_and_departments_are_the_configured_enums(document):
    from chalicelib.config import get_settings

    settings = get_settings()
    schema = document["components"]["schemas"]["ComplaintInput"]["properties"]
    assert schema["category"]["enum"] == list(settings.categories)
    department = schema["department"]["anyOf"][0]
    assert department["enum"] == list(settings.departments) == ["service", "sales", "quality"]
    listed = document["paths"]["/staff/complaints"]["get"]["parameters"]
    [filter_] = [p for p in listed if p["name"] == "department"]
    assert filter_["schema"]["enum"] == list(settings.departments)


def test_the_enums_follow_the_deployment():
    from app import app

    settings = _settings(categories=("noise", "odour"), departments=("roads",))
    document = build_document(app, settings=settings)
    schema = document["components"]["schemas"]["ComplaintInput"]["properties"]
    assert schema["category"]["enum"] == ["noise", "odour"]
    assert schema["department"]["anyOf"][0]["enum"] == ["roads"]
    assert "x-configured" not in str(document)
    form = document["paths"]["/open311/v2/requests.json"]["post"]["requestBody"]
    properties = form["content"]["application/x-www-form-urlencoded"]["schema"]["properties"]
    assert properties["service_code"]["enum"] == ["noise", "odour"]
    assert properties["attribute[department]"]["enum"] == ["roads"]


def test_grades_are_an_enum(document):
    from chalicelib.domain.grading import GRADES

    change = document["components"]["schemas"]["GradeChange"]["properties"]["grade"]
    assert change["enum"] == list(GRADES)
    listed = document["paths"]["/staff/complaints"]["get"]["parameters"]
    [grade] = [p for p in listed if p["name"] == "grade"]
    assert grade["schema"]["enum"] == list(GRADES)


def test_staff_intake_lists_only_staff_channels(document):
    channel = document["components"]["schemas"]["StaffIntake"]["properties"]["channel"]
    assert set(channel["enum"]) == {"phone", "email", "fax", "letter", "visit", "other"}


def test_attachment_content_types_are_listed(document):
    from chalicelib.domain.complaint_input import ALLOWED_ATTACHMENT_TYPES

    ref = document["components"]["schemas"]["AttachmentRef"]["properties"]["content_type"]
    assert ref["enum"] == list(ALLOWED_ATTACHMENT_TYPES)


def test_if_match_takes_only_the_etag_the_server_gives(client, document, token):
    from chalicelib.http.staff import expected_version

    accept = document["paths"]["/staff/complaints/{number}/accept"]["post"]
    [if_match] = [p for p in accept["parameters"] if p["name"] == "If-Match"]
    assert if_match["required"] and if_match["schema"]["pattern"] == ETAG_PATTERN
    number = post_json(client, "/complaints", complaint_body()).json_body["number"]
    headers = {"Authorization": token("supervisor")}
    etag = client.http.get(f"/staff/complaints/{number}", headers=headers).headers["ETag"]
    for value in (etag, f"W/{etag}", '"12"'):
        assert re.search(ETAG_PATTERN, value), value
        assert expected_version(_Headers({"if-match": value})) >= 0
    for value in ("*", "abc", '"v1"', "3 "):
        assert not re.search(ETAG_PATTERN, value), value


class _Headers:
    def __init__(self, headers):
        self.headers = headers


# -- the conditional rule, as JSON Schema and as the server sees it ----------------------

COMPLAINANTS = [
    ({"name": "Li", "mobile": "13800138000"}, True),
    ({"name": "Li", "address": "1 Main St"}, True),
    ({"anonymous": True}, True),
    ({"anonymous": True, "name": "Li"}, True),
    ({"mobile": "13800138000"}, False),  # no name
    ({"name": "   ", "email": "li@example.com"}, False),  # a blank name
    ({"name": "Li"}, False),  # no way to reach them
    ({"name": "Li", "address": " "}, False),
    ({"anonymous": False, "email": "li@example.com"}, False),
    ({"name": "Li", "mobile": "12"}, False),
]


@pytest.mark.parametrize("complainant, valid", COMPLAINANTS)
def test_name_unless_anonymous_is_json_schema(client, document, complainant, valid):
    body = complaint_body(complainant=complainant)
    assert validator(document, "ComplaintInput").is_valid(body) is valid
    status = post_json(client, "/complaints", body).status_code
    assert status == (201 if valid else 400)


def test_the_rule_is_an_if_then(document):
    complainant = document["components"]["schemas"]["Complainant"]
    assert complainant["if"] == {"properties": {"anonymous": {"const": False}}}
    assert "name" in complainant["then"]["required"]


def test_lat_and_long_go_together(document):
    check = validator(document, "ComplaintInput")
    assert check.is_valid(complaint_body(location={"lat": 1.5, "long": 2.5}))
    assert check.is_valid(complaint_body(location={"address_string": "1 Main St"}))
    assert not check.is_valid(complaint_body(location={"lat": 1.5}))


# -- Open311 -------------------------------------------------------------------------------


def test_open311_post_documents_its_form_key_and_errors(document):
    for fmt in ("json", "xml"):
        post = document["paths"][f"/open311/v2/requests.{fmt}"]["post"]
        form = post["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
        assert {"api_key", "service_code"} <= set(form["required"])
        assert form["additionalProperties"] is False
        assert form["dependentRequired"] == {"lat": ["long"], "long": ["lat"]}
        assert {"200", "400", "403", "404", "429"} == set(post["responses"])
        error = post["responses"]["403"]["content"]
        assert list(error) == (["application/json"] if fmt == "json" else ["text/xml"])


def test_open311_form_rules_match_the_server(client, document, monkeypatch):
    from tests.api.test_open311 import BASE, FORM, KEY

    monkeypatch.setenv("OPEN311_API_KEYS", KEY)
    post = document["paths"]["/open311/v2/requests.json"]["post"]
    schema = post["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    check = Draft202012Validator({**schema, "components": document["components"]})
    cases = [
        ({"service_code": "billing", "address_string": "1 Main St"}, True),
        ({"service_code": "billing", "lat": 1.0, "long": 2.0, "first_name": "A"}, False),
        ({"service_code": "billing", "lat": 1.0}, False),
        ({"service_code": "billing", "email": "a@example.com", "lat": 1.0, "long": 2}, False),
        (
            {
                "service_code": "billing",
                "email": "a@example.com",
                "last_name": "B",
                "lat": 1.0,
                "long": 2.0,
            },
            True,
        ),
        ({"service_code": "billing", "address_id": "7", "attribute[kind]": "request"}, True),
        ({"service_code": "billing", "address_id": "7", "attribute[nope]": "x"}, False),
    ]
    for form, valid in cases:
        form = {"api_key": KEY, **form}
        assert check.is_valid(form) is valid, form
        encoded = "&".join(f"{key}={value}" for key, value in form.items()).replace("@", "%40")
        response = client.http.post(f"{BASE}/requests.json", headers=FORM, body=encoded)
        assert response.status_code == (200 if valid else 400), (form, response.body)


def test_open311_filters_are_typed(document):
    get = document["paths"]["/open311/v2/requests.json"]["get"]
    params = {p["name"]: p for p in get["parameters"]}
    assert params["status"]["schema"]["items"]["enum"] == ["open", "closed"]
    assert params["status"]["explode"] is False
    assert params["page"]["schema"]["type"] == "integer"
    assert params["page_size"]["schema"]["maximum"] == 1000
    assert {"format": "date-time", "type": "string"} in params["start_date"]["schema"]["anyOf"]
    assert set(get["x-conditions"]) >= {"start_date", "end_date", "page"}
    assert "page × page_size" in get["description"]


def test_open311_suffix_is_in_the_path_schema(document):
    for path in ("/open311/v2/requests/{id_ext}", "/open311/v2/services/{code_ext}"):
        get = document["paths"][path]["get"]
        [suffix] = [p for p in get["parameters"] if p["in"] == "path"]
        pattern = suffix["schema"]["pattern"]
        assert re.search(pattern, "TS-1.json") and re.search(pattern, "billing.xml")
        assert not re.search(pattern, "TS-1")
        assert set(get["responses"]["200"]["content"]) == {"application/json", "text/xml"}
        assert set(get["responses"]) == {"200", "400", "404", "429"}


def test_every_if_match_takes_the_etag_pattern(document):
    for path, method, operation in operations(document):
        for parameter in operation["parameters"]:
            if parameter["name"].lower() == "if-match":
                assert parameter["schema"]["pattern"] == ETAG_PATTERN, f"{method} {path}"


@settings(max_examples=200, deadline=None)
@given(number=st.from_regex(MOBILE_PATTERN, fullmatch=True))
def test_every_mobile_the_document_allows_is_one_the_server_takes(number):
    from chalicelib.domain.contact import normalise_mobile

    assert normalise_mobile(number.strip()).startswith("+")


@pytest.mark.parametrize(
    "complainant, valid",
    [
        ({"name": "Li", "address": "1 Main St", "contact_preference": "sms"}, False),
        ({"name": "Li", "mobile": "13800138000", "contact_preference": "sms"}, True),
        ({"name": "Li", "mobile": "13800138000", "contact_preference": "email"}, False),
        ({"name": "Li", "office_phone": "010 1234 5678", "contact_preference": "phone"}, True),
        ({"anonymous": True, "contact_preference": "email"}, True),
    ],
)
def test_a_contact_preference_needs_its_contact(client, document, complainant, valid):
    body = complaint_body(complainant=complainant)
    assert validator(document, "ComplaintInput").is_valid(body) is valid
    assert post_json(client, "/complaints", body).status_code == (201 if valid else 400)


@pytest.mark.parametrize(
    "attempt, valid",
    [
        ({"outcome": "reached", "slot": "morning"}, False),
        ({"outcome": "busy", "slot": "morning"}, True),
        ({"outcome": "busy", "slot": "morning", "answers": None}, True),
        (
            {
                "outcome": "reached",
                "slot": "morning",
                "answers": {"solved": True, "satisfaction": 4, "staff_attitude": 5},
            },
            True,
        ),
        ({"outcome": "busy", "slot": "morning", "if_dissatisfied": "reopen"}, False),
    ],
)
def test_callback_answers_only_when_reached(document, attempt, valid):
    from pydantic import ValidationError

    from chalicelib.domain.callback_input import CallbackAttemptInput

    assert validator(document, "CallbackAttemptInput").is_valid(attempt) is valid
    try:
        CallbackAttemptInput.model_validate(attempt)
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted is valid
