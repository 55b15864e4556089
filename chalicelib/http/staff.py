"""Routes for staff under /staff/: every one needs a bearer token (401) and a role and
department that allow the action (403)."""

from __future__ import annotations

from chalice import Blueprint, Response

from ..domain import commands
from ..domain.handling import BODIES, HANDLING_FIELDS
from ..domain.lifecycle import Action
from ..domain.listing import ListCriteria
from ..wiring import get_services
from .auth import current_actor, staff_authorizer
from .errors import HttpError, handles_errors, read_json
from .openapi import SCHEMAS, Later, documented, if_match_header
from .public import ANY_BODY
from .receipt import receipt_body

staff = Blueprint(__name__)


@staff.authorizer(name="staff_jwt")
def staff_jwt(auth_request):
    # Decorated here, not at its definition, so that the Lambda handler Chalice packages
    # (chalicelib.http.staff.staff_jwt) is the wrapper that takes (event, context).
    return staff_authorizer(auth_request)


authorizer = staff_jwt

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


def _body() -> dict:
    request = staff.current_request
    return read_json(request, get_services().settings.max_body_bytes)


def _with_etag(view: dict, status: int = 200) -> Response:
    return Response(body=view, status_code=status, headers={"ETag": f'"{view["version"]}"'})


def expected_version(request) -> int:
    raw = (request.headers.get("if-match") or "").strip()
    if not raw:
        raise HttpError(428, "precondition_required", "send If-Match with the ETag you read")
    raw = raw.removeprefix("W/").strip('"')
    if not raw.isdigit():
        raise HttpError(400, "validation_error", "invalid If-Match", {"If-Match": "not an ETag"})
    return int(raw)


@staff.route("/staff/complaints", methods=["GET"], authorizer=authorizer)
@documented(
    "List complaints (filters are key or index queries)",
    responses={200: Later(SCHEMAS, "StaffList")},
    query=ListCriteria,
    conditions=LIST_CONDITIONS,
    errors=STAFF_ERRORS,
    secured=True,
)
@handles_errors
def list_complaints():
    from ..service import staff as use_case

    query = staff.current_request.query_params or {}
    return use_case.list_complaints(
        dict(query), current_actor(staff.current_request), get_services()
    )


@staff.route("/staff/complaints", methods=["POST"], authorizer=authorizer, content_types=ANY_BODY)
@documented(
    "Record a complaint taken by phone, visit, letter, fax or e-mail",
    request=commands.StaffIntake,
    responses={201: Later(SCHEMAS, "Receipt")},
    conditions=INTAKE_CONDITIONS,
    errors=STAFF_ERRORS,
    secured=True,
)
@handles_errors
def record_intake():
    from ..service import staff as use_case

    actor = current_actor(staff.current_request)
    receipt = use_case.record_intake(_body(), actor, get_services())
    return Response(
        body=receipt_body(receipt),
        status_code=201,
        headers={"Location": f"/staff/complaints/{receipt.number}"},
    )


@staff.route("/staff/complaints/{number}", methods=["GET"], authorizer=authorizer)
@documented(
    "One complaint, with its ETag",
    responses={200: Later(SCHEMAS, "StaffComplaint")},
    response_headers=ETAG,
    errors=STAFF_ERRORS,
    secured=True,
)
@handles_errors
def get_complaint(number):
    from ..service import staff as use_case

    actor = current_actor(staff.current_request)
    return _with_etag(use_case.get_complaint(number, actor, get_services()))


@staff.route("/staff/complaints/{number}/history", methods=["GET"], authorizer=authorizer)
@documented(
    "The audit trail: every change, who, role, when, before and after",
    responses={200: Later(SCHEMAS, "HistoryEntry")},
    errors=STAFF_ERRORS,
    secured=True,
)
@handles_errors
def complaint_history(number):
    from ..service import staff as use_case

    actor = current_actor(staff.current_request)
    return {"items": use_case.history(number, actor, get_services())}


@staff.route("/staff/outbox/failed", methods=["GET"], authorizer=authorizer)
@documented(
    "Notifications given up after their last retry (admins)",
    responses={200: Later(SCHEMAS, "FailedNotifications")},
    errors=STAFF_ERRORS,
    secured=True,
)
@handles_errors
def failed_notifications():
    from ..service import staff as use_case

    actor = current_actor(staff.current_request)
    return {"items": use_case.failed_notifications(actor, get_services())}


def _action_view(action: Action):
    def view(number):
        from ..service import staff as use_case

        request = staff.current_request
        actor = current_actor(request)
        version = expected_version(request)
        result = use_case.act(number, action, _body(), actor, version, get_services())
        return _with_etag(result)

    view.__name__ = f"act_{action.value}"
    return view


for _segment, _action in ACTION_PATHS.items():
    _view = handles_errors(_action_view(_action))
    documented(
        f"{_action.value.replace('_', ' ').capitalize()} (If-Match required)",
        request=BODIES[_action],
        responses={200: Later(SCHEMAS, "StaffComplaint")},
        response_headers=ETAG,
        parameters=[IF_MATCH],
        conditions=ACTION_CONDITIONS.get(_action),
        errors=(*STAFF_ERRORS, 428),
        secured=True,
    )(_view)
    staff.route(
        f"/staff/complaints/{{number}}/{_segment}",
        methods=["POST"],
        authorizer=authorizer,
        content_types=ANY_BODY,
        name=f"act_{_action.value}",
    )(_view)
