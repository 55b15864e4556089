"""One place that turns every refusal into a JSON error response, and never a 500 for input.

Body: {"error": {"code": "...", "message": "...", "fields": {"a.b": "why"}}}.
"""

from __future__ import annotations

import functools
import json
from contextlib import contextmanager

from chalice import Response
from pydantic import ValidationError

from ..adapters.idempotency import AlreadyInProgress, KeyReusedWithOtherBody
from ..domain import errors as domain
from ..domain.limits import TooManyRequests
from ..observability import logger

JSON = "application/json"


class HttpError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields


def error_response(
    status: int, code: str, message: str, fields: dict | None = None, extra: dict | None = None
):
    body = {"code": code, "message": message, **(extra or {})}
    if fields:
        body["fields"] = fields
    return Response(body={"error": body}, status_code=status, headers={"Content-Type": JSON})


def validation_fields(error: ValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for item in error.errors(include_url=False, include_input=False):
        path = ".".join(str(part) for part in item["loc"]) or "body"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown field"
        fields.setdefault(path, message)
    return fields


_DOMAIN_STATUS = (
    (domain.NotFound, 404),
    (domain.Forbidden, 403),
    (domain.Conflict, 409),
    (domain.InvalidCommand, 400),
    (domain.DomainError, 400),
)


def _domain_response(error: domain.DomainError) -> Response:
    status = next(code for kind, code in _DOMAIN_STATUS if isinstance(error, kind))
    fields = getattr(error, "fields", None)
    extra = {k: v for k, v in error.details.items() if k != "fields"}
    return error_response(status, error.code, error.message, fields, extra)


def to_response(error: Exception) -> Response:
    if isinstance(error, HttpError):
        return error_response(error.status, error.code, error.message, error.fields)
    if isinstance(error, ValidationError):
        return error_response(
            400, "validation_error", "the request has invalid fields", validation_fields(error)
        )
    if isinstance(error, TooManyRequests):
        response = error_response(429, error.code, error.message)
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    if isinstance(error, domain.DomainError):
        return _domain_response(error)
    if isinstance(error, KeyReusedWithOtherBody):
        return error_response(
            422, "idempotency_key_reused", "this Idempotency-Key was used with a different body"
        )
    if isinstance(error, AlreadyInProgress):
        return error_response(
            409, "request_in_progress", "a request with this Idempotency-Key is still running"
        )
    logger().exception("unhandled error")
    return error_response(500, "internal_error", "an internal error occurred")


def handles_errors(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - mapped, logged if unexpected
            return to_response(error)

    return wrapper


@contextmanager
def directory_reachable():
    """The staff directory (Cognito) out of reach: 503 directory_unavailable."""
    from ..adapters.directory import DirectoryUnavailable

    try:
        yield
    except DirectoryUnavailable as error:
        raise HttpError(503, "directory_unavailable", str(error)) from error


def read_json(request, max_bytes: int) -> dict:
    """The JSON object in a request body, or an HttpError naming what is wrong with it."""
    raw = request.raw_body or b""
    if len(raw) > max_bytes:
        raise HttpError(413, "payload_too_large", f"the body is over {max_bytes} bytes")
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != JSON:
        raise HttpError(415, "unsupported_media_type", "send the body as application/json")
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise HttpError(400, "invalid_json", "the body is not valid JSON") from error
    if not isinstance(body, dict):
        raise HttpError(400, "invalid_json", "the body must be a JSON object")
    return body
