"""Staff accounts (issue 21 item 3): admins list, invite and change staff in the user pool.

Supervisors and up list their own departments' staff with GET /staff/directory."""

from __future__ import annotations

from chalice import Blueprint

from ..wiring import get_services
from .auth import current_actor
from .errors import directory_reachable
from .openapi import Later, if_match_header
from .routing import caller, created, json_body, query, with_etag
from .staff import STAFF_ERRORS, expected_version, staff_routes

SCHEMAS = "chalicelib.http.schemas_accounts"  # imported when the document is built
DOMAIN = "chalicelib.domain.accounts"
MAX_BODY = 8192

accounts = Blueprint(__name__)
# Every account route reaches the staff directory (Cognito): 503 when it is out of reach.
staff_route = staff_routes(accounts, errors=(*STAFF_ERRORS, 503))

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


@staff_route(
    "GET /staff/admin/users",
    Later(SCHEMAS, "StaffAccountPage"),
    query=Later(DOMAIN, "AccountsQuery"),
    conditions={"cursor": "only a next_cursor this list returned"},
)
def list_users():
    """Staff accounts, a page at a time (admin): e-mail, name, roles, departments, whether
    enabled and Cognito's status"""
    from ..service import accounts as use_case

    with directory_reachable():
        return use_case.list_accounts(query(accounts), *caller(accounts))


@staff_route(
    "POST /staff/admin/users",
    created=Later(SCHEMAS, "StaffAccount"),
    request=Later(DOMAIN, "Invitation"),
    conditions={
        "departments": CHANGE_CONDITIONS["departments"],
        "email": "not already a staff account's (409, reason exists); an invitation the"
        " user pool did not take is recorded (409, reason pending): the same invitation"
        " sent again finishes it",
    },
)
def invite():
    """Invite a staff member (admin): Cognito creates the account and mails a temporary
    password; the roles and departments are given at once. Audited (user.invite)."""
    from ..service import accounts as use_case

    actor = current_actor(accounts.current_request)
    body = json_body(accounts, MAX_BODY)
    with directory_reachable():
        return created(use_case.invite(body, actor, get_services()))


@staff_route(
    "GET /staff/admin/users/{user_id}",
    Later(SCHEMAS, "StaffAccount"),
    response_headers=ETAG,
)
def get_user(user_id):
    """One staff account with its ETag (admin); a change a failure left pending is finished
    first"""
    from ..service import accounts as use_case

    with directory_reachable():
        return _with_etag(use_case.get_account(user_id, *caller(accounts)))


@staff_route(
    "PATCH /staff/admin/users/{user_id}",
    Later(SCHEMAS, "StaffAccount"),
    request=Later(DOMAIN, "AccountChange"),
    response_headers=ETAG,
    parameters=[if_match_header()],
    conditions=PATCH_CONDITIONS,
    errors=(*STAFF_ERRORS, 428, 503),
)
def change_user(user_id):
    """Change a staff member's roles or departments, disable or enable the account (admin,
    If-Match required); fields left out stay as they are. Audited (user.update, with the
    difference; its state is pending until the user pool took the change, then done)."""
    from ..service import accounts as use_case

    request = accounts.current_request
    actor = current_actor(request)
    version = expected_version(request)
    body = json_body(accounts, MAX_BODY)
    with directory_reachable():
        return _with_etag(use_case.change(user_id, body, version, actor, get_services()))


def _with_etag(view: dict):
    """An account's ETag is its own (domain/accounts.etag), not a version number."""
    return with_etag(view, view["etag"])
