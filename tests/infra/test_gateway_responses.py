"""API Gateway's own answers use the service's error shape (issue 13, item 13)."""

from __future__ import annotations

import json

import pytest

from infra import build, gateway

STAGES = build.STAGES


@pytest.mark.parametrize("stage", STAGES)
def test_gateway_responses_are_in_the_apis_definition(templates, stage):
    definition = templates[stage]["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
    responses = definition["x-amazon-apigateway-gateway-responses"]
    # The routes chalice generated are still there: the merge added, it did not replace.
    assert "/staff/complaints" in definition["paths"]
    expected = {
        "UNAUTHORIZED": ("401", "unauthorized"),
        "ACCESS_DENIED": ("403", "forbidden"),
        "MISSING_AUTHENTICATION_TOKEN": ("404", "not_found"),
        "THROTTLED": ("429", "too_many_requests"),
        "DEFAULT_4XX": (None, "bad_request"),
        "DEFAULT_5XX": (None, "internal_error"),
    }
    for kind, (status, code) in expected.items():
        response = responses[kind]
        assert response.get("statusCode") == status, kind
        body = json.loads(response["responseTemplates"]["application/json"])
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
        assert body["error"]["code"] == code and body["error"]["message"]
        content_type = response["responseParameters"]["gatewayresponse.header.Content-Type"]
        assert content_type == "'application/json'"


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (401, b'{"message":"Unauthorized"}', (401, "unauthorized")),
        (403, b'{"message": "Missing Authentication Token"}', (404, "not_found")),
        (403, b'{"message": "Authorization header requires \'Credential\'"}', (404, "not_found")),
        (403, b'{"Message": "User is not authorized"}', (403, "forbidden")),
        (504, b'{"message": "Timeout"}', (504, "internal_error")),
    ],
)
def test_the_local_stack_answers_as_the_gateway_does(status, body, expected):
    answer_status, answer = gateway.local_answer(status, body)
    assert (answer_status, json.loads(answer)["error"]["code"]) == expected
