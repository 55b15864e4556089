"""Routes of the follow-up by phone: the callback list and recording a call (staff), and
the survey page's SMS opt-out (complainant)."""

from __future__ import annotations

from chalice import Blueprint, Response

from ..domain.callbacks import CallbackAttemptInput
from ..service.intake import sms_opt_out
from ..wiring import get_services
from .auth import current_actor
from .errors import handles_errors, read_json
from .openapi import Later, documented, header
from .public import ANY_BODY
from .staff import STAFF_ERRORS, expected_version, staff_jwt

callbacks = Blueprint(__name__)


OPTIONAL_IF_MATCH = header(
    "If-Match", "the ETag you read; if given and stale, 409 (without it, the current version)"
)


@callbacks.route("/staff/callbacks", methods=["GET"], authorizer=staff_jwt)
@documented(
    "Callbacks due (today, overdue, or both) for the roles that make them, by department",
    responses={200: Later("chalicelib.http.schemas_callbacks", "CallbackList")},
    query=Later("chalicelib.service.callbacks", "CallbackQuery"),
    errors=STAFF_ERRORS,
    secured=True,
)
@handles_errors
def list_callbacks():
    from ..service import callbacks as use_case

    query = dict(callbacks.current_request.query_params or {})
    actor = current_actor(callbacks.current_request)
    return use_case.list_due(query, actor, get_services())


@callbacks.route(
    "/staff/complaints/{number}/callbacks",
    methods=["POST"],
    authorizer=staff_jwt,
    content_types=ANY_BODY,
)
@documented(
    "Record a callback attempt: outcome, slot, and the answers when reached",
    request=CallbackAttemptInput,
    responses={200: Later("chalicelib.http.schemas_callbacks", "CallbackResult")},
    parameters=[OPTIONAL_IF_MATCH],
    errors=STAFF_ERRORS,
    secured=True,
)
@handles_errors
def record_callback(number):
    from ..service import callbacks as use_case

    request = callbacks.current_request
    actor = current_actor(request)
    version = expected_version(request) if request.headers.get("if-match") else None
    services = get_services()
    body = read_json(request, services.settings.max_body_bytes)
    result = use_case.record(number, body, actor, version, services)
    return Response(body=result, status_code=200, headers={"ETag": f'"{result["version"]}"'})


@callbacks.route("/complaints/{number}/sms-opt-out", methods=["POST"], content_types=ANY_BODY)
@documented(
    "Stop text messages to the complainant's mobile (from the survey page)",
    responses={200: Later("chalicelib.http.schemas_callbacks", "OptOut")},
    parameters=[
        header(
            "X-Tracking-Token", "the tracking token, or the token of the survey link", required=True
        )
    ],
    errors=(404,),
)
@handles_errors
def opt_out(number):
    token = callbacks.current_request.headers.get("x-tracking-token")
    return sms_opt_out(number, token, get_services())
