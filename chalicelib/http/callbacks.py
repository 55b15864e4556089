"""Routes of the follow-up by phone: the callback list and recording a call (staff), and
the survey page's SMS opt-out (complainant)."""

from __future__ import annotations

from chalice import Blueprint

from ..service.intake import sms_opt_out
from ..wiring import get_services
from .auth import current_actor
from .openapi import Later, header
from .routing import (
    SURVEY_TOKEN,
    caller,
    complainant_routes,
    json_body,
    query,
    tracking_token,
    with_etag,
)
from .staff import optional_version, staff_routes

SCHEMAS = "chalicelib.http.schemas_callbacks"  # imported when the document is built

callbacks = Blueprint(__name__)
complainant_route = complainant_routes(callbacks)
staff_route = staff_routes(callbacks)


OPTIONAL_IF_MATCH = header(
    "If-Match", "the ETag you read; if given and stale, 409 (without it, the current version)"
)


@staff_route(
    "GET /staff/callbacks",
    Later(SCHEMAS, "CallbackList"),
    query=Later("chalicelib.service.callbacks", "CallbackQuery"),
)
def list_callbacks():
    """Callbacks due (today, overdue, or both) for the roles that make them, by department"""
    from ..service import callbacks as use_case

    return use_case.list_due(query(callbacks), *caller(callbacks))


@staff_route(
    "POST /staff/complaints/{number}/callbacks",
    Later(SCHEMAS, "CallbackResult"),
    request=Later("chalicelib.domain.callback_input", "CallbackAttemptInput"),
    parameters=[OPTIONAL_IF_MATCH],
)
def record_callback(number):
    """Record a callback attempt: outcome, slot, and the answers when reached"""
    from ..service import callbacks as use_case

    actor = current_actor(callbacks.current_request)
    version = optional_version(callbacks.current_request)
    body = json_body(callbacks)
    return with_etag(use_case.record(number, body, actor, version, get_services()))


@complainant_route(
    "POST /complaints/{number}/sms-opt-out",
    Later(SCHEMAS, "OptOut"),
    parameters=[SURVEY_TOKEN],
)
def opt_out(number):
    """Stop text messages to the complainant's mobile (from the survey page)"""
    return sms_opt_out(number, tracking_token(callbacks), get_services())
