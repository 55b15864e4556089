"""Administration routes (issue 21): the organisation's settings and the administration
audit. Staff read the settings' names and values; admins read and replace the whole record
(ETag / If-Match, like a complaint) and read the audit."""

from __future__ import annotations

from chalice import Blueprint, Response

from ..wiring import get_services
from .auth import current_actor
from .errors import handles_errors, read_json
from .openapi import Later, documented, if_match_header
from .public import ANY_BODY
from .staff import ETAG, STAFF_ERRORS, authorizer, expected_version

SCHEMAS = "chalicelib.http.schemas_admin"  # imported when the document is built
SETTINGS = "chalicelib.domain.org_settings"

admin = Blueprint(__name__)

SETTINGS_CONDITIONS = {
    "categories": "codes unique; at least one active; a code once saved is retired"
    " (active: false), never removed",
    "departments": "codes unique; at least one active; a code once saved is retired"
    " (active: false), never removed",
    "default_department": "an active department",
    "report_recipients": "addresses that can receive mail (a domain with a dot)",
    "sla": "every grade A-D; each limit within the bounds the grade's description gives;"
    " a higher grade's acceptance, first contact and resolution no longer than a lower's",
}


def _with_etag(view: dict) -> Response:
    return Response(body=view, status_code=200, headers={"ETag": f'"{view["version"]}"'})


@admin.route("/staff/settings", methods=["GET"], authorizer=authorizer)
@documented(
    "The organisation's names and values the console needs (any staff): categories and"
    " departments with both names and whether in use, the default department, callback"
    " slots, the information-request defaults",
    responses={200: Later(SCHEMAS, "StaffSettings")},
    errors=STAFF_ERRORS,
    secured=True,
)
@handles_errors
def staff_settings():
    from ..service import org_settings as use_case

    actor = current_actor(admin.current_request)
    return use_case.staff_view(actor, get_services())


@admin.route("/staff/admin/settings", methods=["GET"], authorizer=authorizer)
@documented(
    "The whole settings record with its ETag (admin)",
    responses={200: Later(SCHEMAS, "AdminSettings")},
    response_headers=ETAG,
    errors=STAFF_ERRORS,
    secured=True,
)
@handles_errors
def admin_settings():
    from ..service import org_settings as use_case

    actor = current_actor(admin.current_request)
    return _with_etag(use_case.admin_view(actor, get_services()))


@admin.route(
    "/staff/admin/settings", methods=["PUT"], authorizer=authorizer, content_types=ANY_BODY
)
@documented(
    "Replace the whole settings record (admin, If-Match required; a stale ETag: 409);"
    " validated as a whole: 400 names every bad field. Audited. Other containers see the"
    " change within a minute.",
    request=Later(SETTINGS, "OrgSettings"),
    responses={200: Later(SCHEMAS, "AdminSettings")},
    response_headers=ETAG,
    parameters=[if_match_header()],
    conditions=SETTINGS_CONDITIONS,
    errors=(*STAFF_ERRORS, 428),
    secured=True,
)
@handles_errors
def replace_settings():
    from ..service import org_settings as use_case

    request = admin.current_request
    actor = current_actor(request)
    version = expected_version(request)
    services = get_services()
    body = read_json(request, services.settings.max_body_bytes)
    return _with_etag(use_case.replace(body, version, actor, services))


@admin.route("/staff/admin/audit", methods=["GET"], authorizer=authorizer)
@documented(
    "The administration audit (admin): who changed what, when, and the difference,"
    " newest first, one UTC month",
    responses={200: Later(SCHEMAS, "AuditPage")},
    query=Later("chalicelib.domain.admin_audit", "AuditQuery"),
    conditions={"cursor": "only a next_cursor this list returned, for the same month"},
    errors=STAFF_ERRORS,
    secured=True,
)
@handles_errors
def audit():
    from ..service import org_settings as use_case

    query = dict(admin.current_request.query_params or {})
    return use_case.audit_list(query, current_actor(admin.current_request), get_services())
