"""Routes for staff under /staff/: every one needs a bearer token (401) and a role and
department that allow the action (403)."""

from __future__ import annotations

from chalice import Blueprint

from ..domain.handling import BODIES, HANDLING_FIELDS
from ..domain.lifecycle import Action
from ..wiring import get_services
from .auth import current_actor, staff_authorizer
from .errors import HttpError
from .openapi import SCHEMAS, Later, if_match_header
from .receipt import receipt_body
from .routing import caller, created, json_body, query, routes, with_etag

staff = Blueprint(__name__)


@staff.authorizer(name="staff_jwt")
def staff_jwt(auth_request):
    # Decorated here, not at its definition, so that the Lambda handler Chalice packages
    # (chalicelib.http.staff.staff_jwt) is the wrapper that takes (event, context).
    return staff_authorizer(auth_request)


authorizer = staff_jwt

COMMANDS = "chalicelib.domain.commands"  # the bodies: imported by the document and the views
STAFF_ERRORS = (400, 401, 403, 404, 409, 413, 415)
ACTION_PATHS = {
    "accept": Action.accept,
    "refuse": Action.refuse,
    "transfer": Action.transfer,
    "assign": Action.assign,
    "start": Action.start,
    "wait": Action.wait,
    "resume": Action.resume,
    "handling": Action.record_handling,
    "resolve": Action.resolve,
    "close": Action.close,
    "reopen": Action.reopen,
    "notes": Action.add_note,
    "extension-request": Action.request_extension,
    "extension-decision": Action.decide_extension,
    "grade": Action.change_grade,
    "conflicts": Action.mark_conflict,
}
IF_MATCH = if_match_header()
# Rules JSON Schema cannot carry (time, the case's state, several fields): see openapi.py.
FINISH = {"actual_finish": "not before actual_start"}
ACTION_CONDITIONS = {
    Action.record_handling: FINISH,
    Action.resolve: {
        **FINISH,
        **{f: "on record before resolving (sent now or earlier)" for f in HANDLING_FIELDS},
        "finding": "required when the case's kind is complaint (other kinds may carry one)",
    },
    Action.request_extension: {
        "new_due": "later than the resolution deadline, within the limit for the grade"
    },
    Action.decide_extension: {"approve": "only while an extension request is pending"},
}
LIST_CONDITIONS = {
    "cursor": "only a next_cursor this list returned, with the same filters",
    "received_from": "within the dates the service keeps lists for",
    "received_to": "not before received_from, within the same bounds",
}
INTAKE_CONDITIONS = {"received_at": "not in the future, nor before the service's look-back"}
ETAG = {"ETag": "the version, to send back as If-Match"}


def expected_version(request) -> int:
    raw = (request.headers.get("if-match") or "").strip()
    if not raw:
        raise HttpError(428, "precondition_required", "send If-Match with the ETag you read")
    raw = raw.removeprefix("W/").strip('"')
    if not raw.isdigit():
        raise HttpError(400, "validation_error", "invalid If-Match", {"If-Match": "not an ETag"})
    return int(raw)


def optional_version(request) -> int | None:
    """The If-Match version when one is sent (a stale one gets 409), else None."""
    if not (request.headers.get("if-match") or "").strip():
        return None
    return expected_version(request)


def staff_routes(blueprint, errors=STAFF_ERRORS, **defaults):
    """The declarer of `blueprint`'s routes for signed-in staff (routing.routes behind the
    bearer token, with the staff errors unless told)."""
    return routes(blueprint, authorizer=authorizer, errors=errors, **defaults)


staff_route = staff_routes(staff)
STAFF_COMPLAINT = Later(SCHEMAS, "StaffComplaint")


@staff_route(
    "GET /staff/complaints",
    Later(SCHEMAS, "StaffList"),
    query=Later("chalicelib.domain.listing", "ListCriteria"),
    conditions=LIST_CONDITIONS,
)
def list_complaints():
    """List complaints (filters are key or index queries)"""
    from ..service import staff as use_case

    return use_case.list_complaints(query(staff), *caller(staff))


@staff_route(
    "POST /staff/complaints",
    created=Later(SCHEMAS, "Receipt"),
    request=Later(COMMANDS, "StaffIntake"),
    conditions=INTAKE_CONDITIONS,
)
def record_intake():
    """Record a complaint taken by phone, visit, letter, fax or e-mail"""
    from ..service import staff as use_case

    actor = current_actor(staff.current_request)
    receipt = use_case.record_intake(json_body(staff), actor, get_services())
    return created(receipt_body(receipt), f"/staff/complaints/{receipt.number}")


@staff_route("GET /staff/complaints/{number}", STAFF_COMPLAINT, response_headers=ETAG)
def get_complaint(number):
    """One complaint, with its ETag"""
    from ..service import staff as use_case

    return with_etag(use_case.get_complaint(number, *caller(staff)))


@staff_route("GET /staff/complaints/{number}/history", Later(SCHEMAS, "HistoryEntry"))
def complaint_history(number):
    """The audit trail: every change, who, role, when, before and after"""
    from ..service import staff as use_case

    return {"items": use_case.history(number, *caller(staff))}


@staff_route("GET /staff/outbox/failed", Later(SCHEMAS, "FailedNotifications"))
def failed_notifications():
    """Notifications given up after their last retry (admins)"""
    from ..service import staff as use_case

    return {"items": use_case.failed_notifications(*caller(staff))}


def _action_view(action: Action):
    def view(number):
        from ..service import staff as use_case

        request = staff.current_request
        actor = current_actor(request)
        version = expected_version(request)
        result = use_case.act(number, action, json_body(staff), actor, version, get_services())
        return with_etag(result)

    view.__name__ = f"act_{action.value}"
    return view


for _segment, _action in ACTION_PATHS.items():
    staff_route(
        f"POST /staff/complaints/{{number}}/{_segment}",
        STAFF_COMPLAINT,
        summary=f"{_action.value.replace('_', ' ').capitalize()} (If-Match required)",
        request=Later(COMMANDS, BODIES[_action]),
        response_headers=ETAG,
        parameters=[IF_MATCH],
        conditions=ACTION_CONDITIONS.get(_action),
        errors=(*STAFF_ERRORS, 428),
        name=f"act_{_action.value}",
    )(_action_view(_action))
