"""Administration routes (issue 21): the organisation's settings and the administration
audit. Staff read the settings' names and values; admins read and replace the whole record
(ETag / If-Match, like a complaint) and read the audit."""

from __future__ import annotations

from chalice import Blueprint

from ..wiring import get_services
from .auth import current_actor
from .openapi import Later, if_match_header
from .routing import caller, json_body, query, with_etag
from .staff import ETAG, STAFF_ERRORS, expected_version, staff_routes

SCHEMAS = "chalicelib.http.schemas_admin"  # imported when the document is built
SETTINGS = "chalicelib.domain.org_settings"

admin = Blueprint(__name__)
staff_route = staff_routes(admin)

SETTINGS_CONDITIONS = {
    "categories": "codes unique; at least one active; a code once saved is retired"
    " (active: false), never removed",
    "departments": "codes unique; at least one active; a code once saved is retired"
    " (active: false), never removed",
    "default_department": "an active department",
    "report_recipients": "addresses that can receive mail (a domain with a dot)",
    "sla": "every grade A-D; each limit within the bounds the grade's description gives;"
    " a higher grade's acceptance, first contact and resolution no longer than a lower's",
    "business_hours": "start before end; a change gives new deadlines only to what is"
    " computed after it (deadlines stored on cases stay)",
    "quiet_hours": "start and end differ (a window may span midnight)",
    "extra_days_off": "each date once",
    "extra_working_days": "each date once; none also in extra_days_off",
}


@staff_route("GET /staff/settings", Later(SCHEMAS, "StaffSettings"))
def staff_settings():
    """The organisation's names and values the console needs (any staff): categories and
    departments with both names and whether in use, the default department, callback slots,
    the information-request defaults"""
    from ..service import org_settings as use_case

    return use_case.staff_view(*caller(admin))


@staff_route("GET /staff/admin/settings", Later(SCHEMAS, "AdminSettings"), response_headers=ETAG)
def admin_settings():
    """The whole settings record with its ETag (admin)"""
    from ..service import org_settings as use_case

    return with_etag(use_case.admin_view(*caller(admin)))


@staff_route(
    "PUT /staff/admin/settings",
    Later(SCHEMAS, "AdminSettings"),
    request=Later(SETTINGS, "OrgSettings"),
    response_headers=ETAG,
    parameters=[if_match_header()],
    conditions=SETTINGS_CONDITIONS,
    errors=(*STAFF_ERRORS, 428),
)
def replace_settings():
    """Replace the whole settings record (admin, If-Match required; a stale ETag: 409);
    validated as a whole: 400 names every bad field. Audited. Other containers see the change
    within a minute."""
    from ..service import org_settings as use_case

    actor = current_actor(admin.current_request)
    version = expected_version(admin.current_request)
    body = json_body(admin)
    return with_etag(use_case.replace(body, version, actor, get_services()))


@staff_route(
    "GET /staff/admin/audit",
    Later(SCHEMAS, "AuditPage"),
    query=Later("chalicelib.domain.audit_query", "AuditQuery"),
    conditions={"cursor": "only a next_cursor this list returned, for the same month"},
)
def audit():
    """The administration audit (admin): who changed what, when, and the difference, newest
    first, one UTC month"""
    from ..service import org_settings as use_case

    return use_case.audit_list(query(admin), *caller(admin))
