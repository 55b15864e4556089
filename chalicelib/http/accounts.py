"""Staff accounts (issue 21 item 3): admins list, invite and change staff in the user pool.

Supervisors and up list their own departments' staff with GET /staff/directory."""

from __future__ import annotations

from chalice import Blueprint

from ..wiring import get_services
from .auth import current_actor
from .errors import HttpError, handles_errors, read_json
from .openapi import Later, documented, if_match_header
from .staff import STAFF_ERRORS, authorizer, expected_version

SCHEMAS = "chalicelib.http.schemas_accounts"  # imported when the document is built
DOMAIN = "chalicelib.domain.accounts"
MAX_BODY = 8192

accounts = Blueprint(__name__)

CHANGE_CONDITIONS = {
    "roles": "an admin cannot remove their own admin role (409, reason own_admin_role)",
    "enabled": "an admin cannot disable their own account (409, reason own_account)",
    "departments": "each an active department of the organisation's settings, or `*`",
}
PATCH_CONDITIONS = {
    **CHANGE_CONDITIONS,
    "If-Match": "the account's ETag (GET, or `etag` in the list); changed since: 409, reason"
    " stale. A change the user pool did not take is recorded: 409, reason pending; the same"
    " request sent again finishes it",
}
ETAG = {"ETag": "the account's version, to send back as If-Match"}


def _with_etag(view: dict):
    from chalice import Response

    return Response(body=view, status_code=200, headers={"ETag": view["etag"]})


def _unavailable(error) -> HttpError:
    return HttpError(503, "directory_unavailable", str(error))


@accounts.route("/staff/admin/users", methods=["GET"], authorizer=authorizer)
@documented(
    "Staff accounts, a page at a time (admin): e-mail, name, roles, departments, whether"
    " enabled and Cognito's status",
    responses={200: Later(SCHEMAS, "StaffAccountPage")},
    query=Later(DOMAIN, "AccountsQuery"),
    conditions={"cursor": "only a next_cursor this list returned"},
    errors=(*STAFF_ERRORS, 503),
    secured=True,
)
@handles_errors
def list_users():
    from ..adapters.directory import DirectoryUnavailable
    from ..service import accounts as use_case

    query = dict(accounts.current_request.query_params or {})
    actor = current_actor(accounts.current_request)
    try:
        return use_case.list_accounts(query, actor, get_services())
    except DirectoryUnavailable as error:
        raise _unavailable(error) from error


@accounts.route(
    "/staff/admin/users",
    methods=["POST"],
    authorizer=authorizer,
    content_types=["application/json"],
)
@documented(
    "Invite a staff member (admin): Cognito creates the account and mails a temporary"
    " password; the roles and departments are given at once. Audited (user.invite).",
    request=Later(DOMAIN, "Invitation"),
    responses={201: Later(SCHEMAS, "StaffAccount")},
    conditions={
        "departments": CHANGE_CONDITIONS["departments"],
        "email": "not already a staff account's (409, reason exists)",
    },
    errors=(*STAFF_ERRORS, 503),
    secured=True,
)
@handles_errors
def invite():
    from chalice import Response

    from ..adapters.directory import DirectoryUnavailable
    from ..service import accounts as use_case

    request = accounts.current_request
    actor = current_actor(request)
    body = read_json(request, MAX_BODY)
    try:
        view = use_case.invite(body, actor, get_services())
    except DirectoryUnavailable as error:
        raise _unavailable(error) from error
    return Response(body=view, status_code=201)


@accounts.route("/staff/admin/users/{user_id}", methods=["GET"], authorizer=authorizer)
@documented(
    "One staff account with its ETag (admin); a change a failure left pending is finished first",
    responses={200: Later(SCHEMAS, "StaffAccount")},
    response_headers=ETAG,
    errors=(*STAFF_ERRORS, 503),
    secured=True,
)
@handles_errors
def get_user(user_id):
    from ..adapters.directory import DirectoryUnavailable
    from ..service import accounts as use_case

    actor = current_actor(accounts.current_request)
    try:
        return _with_etag(use_case.get_account(user_id, actor, get_services()))
    except DirectoryUnavailable as error:
        raise _unavailable(error) from error


@accounts.route(
    "/staff/admin/users/{user_id}",
    methods=["PATCH"],
    authorizer=authorizer,
    content_types=["application/json"],
)
@documented(
    "Change a staff member's roles or departments, disable or enable the account (admin,"
    " If-Match required); fields left out stay as they are. Audited (user.update, with the"
    " difference; its state is pending until the user pool took the change, then done).",
    request=Later(DOMAIN, "AccountChange"),
    responses={200: Later(SCHEMAS, "StaffAccount")},
    response_headers=ETAG,
    parameters=[if_match_header()],
    conditions=PATCH_CONDITIONS,
    errors=(*STAFF_ERRORS, 428, 503),
    secured=True,
)
@handles_errors
def change_user(user_id):
    from ..adapters.directory import DirectoryUnavailable
    from ..service import accounts as use_case

    request = accounts.current_request
    actor = current_actor(request)
    version = expected_version(request)
    body = read_json(request, MAX_BODY)
    try:
        return _with_etag(use_case.change(user_id, body, version, actor, get_services()))
    except DirectoryUnavailable as error:
        raise _unavailable(error) from error
