"""Per-request context: a correlation id on every log line and response, uniform errors."""

from __future__ import annotations

import re
import uuid

from ..observability import logger
from .errors import error_response

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")


def correlation_id(request) -> str:
    given = request.headers.get("x-correlation-id", "")
    if _SAFE_ID.match(given):
        return given
    return (request.context or {}).get("requestId") or uuid.uuid4().hex


def request_context(request, get_response):
    log = logger()
    cid = correlation_id(request)
    log.set_correlation_id(cid)
    response = get_response(request)
    response = _uniform_error(response)
    _json_content_type(response)
    response.headers["X-Correlation-Id"] = cid
    route = (request.context or {}).get("resourcePath", "")
    log.info("request", method=request.method, route=route, status=response.status_code)
    return response


def _json_content_type(response) -> None:
    """A view that returns a dict answers JSON: say so (API Gateway would, chalice local
    does not), as the OpenAPI document does."""
    has_type = any(name.lower() == "content-type" for name in response.headers)
    if not has_type and isinstance(response.body, (dict, list)):
        response.headers["Content-Type"] = "application/json"


def _uniform_error(response):
    """Chalice answers some requests itself (405, 415); give those our error shape too."""
    body = response.body
    if isinstance(body, dict) and set(body) == {"Code", "Message"}:
        code = re.sub(r"(?<!^)(?=[A-Z])", "_", body["Code"]).lower().removesuffix("_error")
        uniform = error_response(response.status_code, code, body["Message"])
        uniform.headers = {**response.headers, **uniform.headers}
        return uniform
    return response
