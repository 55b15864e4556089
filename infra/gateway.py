"""What API Gateway itself answers, in the service's one error shape.

Some requests never reach the function: no Authorization header on a staff route (the
authorizer is not even called), a path or method no route has, throttling, a gateway
timeout. API Gateway answers those with its own bodies (`{"message": "Unauthorized"}`,
403 `Missing Authentication Token` for an unknown path) unless the API defines gateway
responses. These are they: infra/api.py puts them in the REST API's definition
(`x-amazon-apigateway-gateway-responses`, deployed with the API), and the local stack's
server (scripts/serve_local.py) answers the same for the same cases.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class GatewayResponse:
    status: int | None  # None: keep the status API Gateway chose (the DEFAULT_* types)
    code: str
    message: str

    def body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message}}


NOT_FOUND = GatewayResponse(404, "not_found", "no such path or method")

RESPONSES = {
    # No Authorization header on a staff route: the authorizer never runs.
    "UNAUTHORIZED": GatewayResponse(
        401, "unauthorized", "sign in: send Authorization: Bearer <token>"
    ),
    "ACCESS_DENIED": GatewayResponse(403, "forbidden", "this request is not allowed"),
    # API Gateway's answer to a path or method no route has (403 by default).
    "MISSING_AUTHENTICATION_TOKEN": NOT_FOUND,
    # The same for an unknown path when an Authorization header that is not SigV4 is sent.
    "INCOMPLETE_SIGNATURE": NOT_FOUND,
    "THROTTLED": GatewayResponse(429, "too_many_requests", "too many requests; retry later"),
    "QUOTA_EXCEEDED": GatewayResponse(429, "too_many_requests", "too many requests; retry later"),
    "REQUEST_TOO_LARGE": GatewayResponse(413, "payload_too_large", "the request is too large"),
    "DEFAULT_4XX": GatewayResponse(None, "bad_request", "the request was refused"),
    "DEFAULT_5XX": GatewayResponse(None, "internal_error", "an internal error occurred"),
}


def swagger_extension() -> dict:
    """The `x-amazon-apigateway-gateway-responses` object of the API definition."""
    extension = {}
    for kind, response in RESPONSES.items():
        entry: dict = {
            "responseParameters": {
                "gatewayresponse.header.Content-Type": "'application/json'",
            },
            "responseTemplates": {"application/json": json.dumps(response.body())},
        }
        if response.status is not None:
            entry["statusCode"] = str(response.status)
        extension[kind] = entry
    return extension


def local_answer(status: int, body: bytes) -> tuple[int, bytes]:
    """What the deployed API answers where chalice's local gateway answers `status, body`
    (chalice local imitates API Gateway's default responses)."""
    if status == 401:
        kind = "UNAUTHORIZED"
    elif status == 403 and (b"Missing Authentication Token" in body or b"Credential" in body):
        kind = "MISSING_AUTHENTICATION_TOKEN"
    elif status == 403:
        kind = "ACCESS_DENIED"
    elif status == 429:
        kind = "THROTTLED"
    elif 400 <= status < 500:
        kind = "DEFAULT_4XX"
    else:
        kind = "DEFAULT_5XX"
    response = RESPONSES[kind]
    return response.status or status, json.dumps(response.body()).encode()
